"""Size limits on uploads and request bodies, and the clear 413 page for a body that is too big.

The real platform rejects oversized uploads without saying the limit; this one says it, in
the user's language, before reading the body.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024
DEFAULT_UPLOAD_MAX_BYTES = 10 * MEGABYTE
DEFAULT_REQUEST_MAX_BYTES = 32 * MEGABYTE
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def upload_limit_bytes() -> int:
    """The largest single document accepted (setting WIB_UPLOAD_MAX_BYTES)."""
    return int(getattr(settings, "WIB_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def request_limit_bytes() -> int:
    """The largest multipart request body accepted (setting WIB_REQUEST_MAX_BYTES).

    Larger than one document so that a form may carry a few of them at once.
    """
    return int(getattr(settings, "WIB_REQUEST_MAX_BYTES", DEFAULT_REQUEST_MAX_BYTES))


def megabytes(size_in_bytes: int) -> str:
    """A byte count as megabytes for people, in the active language: "10", "2,5"."""
    value = size_in_bytes / MEGABYTE
    if value == int(value):
        return formats.number_format(int(value))
    return formats.number_format(round(value, 1), decimal_pos=1)


def _body_limit(request: HttpRequest) -> int | None:
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        return request_limit_bytes()
    # Anything else is read into memory whole, so Django's own memory limit is the limit.
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def request_too_large_response(request: HttpRequest, limit_bytes: int) -> HttpResponse:
    """413 Content Too Large, as a page for people or JSON for API clients."""
    accept = request.headers.get("Accept", "")
    message = _(
        "What you sent is larger than %(limit)s MB, the most this service accepts at once."
    ) % {"limit": megabytes(limit_bytes)}
    if "application/json" in accept and "text/html" not in accept:
        return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
    referer = request.headers.get("Referer", "")
    back_url = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(
        request,
        "documents/request_too_large.html",
        {
            "message": message,
            "upload_limit": megabytes(upload_limit_bytes()),
            "back_url": back_url,
        },
        status=413,
    )


class RequestSizeLimitMiddleware:
    """Answers 413 with a clear page instead of a bare 400 or 500 when a body is too large.

    Placed after LocaleMiddleware (the page is in the user's language) and before the CSRF
    middleware, which is the first to read a posted body. The declared Content-Length is
    checked before anything is read; form bodies are then parsed here so that Django's
    RequestDataTooBig (too much non-file form data) becomes the same 413.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = _body_limit(request)
        if limit is not None and _declared_length(request) > limit:
            return request_too_large_response(request, limit)
        if request.method == "POST" and request.META.get("CONTENT_TYPE", "").startswith(
            _FORM_TYPES
        ):
            try:
                request.POST  # noqa: B018 - parsing here turns RequestDataTooBig into a 413
            except RequestDataTooBig:
                return request_too_large_response(
                    request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or request_limit_bytes()
                )
        return self.get_response(request)
