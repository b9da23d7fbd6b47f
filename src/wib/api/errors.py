"""Every refusal of the API as one JSON shape, translated by Accept-Language: never a 500.

`{"code": "...", "detail": "<sentence for people>", "errors": [{"loc": [...], "message": ...}]}`
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from wib.accounts.ratelimit import client_ip, hit
from wib.files.errors import ConcurrentChange, FileError, FileNotFound

# Pydantic's messages are English only: the usual kinds get ours.
FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not allowed here."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "string_type": gettext_lazy("Enter a text."),
    "greater_than_equal": gettext_lazy("The value is too small."),
    "less_than_equal": gettext_lazy("The value is too large."),
    "string_too_long": gettext_lazy("The text is too long."),
    "literal_error": gettext_lazy("This value is not one of the allowed choices."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
}


def error_body(code: str, detail: Any, errors: list[dict[str, Any]] | None = None) -> dict:
    return {"code": code, "detail": str(detail), "errors": errors or []}


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict, **headers: str
) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _field_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    result = []
    for error in exc.errors:
        kind = error.get("type", "")
        # The first item of loc is where the value came from: "query", "path" or "body".
        result.append(
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "type": kind,
                "message": str(FIELD_MESSAGES.get(kind, error.get("msg", ""))),
            }
        )
    return result


def _django_errors(exc: DjangoValidationError, field: str) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [name], "type": error.code or "invalid", "message": message}
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        {"loc": [field] if field else [], "type": error.code or "invalid", "message": message}
        for error in exc.error_list
        for message in error.messages
    ]


class InvalidInput(Exception):
    """A value the domain refused (an invalid enterprise number, an unknown postcode)."""

    def __init__(self, error: DjangoValidationError, *, field: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.field = field


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API."""

    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = error_body("invalid_request", _("The request is not valid."), _field_errors(exc))
        return _respond(api, request, 422, body)

    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        errors = _django_errors(exc.error, exc.field)
        detail = errors[0]["message"] if errors else _("The request is not valid.")
        return _respond(api, request, 422, error_body("invalid_value", detail, errors))

    def authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # A failed token also counts against the address, so tokens cannot be guessed fast.
        result = hit(
            key=f"api:ip:{client_ip(request)}",
            limit=int(settings.WIB_API_RATE_LIMIT_PER_IP),
            window_seconds=settings.WIB_API_RATE_LIMIT_WINDOW_SECONDS,
        )
        if not result.allowed:
            return throttled(request, Throttled(wait=result.retry_after), result.retry_after)
        body = error_body(
            "not_authenticated",
            _("Log in, or send a valid API token as “Authorization: Bearer <token>”."),
        )
        return _respond(api, request, 401, body, WWW_Authenticate="Bearer")

    def throttled(
        request: HttpRequest, exc: Throttled, retry_after: int | None = None
    ) -> HttpResponse:
        body = error_body("rate_limited", _("Too many requests. Please try again later."))
        response = _respond(api, request, 429, body)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            body = error_body("malformed_body", _("The request body is not valid JSON."))
        elif exc.status_code == 403:
            body = error_body(
                "csrf_failed",
                _("The CSRF check failed: send the X-CSRFToken header with a signed-in session."),
            )
        elif exc.status_code == 405:
            body = error_body("method_not_allowed", _("This method is not allowed here."))
        else:
            body = error_body("error", exc.message)
        return _respond(api, request, exc.status_code, body)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A file of someone else answers exactly like a file that does not exist.
        return _respond(api, request, 404, error_body("not_found", _("Not found.")))

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        body = error_body("forbidden", _("You may not do this."))
        return _respond(api, request, 403, body)

    def conflict(request: HttpRequest, exc: FileError) -> HttpResponse:
        code = "concurrent_change" if isinstance(exc, ConcurrentChange) else "not_possible"
        return _respond(api, request, 409, error_body(code, " ".join(exc.messages)))

    def domain_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = _django_errors(exc, "")
        detail = errors[0]["message"] if errors else _("The request is not valid.")
        return _respond(api, request, 422, error_body("invalid_value", detail, errors))

    def unreadable_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        # A form or multipart body was already parsed by the size-limit middleware, so it can
        # no longer be read as JSON: the API takes JSON bodies only.
        body = error_body("malformed_body", _("The request body is not valid JSON."))
        return _respond(api, request, 400, body)

    handlers: list[tuple[type[Exception], Any]] = [
        (NinjaValidationError, validation),
        (RawPostDataException, unreadable_body),
        (InvalidInput, invalid_input),
        (AuthenticationError, authentication),
        (Throttled, throttled),
        (HttpError, http_error),
        (Http404, not_found),
        (FileNotFound, not_found),
        (PermissionDenied, forbidden),
        (FileError, conflict),
        (DjangoValidationError, domain_validation),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)
