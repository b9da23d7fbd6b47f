"""Makes the current request available to `record_event` without passing it through services."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wib.audit.context import reset_current_request, set_current_request


class AuditContextMiddleware:
    """Sets the audit context for the duration of one request (placed after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_current_request(request)
        try:
            return self.get_response(request)
        finally:
            reset_current_request(token)
