"""Back-office pages: they parse the request, call one selector or service, and render.

Every page requires an official of an authority who passed the second factor in this session;
a file the official may not see answers 404, exactly like a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wib.accounts.access import official_required
from wib.accounts.permissions import is_supervisor
from wib.audit.selectors import views_of
from wib.documents.models import StoredDocument
from wib.documents.services import document_inline_response, document_response
from wib.files.employment import (
    employment_data_for_file,
    refresh_employment_data,
    salary_assessment,
)
from wib.files.errors import ConcurrentChange, FileError, FileNotFound, InvalidTransition
from wib.files.models import File
from wib.files.selectors import OFFICIAL, file_for_official, files_in_queue, timeline
from wib.files.services import AlreadyExtended
from wib.files.workflow import state_label
from wib.procedures.definitions import IMMIGRATION_OFFICE, RESIDENCE_STAGE, WORK_STAGE
from wib.procedures.registry import category_label, get_procedure

from . import selectors
from .actions import ACTIONS, OfficialAction, available_actions
from .forms import ActionForm, QueueFilterForm

PAGE_SIZE = 25


def _not_handled_here() -> str:
    return _("Your authority does not handle this file at this stage: the action was not taken.")


def _authority_code(request: HttpRequest) -> str:
    return request.official_membership.authority.code  # type: ignore[attr-defined]


@official_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    """The authority's files in its stage, with search, filters, order and paging."""
    code = _authority_code(request)
    stage = RESIDENCE_STAGE if code == IMMIGRATION_OFFICE else WORK_STAGE
    form = QueueFilterForm(request.GET, stage=stage)
    files = files_in_queue(actor=request.user, authority_code=code, filters=form.filters())
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    supervisor = is_supervisor(request.user, code)
    return render(
        request,
        "backoffice/queue.html",
        {
            "authority": request.official_membership.authority,  # type: ignore[attr-defined]
            "form": form,
            "page": page,
            "rows": selectors.queue_rows(list(page.object_list)),
            "query": query.urlencode(),
            "supervisor": supervisor,
            "dashboard": selectors.status_dashboard(actor=request.user, authority_code=code)
            if supervisor
            else [],
        },
    )


def _file_or_404(request: HttpRequest, public_id: uuid.UUID) -> File:
    try:
        return file_for_official(actor=request.user, public_id=public_id)
    except FileNotFound:
        raise Http404 from None


def _render_file(
    request: HttpRequest,
    file: File,
    *,
    bound: tuple[str, ActionForm] | None = None,
) -> HttpResponse:
    selectors.record_consultation(file=file, actor=request.user, action="file.viewed")
    procedure = get_procedure(file.procedure_code)
    forms = []
    for action in available_actions(file=file, actor=request.user):
        if bound is not None and bound[0] == action.code:
            forms.append((action, bound[1]))
        else:
            forms.append((action, action.form_class(file=file, prefix=action.code)))
    numbers = {enterprise.number for enterprise in (file.employer, file.mandatary) if enterprise}
    names = selectors.employer_names(numbers)
    return render(
        request,
        "backoffice/file.html",
        {
            "file": file,
            "procedure": procedure,
            "state_label": state_label(procedure, file.state),
            "category_label": category_label(file.category) if file.category else "",
            # The name the applicant entered stands in where the register has none.
            "employer_name": (
                names.get(file.employer.number, "")
                or file.section_data("employer").get("employer_name", "")
            )
            if file.employer
            else "",
            "mandatary_name": names.get(file.mandatary.number, "") if file.mandatary else "",
            "worker_insz": selectors.worker_insz_display(file),
            "stage_authority": selectors.stage_authority(file),
            "sections": selectors.file_sections(file),
            "documents": selectors.file_documents(file),
            "deadlines": selectors.file_deadlines(file),
            "information_requests": selectors.information_requests(file),
            "decisions": selectors.decisions(file),
            "timeline": timeline(file=file, audience=OFFICIAL),
            "views": views_of(target_type="file", target_id=str(file.public_id))[:20],
            "action_forms": forms,
            "error_form": bound[1] if bound is not None else None,
            "employment_data": employment_data_for_file(file=file, actor=request.user),
            "employment_fetch_url": reverse(
                "backoffice:fetch-employment", kwargs={"public_id": file.public_id}
            )
            if file.worker_insz
            else "",
            "employment_fetch_hint": _(
                "Ask Dimona and DmfA what the employer declared for this worker, to compare "
                "with the application. The request is recorded in the audit trail."
            ),
            "salary_assessment": salary_assessment(
                file=file, on=selectors.salary_reference_date(file)
            ),
        },
        status=400 if bound is not None else 200,
    )


