"""What people do with a file: start, fill in, submit, request information, decide, withdraw."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wib.accounts import permissions as account_permissions
from wib.audit.services import record_event
from wib.core import clock
from wib.core.identifiers import format_enterprise_number
from wib.deliveries.services import OutboxAttachment
from wib.documents.services import store_upload
from wib.files import letters
from wib.files.deadlines import information_due_on
from wib.files.errors import FileError, IncompleteFile, InvalidTransition
from wib.files.models import Decision, File, FileDocument, FileEvent, InformationRequest
from wib.files.permissions import applicant_capacity, may_start
from wib.files.sections import section_form, to_json
from wib.files.workflow import (
    authorise,
    check_version,
    lock_file,
    require_transition,
    state_label,
    transition,
)
from wib.procedures.catalogue import DOCUMENT_LABELS
from wib.procedures.definitions import MANDATARY, RESIDENCE_STAGE, WORKER
from wib.procedures.registry import get_procedure

PDF = "application/pdf"
# Kinds that belong to the employer's side and may be copied into an application for another worker.
EMPLOYER_DOCUMENT_KINDS = frozenset({"job-description", "organisation-chart", "regional-form"})


# --- helpers -------------------------------------------------------------------------------


def _unique_reference() -> str:
    year = clock.today().year
    for _attempt in range(20):
        candidate = _random_reference(year)
        if not File.objects.filter(reference=candidate).exists():
            return candidate
    raise RuntimeError("Could not find a free reference.")  # 20 collisions in 8.5e11: broken RNG


def _random_reference(year: int) -> str:
    from wib.files.models import random_reference

    return random_reference(year)


def _event(
    file: File, *, action: str, actor: Any, capacity: tuple[str, str], message: str = ""
) -> FileEvent:
    return FileEvent.objects.create(
        file=file,
        action=action,
        from_state=file.state,
        to_state=file.state,
        actor=actor,
        capacity=capacity[0],
        capacity_detail=capacity[1],
        message=message,
        at=clock.now(),
    )


def _audit(file: File, *, actor: Any, action: str, data: dict | None = None) -> None:
    record_event(
        actor=actor,
        action=f"file.{action}",
        target_type="file",
        target_id=str(file.public_id),
        on_behalf_of=file.employer.number if file.employer else "",
        data={"reference": file.reference, **(data or {})},
    )


def _require_applicant(file: File, actor: Any) -> tuple[str, str]:
    capacity = applicant_capacity(actor, file)
    if capacity is None:
        raise PermissionDenied("Not an applicant of this file.")
    return capacity


def _require_draft(file: File, label: str) -> None:
    if file.state != "draft":
        raise InvalidTransition(
            action_label=label,
            state_label=state_label(get_procedure(file.procedure_code), file.state),
        )


def _pdf(name: str, content: bytes) -> OutboxAttachment:
    return OutboxAttachment(filename=name, content=content, content_type=PDF)


def _store_pdf(*, name: str, content: bytes, actor: Any) -> Any:
    return store_upload(
        uploaded_file=ContentFile(content, name=name), uploaded_by=actor, max_bytes=None
    )


def _text_required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [ValidationError(message, code="required")]})
    return value


# --- applicant -----------------------------------------------------------------------------


def start_file(*, procedure_code: str, employer: Any, actor: Any, mandatary: Any = None) -> File:
    """A new draft under the procedure, for the employer (None: a worker applying for themself)."""
    procedure = get_procedure(procedure_code)
    if not may_start(actor, procedure=procedure, employer=employer, mandatary=mandatary):
        raise PermissionDenied("May not apply under this procedure for this employer.")
    if employer is not None and mandatary is None:
        mandatary = account_permissions.mandatary_for(actor, employer)
    worker_user = None
    if employer is None and mandatary is None and WORKER in procedure.applicant_kinds:
        worker_user = actor
    with transaction.atomic():
        file = File.objects.create(
            procedure_code=procedure.code,
            reference=_unique_reference(),
            language=(translation.get_language() or "nl")[:2],
            employer=employer,
            mandatary=mandatary,
            created_by=actor,
            worker_user=worker_user,
            state=procedure.initial_state,
            stage=procedure.state(procedure.initial_state).stage,
        )
        if worker_user is not None:
            capacity: tuple[str, str] = (WORKER, "")
        elif mandatary is not None:
            capacity = (MANDATARY, mandatary.number)
        else:
            capacity = (FileEvent.Capacity.EMPLOYER, "")
        _event(file, action="start", actor=actor, capacity=capacity)
        _audit(file, actor=actor, action="start", data={"procedure": procedure.code})
    return file


def _resolve_place(file: File, data: dict[str, Any], *, basis: str) -> None:
    """Work out the competent authority from the place section; errors become field errors."""
    from wib.geography.models import Authority
    from wib.geography.resolver import GeographyError, Place, resolve_authority

    places = [
        Place(
            postcode=data["postcode"],
            municipality_refnis=data.get("municipality_refnis", ""),
            street=data.get("street", ""),
            establishment_number=data.get("establishment_number", ""),
            is_main=True,
        )
    ]
    places += [Place(postcode=code) for code in (data.get("other_postcodes") or "").split()]
    registered_office = None
    if basis != "residence" and file.employer:
        registered_office = _registered_office(file.employer.number)
        if registered_office is None and data.get("registered_office_postcode"):
            # The register has no seat for this employer: the one the applicant entered counts.
            registered_office = Place(postcode=data["registered_office_postcode"])
    try:
        resolution = resolve_authority(
            places=places, registered_office=registered_office, basis=basis
        )
    except GeographyError as error:
        raise ValidationError({"postcode": [error]}) from None
    file.authority = Authority.objects.get(code=resolution.authority)
    file.authority_rule = resolution.rule
    file.authority_explanation = str(resolution.explanation)
    file.authority_municipality_refnis = resolution.municipality.refnis


def _registered_office(number: str) -> Any:
    from wib.geography.resolver import Place
    from wib.registry.selectors import enterprise_details

    details = enterprise_details(number)
    if (
        details is None
        or details.registered_office is None
        or not details.registered_office.postcode
    ):
        return None
    office = details.registered_office
    return Place(postcode=office.postcode, municipality_refnis=office.municipality_refnis)


def _change_employer(file: File, *, number: str, actor: Any) -> None:
    """Make another enterprise the draft's employer, if the actor may apply for it."""
    employer = account_permissions.employers_acted_for(actor).filter(number=number).first()
    procedure = get_procedure(file.procedure_code)
    if employer is None or not may_start(actor, procedure=procedure, employer=employer):
        # The same words whether or not the enterprise exists: nothing is revealed about it.
        raise ValidationError(
            {
                "enterprise_number": [
                    ValidationError(
                        _(
                            "You cannot apply for enterprise %(number)s: you do not act for it, "
                            "directly or through a mandate."
                        ),
                        code="employer_not_allowed",
                        params={"number": format_enterprise_number(number)},
                    )
                ]
            }
        )
    previous = file.employer.number if file.employer else ""
    file.employer = employer
    file.mandatary = account_permissions.mandatary_for(actor, employer)
    _audit(file, actor=actor, action="change_employer", data={"from": previous, "to": number})


