"""The typed vocabulary procedure definitions are written in: frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise

# Who may perform a transition.
APPLICANT = "applicant"
OFFICIAL = "official"
SYSTEM = "system"
PERFORMERS = (APPLICANT, OFFICIAL, SYSTEM)

# Who may apply.
EMPLOYER = "employer"
MANDATARY = "mandatary"
WORKER = "worker"

# How the competent authority is found (the resolver's `basis`).
PLACE_OF_EMPLOYMENT = "place_of_employment"
RESIDENCE = "residence"

# Stages and the authority that handles each.
WORK_STAGE = "work"
RESIDENCE_STAGE = "residence"
FILE_AUTHORITY = "file-authority"  # the authority resolved for the file
IMMIGRATION_OFFICE = "immigration-office"

# Recipients of milestone messages.
EMPLOYER_EBOX = "employer"
WORKER_EBOX = "worker"
MANDATARY_EBOX = "mandatary"

# Attachments of milestone messages.
RECEIPT = "receipt"
DECISION_LETTER = "decision_letter"


@dataclass(frozen=True)
class Category:
    """A category of worker; each region sets its own conditions and salary thresholds."""

    code: str
    label: Promise


@dataclass(frozen=True)
class Stage:
    code: str
    title: Promise
    authority: str  # FILE_AUTHORITY or a fixed authority code


@dataclass(frozen=True)
class State:
    code: str
    label: Promise  # the words users know
    stage: str
    final: bool = False
    description: Promise | str = ""


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    performer: str  # APPLICANT, OFFICIAL (of the stage's authority) or SYSTEM


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: Promise
    description: Promise | str = ""


@dataclass(frozen=True)
class DocumentRequirement:
    """A document required for a stage; empty sets mean "every authority / category"."""

    kind: str
    stage: str = WORK_STAGE
    authorities: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    except_categories: frozenset[str] = frozenset()
    note: Promise | str = ""

    def applies(self, *, authority_code: str, category: str) -> bool:
        if self.authorities and authority_code not in self.authorities:
            return False
        if self.categories and category not in self.categories:
            return False
        return category not in self.except_categories


@dataclass(frozen=True)
class Section:
    """One entry of the application form's task list."""

    code: str
    title: Promise
    description: Promise | str = ""


@dataclass(frozen=True)
class Deadlines:
    """Days for each deadline; None means "the setting's value" (see wib.files.deadlines)."""

    decision_days: int | None = None
    extension_days: int | None = None
    information_days: int | None = None
    forward_days: int = 15


@dataclass(frozen=True)
class Message:
    """A message sent when an action happens (a milestone)."""

    action: str
    message_type: str
    subject: Promise
    body: Promise
    recipients: tuple[str, ...] = (EMPLOYER_EBOX, MANDATARY_EBOX)
    attachment: str = ""  # RECEIPT, DECISION_LETTER or nothing


@dataclass(frozen=True)
class SystemDelivery:
    """A delivery to an authority's back-office system when an action happens."""

    action: str
    message_type: str
    recipient: str  # FILE_AUTHORITY or a fixed authority code
    attachment: str = ""


@dataclass(frozen=True)
class Procedure:
    code: str
    title: Promise
    description: Promise
    applicant_kinds: tuple[str, ...]
    authority_basis: str
    stages: tuple[Stage, ...]
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    documents: tuple[DocumentRequirement, ...]
    sections: tuple[Section, ...]
    categories: tuple[str, ...]
    deadlines: Deadlines = field(default_factory=Deadlines)
    messages: tuple[Message, ...] = ()
    system_deliveries: tuple[SystemDelivery, ...] = ()
    initial_state: str = "draft"
    fee_required: bool = True

    def state(self, code: str) -> State:
        for state in self.states:
            if state.code == code:
                return state
        raise KeyError(code)

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def has_stage(self, code: str) -> bool:
        return any(stage.code == code for stage in self.stages)

    def find_transition(self, source: str, action: str) -> Transition | None:
        for transition in self.transitions:
            if transition.source == source and transition.action == action:
                return transition
        return None

    def transitions_from(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]

    def actions(self) -> list[str]:
        seen: dict[str, None] = {}
        for transition in self.transitions:
            seen.setdefault(transition.action, None)
        return list(seen)

    def required_documents(
        self, *, authority_code: str, category: str, stage: str | None = None
    ) -> list[DocumentRequirement]:
        return [
            requirement
            for requirement in self.documents
            if (stage is None or requirement.stage == stage)
            and requirement.applies(authority_code=authority_code, category=category)
        ]

    def messages_for(self, action: str) -> list[Message]:
        return [message for message in self.messages if message.action == action]

    def deliveries_for(self, action: str) -> list[SystemDelivery]:
        return [delivery for delivery in self.system_deliveries if delivery.action == action]

    def section_codes(self) -> list[str]:
        return [section.code for section in self.sections]
