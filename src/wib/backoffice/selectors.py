"""What the back-office screens show, built on the files selectors (already scoped to the actor)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from wib.audit.services import record_event
from wib.core import clock
from wib.core.identifiers import (
    EnterpriseNumberField,
    EstablishmentNumberField,
    InszField,
    format_enterprise_number,
    format_establishment_number,
    format_insz,
)
from wib.documents.models import StoredDocument
from wib.files.deadlines import forward_due_on, is_overdue, next_deadline
from wib.files.models import Decision, File, FileDocument, InformationRequest
from wib.files.permissions import stage_authority_code
from wib.files.sections import SECTION_FORMS
from wib.files.selectors import FileFilters, files_in_queue
from wib.files.workflow import state_label
from wib.geography.models import Authority
from wib.procedures.registry import category_label, document_label, get_procedure
from wib.registry.models import Denomination

OFFICIAL_NAME = "001"  # KBO TypeOfDenomination of the official name


def employer_names(numbers: set[str]) -> dict[str, str]:
    """Official names of enterprises, one query for a whole page of rows."""
    names: dict[str, str] = {}
    for row in Denomination.objects.filter(
        entity_number__in=numbers, type_of_denomination=OFFICIAL_NAME
    ).order_by("language"):
        names.setdefault(row.entity_number, row.denomination)
    return names


@dataclass(frozen=True)
class QueueRow:
    file: File
    procedure_title: str
    state_label: str
    category_label: str
    employer: str
    deadline: date | None
    overdue: bool


def queue_rows(files: list[File]) -> list[QueueRow]:
    """The rows of one page of the queue."""
    today = clock.today()
    names = employer_names({file.employer.number for file in files if file.employer is not None})
    rows = []
    for file in files:
        procedure = get_procedure(file.procedure_code)
        employer = ""
        if file.employer is not None:
            employer = names.get(file.employer.number) or str(file.employer)
        rows.append(
            QueueRow(
                file=file,
                procedure_title=str(procedure.title),
                state_label=state_label(procedure, file.state),
                category_label=category_label(file.category) if file.category else "",
                employer=employer,
                deadline=next_deadline(file),
                overdue=is_overdue(file, today),
            )
        )
    return rows


@dataclass(frozen=True)
class StatusCount:
    state: str
    label: str
    open: int
    overdue: int


def status_dashboard(*, actor: Any, authority_code: str) -> list[StatusCount]:
    """For a supervisor: per status of the queue, how many files are open and how many overdue."""

    def counts(filters: FileFilters) -> Counter:
        queryset: QuerySet[File] = files_in_queue(
            actor=actor, authority_code=authority_code, filters=filters
        )
        return Counter(
            {
                row["state"]: row["total"]
                for row in queryset.order_by().values("state").annotate(total=Count("pk"))
            }
        )

    open_files = counts(FileFilters(open_only=True))
    overdue = counts(FileFilters(open_only=True, overdue=True))
    labels: dict[str, str] = {}
    for code in open_files:
        for procedure_state in _states_by_code().get(code, []):
            labels.setdefault(code, procedure_state)
    return [
        StatusCount(state=code, label=labels.get(code, code), open=total, overdue=overdue[code])
        for code, total in sorted(open_files.items(), key=lambda item: -item[1])
    ]


def _states_by_code() -> dict[str, list[str]]:
    from wib.procedures.registry import all_procedures

    found: dict[str, list[str]] = {}
    for procedure in all_procedures():
        for state in procedure.states:
            found.setdefault(state.code, []).append(str(state.label))
    return found


@dataclass(frozen=True)
class SectionField:
    label: str
    value: str


@dataclass(frozen=True)
class SectionView:
    code: str
    title: str
    complete: bool
    fields: list[SectionField]


def _display(field: forms.Field | None, value: Any, name: str = "") -> str:
    """A stored answer as the official reads it: labels instead of codes, dates, amounts and
    numbers in the language of the page."""
    if value in (None, "", []):
        return "—"
    if name == "category":
        # The category's choices are only set on a bound form: the base field has none.
        return str(category_label(str(value)))
    if name == "municipality_refnis":
        from wib.geography.models import Municipality

        municipality = Municipality.objects.filter(refnis=str(value)).first()
        return f"{municipality.display_name} ({value})" if municipality else str(value)
    if isinstance(field, (InszField, EnterpriseNumberField, EstablishmentNumberField)):
        formatter = {
            InszField: format_insz,
            EnterpriseNumberField: format_enterprise_number,
            EstablishmentNumberField: format_establishment_number,
        }[type(field)]
        try:
            return formatter(str(value))
        except (ValueError, ValidationError):
            return str(value)
    if isinstance(field, forms.DateField):
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if isinstance(field, forms.DecimalField):
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
        if number == number.to_integral_value() and field.decimal_places != 2:
            return number_format(int(number), force_grouping=True)
        return number_format(number, decimal_pos=2, force_grouping=True)
    if isinstance(field, forms.ChoiceField):
        choices = {str(key): str(label) for key, label in field.choices}  # type: ignore[misc,union-attr]
        if str(value) in choices:
            return choices[str(value)]
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def file_sections(file: File) -> list[SectionView]:
    """The application's data, section by section, with the form's own labels."""
    procedure = get_procedure(file.procedure_code)
    views = []
    for section in procedure.sections:
        data = file.section_data(section.code)
        form_class = SECTION_FORMS.get(section.code)
        base_fields = form_class.base_fields if form_class is not None else {}
        fields = [
            SectionField(
                label=str(field.label or name), value=_display(field, data.get(name), name)
            )
            for name, field in base_fields.items()
            if name in data
        ]
        # Values stored outside the form's fields (older data) are still shown.
        fields += [
            SectionField(label=name, value=_display(None, value))
            for name, value in data.items()
            if name not in base_fields
        ]
        views.append(
            SectionView(
                code=section.code,
                title=str(section.title),
                complete=file.section_complete(section.code),
                fields=fields,
            )
        )
    return views


@dataclass(frozen=True)
class DocumentRow:
    document_id: uuid.UUID
    label: str
    name: str
    content_type: str
    size: int
    sha256: str
    added_at: Any
    step: str


def file_documents(file: File) -> list[DocumentRow]:
    """Every document of the file: the applicant's, the receipt and the decision letters."""
    rows = [
        DocumentRow(
            document_id=item.stored_document_id,
            label=document_label(item.kind),
            name=item.stored_document.original_name,
            content_type=item.stored_document.content_type,
            size=item.stored_document.size,
            sha256=item.stored_document.sha256,
            added_at=item.added_at,
            step=item.get_step_display(),
        )
        for item in FileDocument.objects.filter(file=file).select_related("stored_document")
    ]
    if file.receipt is not None:
        rows.append(_generated(file.receipt, _("Receipt")))
    letters = Decision.objects.filter(file=file, letter__isnull=False).select_related("letter")
    rows += [
        _generated(decision.letter, _("Decision letter"))
        for decision in letters
        if decision.letter is not None
    ]
    return rows