def _check_establishment(file: File, number: str) -> None:
    from wib.registry.models import EstablishmentUnit

    if not number:
        return
    unit = EstablishmentUnit.objects.filter(number=number).first()
    if unit is not None and file.employer_id and unit.enterprise_id != file.employer_id:
        raise ValidationError(
            {
                "establishment_number": [
                    ValidationError(
                        _("This establishment unit belongs to another enterprise."),
                        code="establishment_of_other_enterprise",
                    )
                ]
            }
        )


def _check_salary(file: File, data: dict[str, Any]) -> None:
    """The salary must reach the category's threshold of the competent region, if one is set."""
    from wib.procedures.reference import reference_value

    if file.authority is None:
        return
    threshold = reference_value(
        kind="salary_threshold",
        on=data["start_date"],
        authority_code=file.authority.code,
        category=data["category"],
    )
    if threshold is None or not threshold.category:
        return
    salary = Decimal(data["gross_salary"])
    # Compare per year: a monthly salary or threshold counts twelve times.
    yearly_salary = salary * 12 if data["salary_period"] == "monthly" else salary
    yearly_threshold = threshold.amount * 12 if threshold.unit == "monthly" else threshold.amount
    if yearly_salary < yearly_threshold:
        raise ValidationError(
            {
                "gross_salary": [
                    ValidationError(
                        _(
                            "For this category, %(authority)s requires a gross salary of at "
                            "least €%(amount)s %(unit)s (from %(date)s)."
                        )
                        % {
                            "authority": file.authority.display_name,
                            "amount": threshold.amount,
                            "unit": threshold.get_unit_display(),
                            "date": threshold.valid_from.isoformat(),
                        },
                        code="salary_below_threshold",
                    )
                ]
            }
        )


