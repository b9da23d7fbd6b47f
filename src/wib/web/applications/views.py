"""The applicant's pages: they parse the request, call one service or selector, and render.

Every file is looked up through `file_for_applicant`, so a file of another enterprise answers
404 exactly like a missing one. Views of personal data and documents are recorded in the audit
trail ("file.viewed", "document.downloaded", "document.viewed"), which `wib.audit.views_of`
shows on the file page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wib.accounts import permissions
from wib.accounts.access import acting_enterprise, verified_second_factor_required
from wib.audit.selectors import views_of
from wib.audit.services import record_event
from wib.core import clock
from wib.documents.services import (
    DocumentRejected,
    document_inline_response,
    document_response,
)
from wib.files import employment, services
from wib.files.errors import ConcurrentChange, FileError, FileNotFound, IncompleteFile
from wib.files.models import Decision, File, FileDocument
from wib.files.sections import section_form
from wib.files.selectors import (
    APPLICANT,
    FileFilters,
    file_deadline,
    file_for_applicant,
    files_for_applicant,
    timeline,
)
from wib.geography.models import Authority
from wib.procedures.definitions import PLACE_OF_EMPLOYMENT, Procedure
from wib.procedures.registry import all_procedures, document_label, get_procedure

from .forms import (
    AnswerForm,
    DeclarationForm,
    DocumentUploadForm,
    DuplicateForm,
    EmployerPlaceForm,
    FileSearchForm,
    NewApplicationForm,
    WithdrawForm,
    page_section_form,
)

PAGE_SIZE = 20
INDEFINITE = "single-permit-indefinite"

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START = "cannot_start"


# --- access --------------------------------------------------------------------------------


def applicant_required(view: Any) -> Any:
    """Signed in (second factor passed where required) as someone who may apply: a person
    acting for an employer (directly or by mandate) or a worker with a national register number.
    """

    @verified_second_factor_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (permissions.employers_acted_for(user).exists() or permissions.acts_for_self(user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _file(request: HttpRequest, public_id: Any) -> File:
    try:
        return file_for_applicant(actor=request.user, public_id=public_id)
    except FileNotFound:
        raise Http404 from None


def _draft(request: HttpRequest, public_id: Any) -> File:
    file = _file(request, public_id)
    if file.state != "draft":
        raise _NotDraft(file)
    return file


class _NotDraft(Exception):
    def __init__(self, file: File) -> None:
        self.file = file


def draft_only(view: Any) -> Any:
    """Pages that change a draft: a submitted file goes to its own page instead."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _NotDraft as not_draft:
            messages.info(
                request, _("This application has been submitted: it can no longer change.")
            )
            return HttpResponseRedirect(_url("detail", not_draft.file))

    return wrapped


def _url(name: str, file: File, **kwargs: Any) -> str:
    return reverse(f"web:applications:{name}", kwargs={"public_id": file.public_id, **kwargs})


def _record(request: HttpRequest, file: File, action: str, **data: Any) -> None:
    """An audit record of a consultation: who saw or downloaded this file's personal data."""
    with transaction.atomic():
        record_event(
            actor=request.user,
            action=action,
            target_type="file",
            target_id=str(file.public_id),
            on_behalf_of=file.employer.number if file.employer else "",
            data={"reference": file.reference, **data},
            request=request,
        )


def _version(request: HttpRequest) -> int:
    """The version the form was loaded from; a missing or garbled one counts as stale."""
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


def _labelled(items: Any) -> list[FileDocument]:
    """The file's documents, each with the label of its kind for the tables."""
    result = list(items)
    for item in result:
        item.label = document_label(item.kind)  # type: ignore[attr-defined]
    return result


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError onto the form: per field where the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- labels --------------------------------------------------------------------------------


def _state_label(file: File) -> str:
    try:
        return str(get_procedure(file.procedure_code).state(file.state).label)
    except KeyError:
        return file.state


def _state_description(file: File) -> str:
    try:
        return str(get_procedure(file.procedure_code).state(file.state).description)
    except KeyError:
        return ""


