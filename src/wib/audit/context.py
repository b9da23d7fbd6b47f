"""The request being served, kept in a context variable so services can audit its origin."""

from contextvars import ContextVar, Token

from django.http import HttpRequest

_current_request: ContextVar[HttpRequest | None] = ContextVar("wib_audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def set_current_request(request: HttpRequest | None) -> Token[HttpRequest | None]:
    return _current_request.set(request)


def reset_current_request(token: Token[HttpRequest | None]) -> None:
    _current_request.reset(token)