def save_section(
    *, file: File, section: str, data: dict[str, Any], actor: Any, expected_version: int | None
) -> File:
    """Validate and store one section of a draft; the place sections also resolve the authority.

    Invalid data raises ValidationError with errors per field (the form's own messages), and
    changes nothing.
    """
    with transaction.atomic():
        locked = lock_file(file)
        check_version(locked, expected_version)
        _require_draft(locked, _("Change the application"))
        _require_applicant(locked, actor)
        procedure = get_procedure(locked.procedure_code)
        if section not in procedure.section_codes():
            raise ValidationError(
                _("This application has no such section."), code="unknown_section"
            )
        form = section_form(section, procedure.code, data)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        cleaned = dict(form.cleaned_data)
        previous_authority = locked.authority_id
        if section == "employer":
            # The number chooses the employer; it is kept on the file, not in the section data.
            number = cleaned.pop("enterprise_number", "")
            if number and locked.employer is not None and number != locked.employer.number:
                _change_employer(locked, number=number, actor=actor)
            _check_establishment(locked, cleaned.get("establishment_number", ""))
            _resolve_place(locked, cleaned, basis=procedure.authority_basis)
        elif section == "residence":
            _resolve_place(locked, cleaned, basis=procedure.authority_basis)
        elif section == "worker":
            locked.worker_name = f"{cleaned['first_name']} {cleaned['last_name']}".strip()
            # A worker applying in person is identified by the account's own number: without
            # it the decisions would have no citizen eBox to go to.
            own_number = locked.worker_user.national_register_number if locked.worker_user else ""
            locked.worker_insz = cleaned.get("insz", "") or own_number
            locked.worker_birth_date = cleaned["birth_date"]
            locked.nationality = cleaned["nationality"]
        elif section == "employment":
            _check_salary(locked, cleaned)
            locked.category = cleaned["category"]
        locked.sections = {
            **locked.sections,
            section: {
                "data": to_json(cleaned),
                "complete": True,
                "saved_at": clock.now().isoformat(),
            },
        }
        locked.version += 1
        locked.save()
        if locked.authority_id and locked.authority_id != previous_authority:
            _event(
                locked,
                action="resolve_authority",
                actor=actor,
                capacity=_require_applicant(locked, actor),
                message=locked.authority_explanation,
            )
        _audit(locked, actor=actor, action="save_section", data={"section": section})
    file.refresh_from_db()
    return file


def _document_kinds(procedure_code: str) -> set[str]:
    return {requirement.kind for requirement in get_procedure(procedure_code).documents} | {"other"}