def _enterprise_label(enterprise: Any) -> str:
    from wib.registry.selectors import enterprise_details

    details = enterprise_details(enterprise.number)
    name = details.name if details is not None else ""
    return f"{name} ({enterprise})" if name else str(enterprise)


# --- new application -----------------------------------------------------------------------


def _mandatary_firm(user: Any) -> Any:
    """The user's own enterprise that holds a mandate (to apply for a worker), if any."""
    own = permissions.enterprises_with_role(user)
    mandate = (
        permissions.active_mandates()
        .filter(mandatary__in=own)
        .select_related("mandatary")
        .order_by("mandatary__number")
        .first()
    )
    return mandate.mandatary if mandate else None


def _procedure_choices(user: Any, *, has_employers: bool) -> list[Procedure]:
    """The procedures the user may start: employers' procedures for people acting for an
    employer; the permit of indefinite duration for a worker, or for a mandatary."""
    offered = []
    for procedure in all_procedures():
        if procedure.authority_basis == PLACE_OF_EMPLOYMENT:
            if has_employers:
                offered.append(procedure)
        elif permissions.acts_for_self(user) or _mandatary_firm(user) is not None:
            offered.append(procedure)
    return offered


@applicant_required
@require_http_methods(["GET", "POST"])
def new_application(request: HttpRequest) -> HttpResponse:
    """ "What do you want to do?": the procedures in plain words, then the task list."""
    user = request.user
    employers = list(permissions.employers_acted_for(user).order_by("number"))
    procedures = _procedure_choices(user, has_employers=bool(employers))
    current = acting_enterprise(request)
    default_employer = (current.number if current is not None and current in employers else "") or (
        employers[0].number if employers else ""
    )
    employer_choices = [
        (
            enterprise.number,
            _enterprise_label(enterprise)
            + (
                " – " + _("through the mandate to %(mandatary)s") % {"mandatary": through}
                if (through := permissions.mandatary_for(user, enterprise))
                else ""
            ),
        )
        for enterprise in employers
    ]
    procedure_choices = [
        (procedure.code, f"{procedure.description} ({procedure.title})") for procedure in procedures
    ]
    form = NewApplicationForm(
        request.POST if request.method == "POST" else None,
        initial={"employer": default_employer},
        employer_choices=employer_choices,
        procedure_choices=procedure_choices,
    )
    if request.method == "POST" and form.is_valid():
        procedure = get_procedure(form.cleaned_data["procedure"])
        try:
            if procedure.authority_basis == PLACE_OF_EMPLOYMENT:
                number = form.cleaned_data.get("employer") or default_employer
                employer = next(item for item in employers if item.number == number)
                file = services.start_file(
                    procedure_code=procedure.code, employer=employer, actor=user
                )
            elif permissions.acts_for_self(user):
                file = services.start_file(procedure_code=procedure.code, employer=None, actor=user)
            else:
                file = services.start_file(
                    procedure_code=procedure.code,
                    employer=None,
                    actor=user,
                    mandatary=_mandatary_firm(user),
                )
        except (PermissionDenied, StopIteration):
            form.add_error(
                "procedure",
                ValidationError(
                    _("You may not start this application for this employer."),
                    code="not_allowed",
                ),
            )
        else:
            return HttpResponseRedirect(_url("tasks", file))
    return render(request, "web/applications/new.html", {"form": form})


# --- task list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    code: str
    title: str
    description: str
    status: str
    status_label: str
    url: str


def _status_label(status: str) -> str:
    return {
        NOT_STARTED: _("Not yet started"),
        IN_PROGRESS: _("In progress"),
        COMPLETED: _("Completed"),
        CANNOT_START: _("Cannot start yet"),
    }[status]


def _required_documents(file: File) -> list[Any]:
    if file.authority is None:
        return []
    return get_procedure(file.procedure_code).required_documents(
        authority_code=file.authority.code, category=file.category
    )


def _documents_status(file: File) -> str:
    if file.authority is None:
        return CANNOT_START
    required = {requirement.kind for requirement in _required_documents(file)}
    present = set(file.documents.values_list("kind", flat=True))
    if required <= present:
        return COMPLETED
    return IN_PROGRESS if present else NOT_STARTED