@official_required
@require_GET
def file_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A file with all its data, documents, history, deadlines and the actions of its status."""
    return _render_file(request, _file_or_404(request, public_id))


@official_required
@require_POST
def fetch_employment_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Ask Dimona and DmfA for the file's worker and employer; a silent source is a message."""
    file = _file_or_404(request, public_id)
    back = redirect("backoffice:file", public_id=file.public_id)
    try:
        data = refresh_employment_data(file=file, actor=request.user)
    except PermissionDenied:
        messages.error(request, _not_handled_here())
        return back
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    if data.messages:
        messages.warning(request, " ".join(data.messages))
    else:
        messages.success(request, _("The data from Dimona and DmfA has been fetched."))
    return back


def _refusal_message(file: File, action: OfficialAction, submitted_version: Any) -> str:
    """Why an action that the page no longer offers did not take effect."""
    procedure = get_procedure(file.procedure_code)
    label = state_label(procedure, file.state)
    if submitted_version not in (None, "") and str(submitted_version) != str(file.version):
        return ConcurrentChange(state_label=label).messages[0]
    if procedure.find_transition(file.state, action.code) is None:
        return InvalidTransition(action_label=action.label, state_label=label).messages[0]
    if action.code == "extend_deadline" and file.extended:
        return AlreadyExtended().messages[0]
    return _not_handled_here()


@official_required
@require_POST
def action_view(request: HttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:
    """Perform one action through its service; the outcome is shown on the file's page."""
    file = _file_or_404(request, public_id)
    official_action = ACTIONS.get(action)
    if official_action is None:
        raise Http404
    back = redirect("backoffice:file", public_id=file.public_id)
    if official_action not in available_actions(file=file, actor=request.user):
        submitted = request.POST.get(f"{action}-version")
        messages.error(request, _refusal_message(file, official_action, submitted))
        return back
    form = official_action.form_class(request.POST, file=file, prefix=action)
    if form.is_valid():
        try:
            official_action.perform(
                file=file,
                actor=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )
        except FileError as error:
            # ConcurrentChange, InvalidTransition, AlreadyExtended: nothing was changed.
            messages.error(request, error.messages[0])
            return back
        except PermissionDenied:
            messages.error(request, _not_handled_here())
            return back
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, str(official_action.done))
            return back
    file.refresh_from_db()
    return _render_file(request, file, bound=(action, form))


def _add_errors(form: ActionForm, error: ValidationError) -> None:
    """A service's field errors go next to the form's field of that name, others on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _consulted_document(
    request: HttpRequest, public_id: uuid.UUID, document_id: uuid.UUID, *, action: str
) -> StoredDocument:
    """A document of a file the official may see, its consultation recorded; else 404."""
    file = _file_or_404(request, public_id)
    document = selectors.file_document(file=file, document_id=document_id)
    if document is None:
        raise Http404
    selectors.record_consultation(
        file=file,
        actor=request.user,
        action=action,
        data={"document": str(document.pk), "sha256": document.sha256},
    )
    return document


@official_required
@require_GET
def document_view(
    request: HttpRequest, public_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponseBase:
    """A document of the file as a download."""
    document = _consulted_document(request, public_id, document_id, action="document.downloaded")
    return document_response(document)


@official_required
@require_GET
def document_inline_view(
    request: HttpRequest, public_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponseBase:
    """A document of the file shown in the browser's own viewer, sandboxed; audited as viewed."""
    document = _consulted_document(request, public_id, document_id, action="document.viewed")
    return document_inline_response(document)
