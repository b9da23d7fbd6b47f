"""Which official actions a file offers, each tied to its form and to the one service it calls.

What is offered comes from the procedure's transition table (official transitions out of the
current status, for the authority handling that stage); nothing here is specific to a procedure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wib.files import services
from wib.files.models import File
from wib.files.permissions import is_official_for_stage
from wib.procedures.catalogue import ACTION_LABELS
from wib.procedures.definitions import OFFICIAL
from wib.procedures.registry import get_procedure

from .forms import (
    ActionForm,
    ConfirmForm,
    ExtendDeadlineForm,
    MotivationForm,
    OptionalMotivationForm,
    RequestInformationForm,
)

Perform = Callable[..., File]


def _request_information(*, file: File, actor: Any, data: dict, version: int) -> File:
    return services.request_information(
        file=file,
        actor=actor,
        message=data["message"],
        due_on=data["due_on"],
        expected_version=version,
    )


def _request_residence_information(*, file: File, actor: Any, data: dict, version: int) -> File:
    return services.request_residence_information(
        file=file,
        actor=actor,
        message=data["message"],
        due_on=data["due_on"],
        expected_version=version,
    )


def _declare_admissible(*, file: File, actor: Any, data: dict, version: int) -> File:
    return services.declare_admissible(
        file=file, actor=actor, note=data.get("note", ""), expected_version=version
    )


def _declare_inadmissible(*, file: File, actor: Any, data: dict, version: int) -> File:
    return services.declare_inadmissible(
        file=file, actor=actor, motivation=data["motivation"], expected_version=version
    )


def _decide_work(approve: bool) -> Perform:
    def perform(*, file: File, actor: Any, data: dict, version: int) -> File:
        return services.decide_work_part(
            file=file,
            actor=actor,
            approve=approve,
            motivation=data.get("motivation", ""),
            expected_version=version,
        )

    return perform


def _decide_residence(grant: bool) -> Perform:
    def perform(*, file: File, actor: Any, data: dict, version: int) -> File:
        return services.decide_residence_part(
            file=file,
            actor=actor,
            grant=grant,
            motivation=data.get("motivation", ""),
            expected_version=version,
        )

    return perform


def _extend_deadline(*, file: File, actor: Any, data: dict, version: int) -> File:
    return services.extend_deadline(
        file=file, actor=actor, reason=data["reason"], expected_version=version
    )


@dataclass(frozen=True)
class OfficialAction:
    code: str
    form_class: type[ActionForm]
    perform: Perform
    done: Promise  # the confirmation shown after it took effect
    negative: bool = False  # shown as a secondary (warning) button

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.code, self.code))


ACTIONS: dict[str, OfficialAction] = {
    action.code: action
    for action in (
        OfficialAction(
            "request_information",
            RequestInformationForm,
            _request_information,
            _("The information request was sent to the applicant."),
        ),
        OfficialAction(
            "declare_admissible",
            ConfirmForm,
            _declare_admissible,
            _("The application was declared admissible."),
        ),
        OfficialAction(
            "declare_inadmissible",
            MotivationForm,
            _declare_inadmissible,
            _("The application was declared inadmissible."),
            negative=True,
        ),
        OfficialAction(
            "approve_work",
            OptionalMotivationForm,
            _decide_work(True),
            _("The work part was approved."),
        ),
        OfficialAction(
            "refuse_work",
            MotivationForm,
            _decide_work(False),
            _("The work part was refused."),
            negative=True,
        ),
        OfficialAction(
            "request_residence_information",
            RequestInformationForm,
            _request_residence_information,
            _("The information request was sent to the applicant."),
        ),
        OfficialAction(
            "grant_residence",
            OptionalMotivationForm,
            _decide_residence(True),
            _("The permit was granted."),
        ),
        OfficialAction(
            "refuse_residence",
            MotivationForm,
            _decide_residence(False),
            _("The permit was refused."),
            negative=True,
        ),
        OfficialAction(
            "extend_deadline",
            ExtendDeadlineForm,
            _extend_deadline,
            _("The decision deadline was extended."),
        ),
    )
}


def available_actions(*, file: File, actor: Any) -> list[OfficialAction]:
    """The official actions of the file's current status this actor may take, in table order."""
    procedure = get_procedure(file.procedure_code)
    found: list[OfficialAction] = []
    for rule in procedure.transitions_from(file.state):
        action = ACTIONS.get(rule.action)
        if action is None or rule.performer != OFFICIAL or action in found:
            continue
        if not is_official_for_stage(actor, file, procedure.state(rule.source).stage):
            continue
        # The deadline may be extended once; the service refuses a second time anyway.
        if action.code == "extend_deadline" and file.extended:
            continue
        found.append(action)
    return found