def _tasks(file: File) -> list[Task]:
    procedure = get_procedure(file.procedure_code)
    tasks = [
        Task(
            code=section.code,
            title=str(section.title),
            description=str(section.description),
            status=COMPLETED if file.section_complete(section.code) else NOT_STARTED,
            status_label="",
            url=_url("section", file, section=section.code),
        )
        for section in procedure.sections
    ]
    tasks.append(
        Task(
            code="documents",
            title=_("Documents"),
            description=_("The documents this authority requires for this category."),
            status=_documents_status(file),
            status_label="",
            url=_url("documents", file),
        )
    )
    ready = all(task.status == COMPLETED for task in tasks)
    tasks.append(
        Task(
            code="check",
            title=_("Check your answers and submit"),
            description="",
            status=NOT_STARTED if ready else CANNOT_START,
            status_label="",
            url=_url("check", file),
        )
    )
    return [Task(**{**task.__dict__, "status_label": _status_label(task.status)}) for task in tasks]


def _next_task_url(file: File, after: str) -> str:
    tasks = _tasks(file)
    codes = [task.code for task in tasks]
    position = codes.index(after) if after in codes else -1
    for task in tasks[position + 1 :]:
        if task.status in (NOT_STARTED, IN_PROGRESS):
            return task.url
    return _url("tasks", file)


