"""The REST API v1 (django-ninja): endpoints translate only, through selectors and services."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.openapi.docs import Swagger
from pydantic import Field, field_validator

from wib.audit.services import record_event
from wib.files.errors import FileNotFound
from wib.files.models import File
from wib.files.selectors import (
    APPLICANT,
    FileFilters,
    file_deadline,
    file_for_applicant,
    files_for_applicant,
    timeline,
)
from wib.files.services import withdraw_file
from wib.files.workflow import state_label
from wib.geography.models import Authority
from wib.geography.resolver import (
    GeographyError,
    Place,
    municipalities_for_postcode,
    resolve_authority,
)
from wib.procedures.registry import get_procedure
from wib.registry.selectors import AddressInfo, enterprise_details

from . import errors, schemas
from .auth import AUTHENTICATED, Caller, caller
from .throttling import THROTTLES, PerIpThrottle
from .tokens import files_in_token_scope

MAX_PAGE_SIZE = 100


def _docs_only_in_debug(view: Any) -> Any:
    """The interactive docs page exists only in development; the schema is always public."""

    from ninja.openapi.views import openapi_view

    if getattr(view, "func", None) is not openapi_view:
        return view

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.DEBUG:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Working in Belgium API",
    version="1",
    description=(
        "Files of the single window for foreign workers' permits, the competent authority for "
        "a postcode and the enterprise register. Authenticate with a signed-in session "
        "(X-CSRFToken on unsafe methods) or a personal token: `Authorization: Bearer wib_…`. "
        "Errors are JSON `{code, detail, errors}`, translated by Accept-Language."
    ),
    urls_namespace="api",
    auth=AUTHENTICATED,
    throttle=THROTTLES,
    docs=Swagger(),
    docs_decorator=_docs_only_in_debug,
)
errors.install(api)

ERRORS = {
    401: schemas.Error,
    404: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}


# --- files ----------------------------------------------------------------------------------


def _file(who: Caller, public_id: str) -> File:
    """The caller's file, or not found: a foreign file and a missing one look the same."""
    file = file_for_applicant(actor=who.user, public_id=public_id)
    if (
        who.token is not None
        and not files_in_token_scope(File.objects.filter(pk=file.pk), who.token).exists()
    ):
        raise FileNotFound(public_id)
    return file


def _record_consultation(request: HttpRequest, who: Caller, file: File, page: str) -> None:
    """An audit record of the read, as the web pages keep one: who saw this file's data."""
    with transaction.atomic():
        record_event(
            actor=who.user,
            action="file.viewed",
            target_type="file",
            target_id=str(file.public_id),
            on_behalf_of=file.employer.number if file.employer else "",
            data={
                "reference": file.reference,
                "page": page,
                "token": str(who.token.pk) if who.token else "",
            },
            request=request,
        )


def _summary(file: File) -> dict[str, Any]:
    procedure = get_procedure(file.procedure_code)
    deadline, overdue = file_deadline(file)
    return {
        "public_id": str(file.public_id),
        "reference": file.reference,
        "procedure": file.procedure_code,
        "procedure_title": str(procedure.title),
        "state": file.state,
        "state_label": state_label(procedure, file.state),
        "stage": file.stage,
        "authority": file.authority.code if file.authority else None,
        "employer": file.employer.number if file.employer else None,
        "mandatary": file.mandatary.number if file.mandatary else None,
        "worker_name": file.worker_name,
        "submitted_at": file.submitted_at,
        "next_deadline": deadline,
        "overdue": overdue,
        "version": file.version,
        "updated_at": file.updated_at,
    }


def _detail(file: File) -> dict[str, Any]:
    return {
        **_summary(file),
        "authority_name": file.authority.display_name if file.authority else "",
        "authority_rule": file.authority_rule,
        "authority_explanation": file.authority_explanation,
        "category": file.category,
        "nationality": file.nationality,
        "decision_due_on": file.decision_due_on,
        "information_due_on": file.information_due_on,
        "admissible_on": file.admissible_on,
        "forwarded_at": file.forwarded_at,
        "closed_at": file.closed_at,
        "created_at": file.created_at,
    }


class FileQuery(Schema):
    q: str = Field(default="", max_length=200, description="Reference, name or INSZ.")
    state: str = Field(default="", max_length=40)
    procedure: str = Field(default="", max_length=40)
    authority: str = Field(default="", max_length=40)
    open_only: bool = False
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("q", "state", "procedure", "authority")
    @classmethod
    def _without_nul(cls, value: str) -> str:
        # PostgreSQL text cannot hold a NUL byte (the query would fail); no value contains one.
        return value.replace("\x00", "")


@api.get("/files", response={200: schemas.FilePage, **ERRORS}, tags=["files"])
def list_files(request: HttpRequest, query: Query[FileQuery]) -> dict[str, Any]:
    """The caller's files across every authority (a token: those of its enterprise)."""
    who = caller(request)
    filters = FileFilters(
        search=query.q,
        state=query.state,
        procedure=query.procedure,
        authority=query.authority,
        open_only=query.open_only,
    )
    queryset = files_in_token_scope(files_for_applicant(actor=who.user, filters=filters), who.token)
    paginator = Paginator(queryset, query.page_size)
    rows = paginator.page(query.page).object_list if query.page <= paginator.num_pages else []
    return {
        "count": paginator.count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": paginator.num_pages if paginator.count else 0,
        "results": [_summary(file) for file in rows],
    }