def _attach(
    file: File,
    *,
    kind: str,
    uploaded_file: Any,
    actor: Any,
    step: str,
    information_request: InformationRequest | None = None,
) -> FileDocument:
    if kind not in _document_kinds(file.procedure_code):
        raise ValidationError(
            {"kind": [ValidationError(_("Choose the kind of document."), code="unknown_kind")]}
        )
    stored = store_upload(uploaded_file=uploaded_file, uploaded_by=actor)
    return FileDocument.objects.create(
        file=file,
        kind=kind,
        stored_document=stored,
        step=step,
        information_request=information_request,
        added_by=actor,
        added_at=clock.now(),
    )


def attach_document(*, file: File, kind: str, uploaded_file: Any, actor: Any) -> FileDocument:
    """Add a document to a draft (content and size checked by wib.documents)."""
    with transaction.atomic():
        locked = lock_file(file)
        _require_draft(locked, _("Add a document"))
        capacity = _require_applicant(locked, actor)
        document = _attach(
            locked,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            step=FileDocument.Step.APPLICATION,
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        label = str(DOCUMENT_LABELS.get(kind, kind))
        _event(locked, action="attach_document", actor=actor, capacity=capacity, message=label)
        _audit(
            locked,
            actor=actor,
            action="attach_document",
            data={"kind": kind, "sha256": document.stored_document.sha256},
        )
    file.refresh_from_db()
    return document


def remove_document(*, file: File, document: FileDocument, actor: Any) -> None:
    """Take a document off a draft (the stored bytes stay, for the audit trail)."""
    with transaction.atomic():
        locked = lock_file(file)
        _require_draft(locked, _("Remove a document"))
        _require_applicant(locked, actor)
        FileDocument.objects.filter(pk=document.pk, file=locked).delete()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        _audit(locked, actor=actor, action="remove_document", data={"kind": document.kind})
    file.refresh_from_db()


def missing_for_submission(file: File) -> list[str]:
    """What still stops the draft from being submitted, in words (empty: ready)."""
    procedure = get_procedure(file.procedure_code)
    problems = [
        _("Complete the section “%(section)s”.") % {"section": section.title}
        for section in procedure.sections
        if not file.section_complete(section.code)
    ]
    if file.authority is None:
        problems.append(
            _("The competent authority is not known yet: complete the place of employment.")
        )
        return problems
    present = set(file.documents.values_list("kind", flat=True))
    for requirement in procedure.required_documents(
        authority_code=file.authority.code, category=file.category
    ):
        if requirement.kind not in present:
            problems.append(
                _("Add the document “%(document)s”.")
                % {"document": DOCUMENT_LABELS.get(requirement.kind, requirement.kind)}
            )
    return problems


def submit_file(
    *, file: File, actor: Any, declaration_accepted: bool, expected_version: int | None = None
) -> File:
    """Submit a complete draft: all or nothing.

    Checks sections, required documents for the authority and category, and the declaration;
    then sets the submission time, stores the receipt, routes the file to the authority's
    queue and puts the authority delivery and the eBox messages in the outbox.
    """
    with transaction.atomic():
        locked = lock_file(file)
        # A second click on "submit" carries the version the first one already moved past.
        check_version(locked, expected_version)
        require_transition(locked, "submit")
        _require_applicant(locked, actor)
        problems = missing_for_submission(locked)
        if not declaration_accepted:
            problems.append(
                _("Confirm the declaration that the information is correct and complete.")
            )
        if problems:
            raise IncompleteFile(problems)
        locked.reference = locked.reference or _unique_reference()
        locked.submitted_at = clock.now()
        locked.submitted_by = actor
        receipt = letters.render_receipt(locked)
        name = f"{locked.reference}-receipt.pdf"
        locked.receipt = _store_pdf(name=name, content=receipt, actor=actor)
        locked.save()
        transition(
            file=locked, action="submit", actor=actor, attachments={"receipt": _pdf(name, receipt)}
        )
    file.refresh_from_db()
    return file


def withdraw_file(
    *, file: File, actor: Any, reason: str = "", expected_version: int | None = None
) -> File:
    """The applicant withdraws the application, at any time before the final decision."""
    return transition(
        file=file, action="withdraw", actor=actor, expected_version=expected_version, message=reason
    )


def _open_request(file: File) -> InformationRequest | None:
    return (
        file.information_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
    )


def answer_information_request(
    *,
    file: File,
    actor: Any,
    answer: str,
    documents: Sequence[tuple[str, Any]] = (),
    expected_version: int | None = None,
) -> File:
    """The applicant answers the open request, with documents; the file returns to the official."""
    with transaction.atomic():
        locked = lock_file(file)
        check_version(locked, expected_version)
        action = (
            "answer_residence_information"
            if locked.state == "residence_information_requested"
            else "answer_information"
        )
        require_transition(locked, action)
        _require_applicant(locked, actor)
        request = _open_request(locked)
        if not (answer or "").strip() and not documents:
            raise ValidationError(
                {
                    "answer": [
                        ValidationError(_("Write an answer or add a document."), code="required")
                    ]
                }
            )
        for kind, uploaded in documents:
            _attach(
                locked,
                kind=kind,
                uploaded_file=uploaded,
                actor=actor,
                step=FileDocument.Step.INFORMATION,
                information_request=request,
            )
        requested_on = None
        if request is not None:
            request.answer = (answer or "").strip()
            request.answered_at = clock.now()
            request.answered_by = actor
            request.save()
            requested_on = timezone.localdate(request.requested_at)
        transition(
            file=locked,
            action=action,
            actor=actor,
            message=(answer or "").strip(),
            requested_on=requested_on,
        )
    file.refresh_from_db()
    return file


# --- officials -----------------------------------------------------------------------------


def _request(
    *,
    file: File,
    actor: Any,
    message: str,
    action: str,
    stage: str,
    expected_version: int | None,
    due_on: date | None = None,
) -> File:
    message = _text_required(message, "message", _("Describe the information you need."))
    with transaction.atomic():
        due_on = due_on or information_due_on(
            procedure_code=file.procedure_code, requested_on=clock.today()
        )
        updated = transition(
            file=file,
            action=action,
            actor=actor,
            expected_version=expected_version,
            message=message,
            due_on=due_on,
        )
        InformationRequest.objects.create(
            file=updated,
            stage=stage,
            message=message,
            due_on=due_on,
            requested_by=actor,
            requested_at=clock.now(),
        )
    return updated


def request_information(
    *,
    file: File,
    actor: Any,
    message: str,
    expected_version: int | None = None,
    due_on: date | None = None,
) -> File:
    """The region asks the applicant for missing information, by `due_on` (a later day chosen
    by the official's form) or in 15 days by default."""
    return _request(
        file=file,
        actor=actor,
        message=message,
        action="request_information",
        stage="work",
        expected_version=expected_version,
        due_on=due_on,
    )


def request_residence_information(
    *,
    file: File,
    actor: Any,
    message: str,
    expected_version: int | None = None,
    due_on: date | None = None,
) -> File:
    """The Immigration Office asks the applicant for information on the residence part."""
    return _request(
        file=file,
        actor=actor,
        message=message,
        action="request_residence_information",
        stage=RESIDENCE_STAGE,
        expected_version=expected_version,
        due_on=due_on,
    )


def declare_admissible(
    *, file: File, actor: Any, note: str = "", expected_version: int | None = None
) -> File:
    return transition(
        file=file,
        action="declare_admissible",
        actor=actor,
        expected_version=expected_version,
        internal_note=note,
    )


def declare_inadmissible(
    *, file: File, actor: Any, motivation: str, expected_version: int | None = None
) -> File:
    motivation = _text_required(motivation, "motivation", _("Give the reasons for the decision."))
    with transaction.atomic():
        updated = transition(
            file=file,
            action="declare_inadmissible",
            actor=actor,
            expected_version=expected_version,
            message=motivation,
        )
        Decision.objects.create(
            file=updated,
            stage="work",
            outcome=Decision.Outcome.INADMISSIBLE,
            motivation=motivation,
            decided_by=actor,
            decided_on=clock.today(),
        )
    return updated


def _decide(
    *,
    file: File,
    actor: Any,
    action: str,
    stage: str,
    outcome: str,
    letter_kind: str,
    motivation: str,
    annex: str,
    expected_version: int | None,
) -> File:
    with transaction.atomic():
        locked = lock_file(file)
        check_version(locked, expected_version)
        authorise(require_transition(locked, action), actor, locked)
        today = clock.today()
        content = letters.render_decision_letter(
            locked, kind=letter_kind, motivation=motivation, decided_on=today, annex=annex
        )
        name = f"{locked.reference}-{letter_kind.replace('_', '-')}.pdf"
        # Stored first under the deciding official; if the transition is refused, all rolls back.
        stored = _store_pdf(name=name, content=content, actor=actor)
        updated = transition(
            file=locked,
            action=action,
            actor=actor,
            message=motivation,
            attachments={"decision_letter": _pdf(name, content)},
        )
        Decision.objects.create(
            file=updated,
            stage=stage,
            outcome=outcome,
            motivation=motivation,
            annex=annex,
            decided_by=actor,
            decided_on=today,
            letter=stored,
        )
    return updated


def decide_work_part(
    *,
    file: File,
    actor: Any,
    approve: bool,
    motivation: str = "",
    expected_version: int | None = None,
) -> File:
    """The region approves or refuses the work part.

    On approval the single permit goes on to the Immigration Office by itself (a system
    step); the short stay ends with the authorisation granted to the employer.
    """
    procedure = get_procedure(file.procedure_code)
    if not approve:
        motivation = _text_required(
            motivation, "motivation", _("Give the reasons for the refusal.")
        )
    residence = procedure.has_stage(RESIDENCE_STAGE)
    in_belgium = file.section_data("stay").get("in_belgium") is True
    if approve:
        letter_kind = letters.WORK_APPROVAL if residence else letters.SHORT_STAY_AUTHORISATION
        annex = "49" if residence and in_belgium else ""
    else:
        letter_kind, annex = letters.WORK_REFUSAL, ""
    with transaction.atomic():
        updated = _decide(
            file=file,
            actor=actor,
            action="approve_work" if approve else "refuse_work",
            stage="work",
            outcome=Decision.Outcome.APPROVED if approve else Decision.Outcome.REFUSED,
            letter_kind=letter_kind,
            motivation=(motivation or "").strip(),
            annex=annex,
            expected_version=expected_version,
        )
        if approve and residence:
            updated = transition(file=updated, action="forward_to_immigration_office", actor=None)
    file.refresh_from_db()
    return file


def decide_residence_part(
    *,
    file: File,
    actor: Any,
    grant: bool,
    motivation: str = "",
    expected_version: int | None = None,
) -> File:
    """The Immigration Office grants (Annex 46) or refuses (Annex 47) the permit: the end."""
    if not grant:
        motivation = _text_required(
            motivation, "motivation", _("Give the reasons for the refusal.")
        )
    updated = _decide(
        file=file,
        actor=actor,
        action="grant_residence" if grant else "refuse_residence",
        stage=RESIDENCE_STAGE,
        outcome=Decision.Outcome.GRANTED if grant else Decision.Outcome.REFUSED,
        letter_kind=letters.RESIDENCE_GRANTED if grant else letters.RESIDENCE_REFUSED,
        motivation=(motivation or "").strip(),
        annex="46" if grant else "47",
        expected_version=expected_version,
    )
    file.refresh_from_db()
    return updated


class AlreadyExtended(FileError):
    def __init__(self) -> None:
        super().__init__(
            _("The decision deadline of this file has already been extended once."),
            code="already_extended",
        )


def extend_deadline(
    *, file: File, actor: Any, reason: str, expected_version: int | None = None
) -> File:
    """Extend the decision deadline once (30 days by default) for a complex case."""
    reason = _text_required(reason, "reason", _("Give the reason for the extension."))
    with transaction.atomic():
        locked = lock_file(file)
        check_version(locked, expected_version)
        require_transition(locked, "extend_deadline")
        if locked.extended:
            raise AlreadyExtended()
        return transition(file=file, action="extend_deadline", actor=actor, message=reason)


# --- copies and renewals -------------------------------------------------------------------


def _copy_documents(source: File, target: File, *, kinds: set[str] | None, actor: Any) -> None:
    for item in source.documents.all():
        if kinds is None or item.kind in kinds:
            FileDocument.objects.create(
                file=target,
                kind=item.kind,
                stored_document=item.stored_document,
                step=FileDocument.Step.APPLICATION,
                added_by=actor,
                added_at=clock.now(),
            )


def _derive(
    *,
    source: File,
    actor: Any,
    procedure_code: str,
    sections: list[str],
    copy_worker_fields: bool,
) -> File:
    procedure = get_procedure(procedure_code)
    known = set(procedure.section_codes())
    target = File.objects.create(
        procedure_code=procedure_code,
        reference=_unique_reference(),
        language=(translation.get_language() or source.language)[:2],
        employer=source.employer,
        mandatary=source.mandatary,
        worker_user=source.worker_user,
        created_by=actor,
        authority=source.authority,
        authority_rule=source.authority_rule,
        authority_explanation=source.authority_explanation,
        authority_municipality_refnis=source.authority_municipality_refnis,
        category=source.category,
        sections={
            code: source.sections[code]
            for code in sections
            if code in source.sections and code in known
        },
        origin=source,
    )
    if copy_worker_fields:
        target.worker_name = source.worker_name
        target.worker_insz = source.worker_insz
        target.worker_birth_date = source.worker_birth_date
        target.nationality = source.nationality
        target.save()
    return target


def duplicate_file(
    *, file: File, actor: Any, include_worker: bool, include_documents: bool
) -> File:
    """A new draft copied from an application of the same employer (another worker, same job)."""
    with transaction.atomic():
        source = File.objects.get(pk=file.pk)
        capacity = _require_applicant(source, actor)
        sections = ["employer", "employment", "residence", "stay"] + (
            ["worker"] if include_worker else []
        )
        if not include_worker:
            sections.remove("stay")
        target = _derive(
            source=source,
            actor=actor,
            procedure_code=source.procedure_code,
            sections=sections,
            copy_worker_fields=include_worker,
        )
        if include_documents:
            _copy_documents(
                source,
                target,
                kinds=None if include_worker else set(EMPLOYER_DOCUMENT_KINDS),
                actor=actor,
            )
        _event(
            target,
            action="duplicate",
            actor=actor,
            capacity=capacity,
            message=source.reference or "",
        )
        _event(
            source,
            action="duplicated",
            actor=actor,
            capacity=capacity,
            message=target.reference or "",
        )
        _audit(target, actor=actor, action="duplicate", data={"origin": str(source.public_id)})
    return target


RENEWABLE = {("single-permit", "granted"), ("single-permit-renewal", "granted")}


def start_renewal(*, file: File, actor: Any) -> File:
    """A renewal draft from a granted single permit, with the origin in both histories."""
    with transaction.atomic():
        source = File.objects.get(pk=file.pk)
        capacity = _require_applicant(source, actor)
        if (source.procedure_code, source.state) not in RENEWABLE:
            raise InvalidTransition(
                action_label=_("Renew the permit"),
                state_label=state_label(get_procedure(source.procedure_code), source.state),
            )
        target = _derive(
            source=source,
            actor=actor,
            procedure_code="single-permit-renewal",
            sections=["employer", "worker", "employment", "stay"],
            copy_worker_fields=True,
        )
        _event(
            target, action="renewal", actor=actor, capacity=capacity, message=source.reference or ""
        )
        _event(
            source,
            action="start_renewal",
            actor=actor,
            capacity=capacity,
            message=target.reference or "",
        )
        _audit(target, actor=actor, action="start_renewal", data={"origin": str(source.public_id)})
    return target