@applicant_required
@draft_only
def tasks(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _draft(request, public_id)
    items = _tasks(file)
    done = sum(1 for task in items[:-1] if task.status == COMPLETED)
    return render(
        request,
        "web/applications/tasks.html",
        {
            "file": file,
            "procedure": get_procedure(file.procedure_code),
            "tasks": items,
            "completed_count": done,
            "task_count": len(items) - 1,
        },
    )


# --- sections ------------------------------------------------------------------------------


def _municipality_choices(postcode: str) -> list[tuple[str, str]]:
    from wib.geography.resolver import GeographyError, municipalities_for_postcode

    if not (len(postcode) == 4 and postcode.isdigit()):
        return []
    try:
        candidates = municipalities_for_postcode(postcode)
    except GeographyError:
        return []
    if len(candidates) < 2:
        return []
    language = (get_language() or "nl")[:2]
    return [(item.refnis, item.name_in(language)) for item in candidates]


@dataclass(frozen=True)
class EmployerLookup:
    """Which enterprise the employer section shows, and what the register says about it."""

    number: str
    details: Any  # wib.registry.selectors.EnterpriseDetails | None
    allowed_numbers: frozenset[str]

    @property
    def units(self) -> list[Any]:
        return list(self.details.establishments) if self.details is not None else []

    @property
    def office(self) -> str:
        """The registered office on one line, in the reader's language where the register has it."""
        office = self.details.registered_office if self.details is not None else None
        if office is None or not office.postcode:
            return ""
        street = " ".join(part for part in (office.street, office.house_number) if part)
        if office.box:
            street = _("%(street)s box %(box)s") % {"street": street, "box": office.box}
        place = f"{office.postcode} {office.municipality}".strip()
        return ", ".join(part for part in (street, place, office.country) if part)


def _employer_lookup(request: HttpRequest, file: File) -> EmployerLookup:
    """The enterprise typed in the section if the user may act for it, else the file's employer.

    A number the user may not act for shows nothing about that enterprise (the form says no).
    """
    from wib.core.identifiers import normalize_enterprise_number
    from wib.registry.selectors import enterprise_details

    allowed = frozenset(
        permissions.employers_acted_for(request.user).values_list("number", flat=True)
    )
    number = file.employer.number if file.employer else ""
    if request.method == "POST":
        try:
            typed = normalize_enterprise_number(request.POST.get("enterprise_number", ""))
        except ValidationError:
            typed = ""
        if typed in allowed:
            number = typed
    return EmployerLookup(
        number=number,
        details=enterprise_details(number) if number else None,
        allowed_numbers=allowed,
    )


def _looked_up(data: Any, lookup: EmployerLookup) -> Any:
    """The posted answers, with a place chosen among the units of the enterprise looked up."""
    data = data.copy()
    numbers = [unit.number for unit in lookup.units]
    if data.get("establishment") not in [*numbers, "other"]:
        data["establishment"] = numbers[0] if numbers else "other"
    return data


def _section_page_form(
    file: File,
    section: str,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    lookup: EmployerLookup | None = None,
) -> Any:
    if section != "employer":
        form = page_section_form(section, file.procedure_code, data)
        form.initial = initial or {}
        return form
    assert lookup is not None
    units = lookup.units
    saved = file.section_data("employer")
    postcode = ((data or {}).get("postcode") or saved.get("postcode") or "").strip()
    chosen = (data or {}).get("establishment") or ""
    if chosen and chosen != "other":
        postcode = next((unit.postcode for unit in units if unit.number == chosen), postcode)
    form = page_section_form(
        "employer",
        file.procedure_code,
        data,
        employer_number=file.employer.number if file.employer else "",
        units=units,
        municipality_choices=_municipality_choices(postcode),
        allowed_numbers=lookup.allowed_numbers,
        register=lookup.details,
    )
    if initial is not None:
        unit_numbers = {unit.number for unit in units}
        establishment = saved.get("establishment_number") or ""
        form.initial = {
            **initial,
            "enterprise_number": str(file.employer) if file.employer else "",
            "establishment": establishment
            if establishment in unit_numbers
            else ("other" if saved else (units[0].number if units else "")),
        }
    return form


@applicant_required
@draft_only
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, public_id: Any, section: str) -> HttpResponse:
    file = _draft(request, public_id)
    procedure = get_procedure(file.procedure_code)
    definition = next((item for item in procedure.sections if item.code == section), None)
    if definition is None:
        raise Http404
    version = file.version
    lookup = _employer_lookup(request, file) if section == "employer" else None
    looking_up = lookup is not None and "lookup" in request.POST
    if request.method == "POST":
        data = _looked_up(request.POST, lookup) if looking_up and lookup else request.POST
        form = _section_page_form(file, section, data, lookup=lookup)
        if looking_up:
            # "Look up in the register": show what it knows, judge only the number, save nothing.
            form.is_valid()
            form.keep_only_number_errors()
            version = _version(request) or file.version
        elif form.is_valid():
            data = (
                form.service_data()
                if isinstance(form, EmployerPlaceForm)
                else {key: request.POST.get(key, "") for key in form.fields}
            )
            try:
                file = services.save_section(
                    file=file,
                    section=section,
                    data=data,
                    actor=request.user,
                    expected_version=_version(request),
                )
            except ConcurrentChange as error:
                file.refresh_from_db()
                version = file.version
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "Someone else changed this application while you were filling "
                            "in this page. Your answers below were not saved yet: check them "
                            "and save again."
                        ),
                        code=error.code,
                    ),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if "later" in request.POST:
                    messages.success(request, _("Your answers have been saved."))
                    return HttpResponseRedirect(_url("tasks", file))
                return HttpResponseRedirect(_next_task_url(file, section))
        else:
            version = _version(request) or file.version
    else:
        initial = file.section_data(section)
        if section == "employment" and not initial:
            # "Only once": start from what Dimona and DmfA said, if they were asked.
            fetched = employment.stored_employment_data(file)
            initial = employment.prefill_from_employment_data(fetched) if fetched else {}
        form = _section_page_form(file, section, None, initial=initial, lookup=lookup)
        # Every section shows personal data (the worker, the residence, the pay, the stay).
        _record(request, file, "file.viewed", page=section)
    return render(
        request,
        "web/applications/section.html",
        {
            "file": file,
            "procedure": procedure,
            "definition": definition,
            "form": form,
            "version": version,
            "lookup": lookup,
            "offers_lookup": lookup is not None and len(lookup.allowed_numbers) > 1,
            **(_employment_context(file) if section == "employment" else {}),
        },
    )