def _generated(document: StoredDocument, label: str) -> DocumentRow:
    return DocumentRow(
        document_id=document.id,
        label=label,
        name=document.original_name,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        added_at=document.uploaded_at,
        step=_("generated by Working in Belgium"),
    )


def file_document(*, file: File, document_id: uuid.UUID) -> StoredDocument | None:
    """One stored document of this file (uploaded, receipt or letter); None if not the file's."""
    allowed = {row.document_id for row in file_documents(file)}
    if document_id not in allowed:
        return None
    return StoredDocument.objects.filter(pk=document_id).first()


@dataclass(frozen=True)
class Deadlines:
    next_deadline: date | None
    overdue: bool
    information_due_on: date | None
    decision_due_on: date | None
    extended: bool
    complete_since: date | None
    admissible_on: date | None
    forward_due_on: date | None


def file_deadlines(file: File) -> Deadlines:
    forward = None
    if file.admissible_on and get_procedure(file.procedure_code).has_stage("residence"):
        forward = forward_due_on(
            procedure_code=file.procedure_code, admissible_on=file.admissible_on
        )
    return Deadlines(
        next_deadline=next_deadline(file),
        overdue=is_overdue(file, clock.today()),
        information_due_on=file.information_due_on,
        decision_due_on=file.decision_due_on,
        extended=file.extended,
        complete_since=file.complete_since,
        admissible_on=file.admissible_on,
        forward_due_on=forward,
    )


def salary_reference_date(file: File) -> date:
    """The day whose threshold applies: the start of the employment, as checked on submission."""
    value = file.section_data("employment").get("start_date")
    try:
        return date.fromisoformat(str(value)) if value else clock.today()
    except ValueError:
        return clock.today()


def information_requests(file: File) -> QuerySet[InformationRequest]:
    return (
        InformationRequest.objects.filter(file=file)
        .select_related("requested_by", "answered_by")
        .prefetch_related("documents__stored_document")
        .order_by("requested_at", "pk")
    )


def decisions(file: File) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(file=file).select_related("decided_by").order_by("decided_on", "pk")
    )


def stage_authority(file: File) -> Authority | None:
    """The authority handling the file's current stage (the region, or the Immigration Office)."""
    code = stage_authority_code(file)
    return Authority.objects.filter(code=code).first() if code else None


def worker_insz_display(file: File) -> str:
    if not file.worker_insz:
        return ""
    try:
        return format_insz(file.worker_insz)
    except (ValidationError, ValueError, TypeError):
        return file.worker_insz


def official_authority_code(actor: Any) -> str:
    from wib.accounts.permissions import official_authority_codes

    codes = official_authority_codes(actor)
    return next(iter(codes), "")


def record_consultation(*, file: File, actor: Any, action: str, data: dict | None = None) -> None:
    """An audit record for an official reading the file or one of its documents."""
    record_event(
        actor=actor,
        action=action,
        target_type="file",
        target_id=str(file.public_id),
        on_behalf_of=file.employer.number if file.employer is not None else "",
        authority_code=official_authority_code(actor),
        data={"reference": file.reference, **(data or {})},
    )