@api.get("/files/{public_id}", response={200: schemas.FileDetail, **ERRORS}, tags=["files"])
def get_file(request: HttpRequest, public_id: str) -> dict[str, Any]:
    who = caller(request)
    file = _file(who, public_id)
    _record_consultation(request, who, file, "api.detail")
    return _detail(file)


@api.get(
    "/files/{public_id}/timeline",
    response={200: list[schemas.TimelineItem], **ERRORS},
    tags=["files"],
)
def get_file_timeline(request: HttpRequest, public_id: str) -> list[dict[str, Any]]:
    """The file's history as the applicant sees it (no internal notes, no officials' names)."""
    who = caller(request)
    file = _file(who, public_id)
    _record_consultation(request, who, file, "api.timeline")
    return [
        {
            "at": entry.at,
            "action": entry.action,
            "label": entry.label,
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            "state_label": entry.state_label,
            "actor_name": entry.actor_name,
            "capacity": entry.capacity,
            "message": entry.message,
        }
        for entry in timeline(file=file, audience=APPLICANT)
    ]


@api.post(
    "/files/{public_id}/withdraw",
    response={200: schemas.FileDetail, 403: schemas.Error, 409: schemas.Error, **ERRORS},
    tags=["files"],
)
def withdraw(request: HttpRequest, public_id: str, payload: schemas.WithdrawIn) -> dict[str, Any]:
    """Withdraw the application before the final decision. 409 when the file changed since
    `expected_version` or cannot be withdrawn in its status."""
    who = caller(request)
    file = withdraw_file(
        file=_file(who, public_id),
        actor=who.user,
        reason=payload.reason.strip(),
        expected_version=payload.expected_version,
    )
    return _detail(file)


# --- competent authority (public) -------------------------------------------------------------


def _municipality(info: Any, language: str) -> dict[str, Any]:
    return {"refnis": info.refnis, "name": info.name_in(language), "names": dict(info.names)}


@api.get(
    "/authority",
    auth=None,
    throttle=[PerIpThrottle()],
    response={200: schemas.AuthorityOut, 422: schemas.Error, 429: schemas.Error},
    tags=["authority"],
)
def get_authority(
    request: HttpRequest,
    postcode: str = Query(..., max_length=10, examples=["1630"]),
    municipality: str = Query("", max_length=5, description="REFNIS code, for 1040/1050/1804."),
    basis: Literal["place_of_employment", "residence"] = "place_of_employment",
) -> dict[str, Any]:
    """Which authority is competent for a place of employment (or, for the permit of
    indefinite duration, the worker's residence), and why."""
    from django.utils.translation import get_language

    language = (get_language() or "nl")[:2]
    try:
        candidates = municipalities_for_postcode(postcode.strip())
        resolution = resolve_authority(
            places=[Place(postcode=postcode.strip(), municipality_refnis=municipality.strip())],
            basis=basis,
        )
    except GeographyError as error:
        raise errors.InvalidInput(
            error,
            field="municipality" if municipality and "postcode" not in (error.code or "") else "",
        ) from None
    authority = Authority.objects.filter(code=resolution.authority).first()
    return {
        "postcode": resolution.postcode,
        "basis": basis,
        "authority": resolution.authority,
        "authority_name": authority.display_name if authority else resolution.authority,
        "service_name": authority.service_display_name if authority else "",
        "rule": resolution.rule,
        "explanation": str(resolution.explanation),
        "municipality": _municipality(resolution.municipality, language)
        if resolution.municipality_certain
        else None,
        "municipalities": [_municipality(item, language) for item in candidates],
    }


# --- enterprise register (signed in) --------------------------------------------------------


def _address(address: AddressInfo | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "postcode": address.postcode,
        "municipality": address.municipality,
        "municipality_refnis": address.municipality_refnis,
        "street": address.street,
        "house_number": address.house_number,
        "box": address.box,
        "country": address.country,
    }


@api.get(
    "/enterprises/{number}", response={200: schemas.EnterpriseOut, **ERRORS}, tags=["register"]
)
def get_enterprise(request: HttpRequest, number: str) -> dict[str, Any]:
    """An enterprise of the public register (KBO/BCE) with its establishment units; the number
    may be written 0123.456.749, BE0123456749 or with the old 9 digits."""
    from wib.core.identifiers import IdentifierError

    try:
        details = enterprise_details(number)
    except IdentifierError as error:
        raise errors.InvalidInput(error, field="number") from None
    if details is None:
        raise Http404
    return {
        "number": details.number,
        "formatted_number": details.formatted_number,
        "name": details.name,
        "status": details.status,
        "start_date": details.start_date,
        "legal_form": {
            "code": details.legal_form.code,
            "description": details.legal_form.description,
        }
        if details.legal_form
        else None,
        "registered_office": _address(details.registered_office),
        "establishments": [
            {
                "number": unit.number,
                "formatted_number": unit.formatted_number,
                "start_date": unit.start_date,
                "address": _address(unit.address),
                "authority": unit.authority,
            }
            for unit in details.establishments
        ],
        "listed_in_register": details.listed_in_register,
    }