def _employment_context(file: File) -> dict[str, Any]:
    start = file.section_data("employment").get("start_date")
    try:
        on = date.fromisoformat(str(start)) if start else clock.today()
    except ValueError:
        on = clock.today()
    return {
        "employment_data": employment.stored_employment_data(file),
        "salary_assessment": employment.salary_assessment(file=file, on=on),
        "employment_fetch_url": _url("fetch-employment", file) if file.worker_insz else "",
    }


@applicant_required
@draft_only
@require_POST
def fetch_employment(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Ask Dimona and DmfA for the worker's employment; a silent source is shown, not raised."""
    file = _draft(request, public_id)
    try:
        employment.refresh_employment_data(file=file, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(_url("section", file, section="employment"))


# --- documents -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSlot:
    kind: str
    label: str
    description: str
    required: bool
    uploaded: list[FileDocument]
    form: Any


def _document_slots(file: File, bound: dict[str, Any] | None = None) -> list[DocumentSlot]:
    from wib.procedures.registry import all_document_kinds

    kinds = {kind.code: kind for kind in all_document_kinds()}
    uploaded: dict[str, list[FileDocument]] = {}
    for item in _labelled(
        file.documents.select_related("stored_document").order_by("added_at", "pk")
    ):
        uploaded.setdefault(item.kind, []).append(item)
    required = [requirement.kind for requirement in _required_documents(file)]
    order = required + [kind for kind in uploaded if kind not in required and kind != "other"]
    order.append("other")
    slots = []
    for code in order:
        kind = kinds.get(code)
        form = (bound or {}).get(code) or DocumentUploadForm(prefix=code)
        slots.append(
            DocumentSlot(
                kind=code,
                label=str(kind.label) if kind else code,
                description=str(kind.description) if kind else "",
                required=code in required,
                uploaded=uploaded.get(code, []),
                form=form,
            )
        )
    return slots


@applicant_required
@draft_only
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _draft(request, public_id)
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        form = DocumentUploadForm(request.POST, request.FILES, prefix=kind)
        if form.is_valid():
            try:
                services.attach_document(
                    file=file,
                    kind=kind,
                    uploaded_file=form.cleaned_data["document"],
                    actor=request.user,
                )
            except DocumentRejected as error:
                form.add_error("document", error)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The document “%(kind)s” has been added.") % {"kind": document_label(kind)},
                )
                return HttpResponseRedirect(_url("documents", file))
        bound[kind] = form
        status = 400
    file.refresh_from_db()
    slots = _document_slots(file, bound)
    return render(
        request,
        "web/applications/documents.html",
        {
            "file": file,
            "slots": slots,
            "failed": next((slot for slot in slots if slot.form.errors), None),
            "status": _documents_status(file),
        },
        status=status,
    )


@applicant_required
@draft_only
@require_POST
def remove_document(request: HttpRequest, public_id: Any, document_id: Any) -> HttpResponse:
    file = _draft(request, public_id)
    item = file.documents.filter(stored_document_id=document_id).first()
    if item is None:
        raise Http404
    try:
        services.remove_document(file=file, document=item, actor=request.user)
    except FileError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document has been removed."))
    return HttpResponseRedirect(_url("documents", file))


def _consulted_document(
    request: HttpRequest, public_id: Any, document_id: Any, *, action: str
) -> FileDocument:
    """A document of a file the applicant may see, its consultation recorded; else 404."""
    file = _file(request, public_id)
    item = (
        file.documents.select_related("stored_document")
        .filter(stored_document_id=document_id)
        .first()
    )
    if item is None:
        raise Http404
    _record(request, file, action, kind=item.kind, document=str(item.stored_document_id))
    return item


@applicant_required
def download_document(request: HttpRequest, public_id: Any, document_id: Any) -> HttpResponseBase:
    item = _consulted_document(request, public_id, document_id, action="document.downloaded")
    return document_response(item.stored_document)


@applicant_required
def view_document(request: HttpRequest, public_id: Any, document_id: Any) -> HttpResponseBase:
    """The document in the browser's own viewer (sandboxed, no scripts); audited as viewed."""
    item = _consulted_document(request, public_id, document_id, action="document.viewed")
    return document_inline_response(item.stored_document)


# --- check and submit ----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    label: str
    value: str


@dataclass(frozen=True)
class SectionAnswers:
    code: str
    title: str
    answers: list[Answer]
    url: str


def _display(field: Any, value: Any) -> str:
    from django import forms

    if value in (None, ""):
        return ""
    if isinstance(field, forms.TypedChoiceField) and isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.ChoiceField):
        return str(dict(cast(Any, field.choices)).get(value, value))
    if isinstance(field, forms.DateField):
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if isinstance(field, forms.DecimalField):
        # Amounts and hours as the reader writes them: "48.912,00" in Dutch, "48 912,00" in
        # French, "48,912.00" in English; whole hours without decimals.
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
        if number == number.to_integral_value() and field.decimal_places != 2:
            return number_format(int(number), force_grouping=True)
        return number_format(number, decimal_pos=2, force_grouping=True)
    return str(value)


def _answers(file: File) -> list[SectionAnswers]:
    procedure = get_procedure(file.procedure_code)
    result = []
    for definition in procedure.sections:
        data = file.section_data(definition.code)
        form = section_form(definition.code, file.procedure_code)
        answers = []
        if definition.code == "employer" and file.employer:
            answers.append(Answer(_("Employer"), _enterprise_label(file.employer)))
        for name, field in form.fields.items():
            shown = _display(field, data.get(name))
            if shown:
                answers.append(Answer(str(field.label), shown))
        result.append(
            SectionAnswers(
                code=definition.code,
                title=str(definition.title),
                answers=answers,
                url=_url("section", file, section=definition.code),
            )
        )
    return result


@applicant_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    if file.state != "draft":
        # A second click (or another tab) after the submission: show that one submission.
        return HttpResponseRedirect(_url("submitted" if file.submitted_at else "detail", file))
    form = DeclarationForm(
        request.POST if request.method == "POST" else None, initial={"version": file.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_file(
                file=file,
                actor=request.user,
                declaration_accepted=form.cleaned_data["declaration"],
                expected_version=form.cleaned_data["version"],
            )
        except IncompleteFile as error:
            for problem in error.messages:
                form.add_error(None, problem)
        except FileError as error:
            file.refresh_from_db()
            if file.state != "draft" and file.submitted_at is not None:
                # A second click (or another tab) arrived after the submission: show it once.
                return HttpResponseRedirect(_url("submitted", file))
            form = DeclarationForm(initial={"version": file.version})
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(_url("submitted", file))
    if request.method == "GET":
        _record(request, file, "file.viewed", page="check")
    file.refresh_from_db()
    return render(
        request,
        "web/applications/check.html",
        {
            "file": file,
            "procedure": get_procedure(file.procedure_code),
            "sections": _answers(file),
            "documents": _labelled(file.documents.select_related("stored_document")),
            "problems": services.missing_for_submission(file),
            "form": form,
        },
    )


@applicant_required
def submitted(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    if file.state == "draft":
        return HttpResponseRedirect(_url("tasks", file))
    return render(
        request,
        "web/applications/submitted.html",
        {"file": file, "procedure": get_procedure(file.procedure_code)},
    )


@applicant_required
def receipt(request: HttpRequest, public_id: Any) -> HttpResponseBase:
    file = _file(request, public_id)
    if file.receipt is None:
        raise Http404
    _record(request, file, "document.downloaded", kind="receipt", document=str(file.receipt_id))
    return document_response(file.receipt)


@applicant_required
def decision_letter(request: HttpRequest, public_id: Any, letter_id: Any) -> HttpResponseBase:
    file = _file(request, public_id)
    decision = (
        Decision.objects.select_related("letter").filter(file=file, letter_id=letter_id).first()
    )
    if decision is None or decision.letter is None:
        raise Http404
    _record(request, file, "document.downloaded", kind="decision", document=str(decision.letter_id))
    return document_response(decision.letter)


# --- following a file ----------------------------------------------------------------------


def _document_kinds(file: File) -> list[tuple[str, str]]:
    procedure = get_procedure(file.procedure_code)
    codes = [requirement.kind for requirement in procedure.documents]
    codes = list(dict.fromkeys([*codes, "other"]))
    return [(code, document_label(code)) for code in codes]


def _recipients(file: File) -> list[str]:
    """Who receives the messages about this file, in words."""
    lines = []
    if file.employer is not None:
        lines.append(_("The employer's eBox (enterprise %(number)s)") % {"number": file.employer})
    if file.mandatary is not None:
        lines.append(
            _("The mandatary's eBox (enterprise %(number)s); the mandatary follows the file here")
            % {"number": file.mandatary}
        )
    if file.worker_insz or file.worker_user_id:
        lines.append(_("The worker's eBox, for the final decision"))
    return lines


def _render_detail(
    request: HttpRequest, file: File, answer_form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    procedure = get_procedure(file.procedure_code)
    open_request = (
        file.information_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
    )
    may_answer = open_request is not None and any(
        procedure.find_transition(file.state, action)
        for action in ("answer_information", "answer_residence_information")
    )
    if may_answer and answer_form is None:
        answer_form = AnswerForm(initial={"version": file.version}, kinds=_document_kinds(file))
    deadline, overdue = file_deadline(file)
    views = [record for record in views_of(target_type="file", target_id=str(file.public_id))]
    return render(
        request,
        "web/applications/detail.html",
        {
            "file": file,
            "procedure": procedure,
            "state_label": _state_label(file),
            "state_description": _state_description(file),
            "employer_label": _enterprise_label(file.employer) if file.employer_id else "",
            "mandatary_label": _enterprise_label(file.mandatary) if file.mandatary_id else "",
            "deadline": deadline,
            "overdue": overdue,
            "sections": _answers(file),
            "documents": _labelled(file.documents.select_related("stored_document")),
            "timeline": timeline(file=file, audience=APPLICANT),
            "requests": file.information_requests.order_by("requested_at"),
            "open_request": open_request if may_answer else None,
            "answer_form": answer_form,
            "decisions": file.decisions.select_related("letter").order_by("decided_on", "pk"),
            "views": [record for record in views if record.authority_code],
            "recipients": _recipients(file),
            "may_withdraw": procedure.find_transition(file.state, "withdraw") is not None,
            "may_renew": (file.procedure_code, file.state) in services.RENEWABLE,
        },
        status=status,
    )


@applicant_required
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    if file.state == "draft":
        return HttpResponseRedirect(_url("tasks", file))
    _record(request, file, "file.viewed", page="detail")
    return _render_detail(request, file)


@applicant_required
@require_POST
def answer(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    form = AnswerForm(request.POST, request.FILES, kinds=_document_kinds(file))
    if form.is_valid():
        kind = form.cleaned_data.get("kind") or "other"
        try:
            services.answer_information_request(
                file=file,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                documents=[(kind, item) for item in form.cleaned_data["documents"]],
                expected_version=form.cleaned_data["version"],
            )
        except DocumentRejected as error:
            form.add_error("documents", error)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your answer has been sent. The file is back with the official.")
            )
            return HttpResponseRedirect(_url("detail", file))
    file.refresh_from_db()
    return _render_detail(request, file, answer_form=form, status=400)


@applicant_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    procedure = get_procedure(file.procedure_code)
    if procedure.find_transition(file.state, "withdraw") is None:
        messages.error(request, _("This application can no longer be withdrawn."))
        return HttpResponseRedirect(_url("detail", file))
    form = WithdrawForm(
        request.POST if request.method == "POST" else None, initial={"version": file.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_file(
                file=file,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The application has been withdrawn."))
            return HttpResponseRedirect(_url("detail", file))
    return render(
        request,
        "web/applications/withdraw.html",
        {"file": file, "form": form, "procedure": procedure},
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def duplicate(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    form = DuplicateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.duplicate_file(
                file=file,
                actor=request.user,
                include_worker=form.cleaned_data["include_worker"],
                include_documents=form.cleaned_data["include_documents"],
            )
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request,
            _("New application %(reference)s, copied from %(origin)s.")
            % {"reference": copy.reference, "origin": file.reference},
        )
        return HttpResponseRedirect(_url("tasks", copy))
    return render(
        request,
        "web/applications/duplicate.html",
        {"file": file, "form": form, "procedure": get_procedure(file.procedure_code)},
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest, public_id: Any) -> HttpResponse:
    file = _file(request, public_id)
    if (file.procedure_code, file.state) not in services.RENEWABLE:
        messages.error(request, _("Only a granted single permit can be renewed."))
        return HttpResponseRedirect(_url("detail", file))
    if request.method == "POST":
        try:
            renewal = services.start_renewal(file=file, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_url("detail", file))
        messages.success(
            request,
            _("Renewal %(reference)s started from permit %(origin)s.")
            % {"reference": renewal.reference, "origin": file.reference},
        )
        return HttpResponseRedirect(_url("tasks", renewal))
    return render(
        request,
        "web/applications/renew.html",
        {"file": file, "procedure": get_procedure(file.procedure_code)},
    )


# --- overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    file: File
    procedure_title: str
    state_label: str
    authority_name: str
    deadline: date | None
    overdue: bool
    url: str
    is_draft: bool


def _state_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for procedure in all_procedures():
        for state in procedure.states:
            seen.setdefault(state.code, str(state.label))
    return list(seen.items())


@applicant_required
def file_list(request: HttpRequest) -> HttpResponse:
    """Every file of the enterprises the user acts for (and the user's own), all authorities."""
    form = FileSearchForm(
        request.GET or None,
        states=_state_choices(),
        procedures=[(procedure.code, str(procedure.title)) for procedure in all_procedures()],
        authorities=[
            (authority.code, authority.display_name)
            for authority in Authority.objects.filter(kind="work").order_by("code")
        ],
    )
    filters = FileFilters()
    if form.is_valid():
        filters = FileFilters(
            search=form.cleaned_data["q"],
            state=form.cleaned_data["state"],
            procedure=form.cleaned_data["procedure"],
            authority=form.cleaned_data["authority"],
        )
    page = Paginator(files_for_applicant(actor=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for file in page.object_list:
        deadline, overdue = file_deadline(file)
        is_draft = file.state == "draft"
        rows.append(
            Row(
                file=file,
                procedure_title=str(get_procedure(file.procedure_code).title),
                state_label=_state_label(file),
                authority_name=file.authority.display_name if file.authority else "",
                deadline=deadline,
                overdue=overdue,
                url=_url("tasks" if is_draft else "detail", file),
                is_draft=is_draft,
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/applications/list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --- the demo eBox -------------------------------------------------------------------------


def _ebox_owner(request: HttpRequest) -> tuple[str, str, str]:
    """(eBox type, eBox id, label) of the box this user may read: the enterprise the user
    belongs to (never an employer reached by mandate), else the worker's own citizen eBox."""
    user = request.user
    current = acting_enterprise(request)
    own = permissions.enterprises_with_role(user)
    if current is not None:
        if own.filter(pk=current.pk).exists():
            return "enterprise", current.number, _enterprise_label(current)
        through = permissions.mandatary_for(user, current)
        if through is not None:
            return "enterprise", through.number, _enterprise_label(through)
    first = own.order_by("number").first()
    if first is not None:
        return "enterprise", first.number, _enterprise_label(first)
    if permissions.acts_for_self(user):
        return "citizen", user.national_register_number, user.get_full_name()  # type: ignore[union-attr]
    raise PermissionDenied


@applicant_required
def ebox(request: HttpRequest) -> HttpResponse:
    from wib.simulators.ebox import messages_for

    ebox_type, ebox_id, owner = _ebox_owner(request)
    return render(
        request,
        "web/applications/ebox.html",
        {
            "ebox_type": ebox_type,
            "owner": owner,
            "ebox_messages": messages_for(ebox_type=ebox_type, ebox_id=ebox_id),
        },
    )


@applicant_required
def ebox_attachment(request: HttpRequest, message_id: Any, part: str) -> HttpResponseBase:
    from django.http import FileResponse

    from wib.simulators.ebox import attachment_in

    ebox_type, ebox_id, _owner = _ebox_owner(request)
    attachment = attachment_in(
        ebox_type=ebox_type, ebox_id=ebox_id, message_id=message_id, part=part
    )
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
