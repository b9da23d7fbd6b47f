"""Who is calling: a signed-in session (with CSRF on unsafe methods) or a personal API token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from .models import ApiToken
from .tokens import authenticate_token


@dataclass(frozen=True)
class Caller:
    """The acting user, and the token when the call carries one (which narrows the scope)."""

    user: Any
    token: ApiToken | None = None

    @property
    def rate_key(self) -> str:
        return f"token:{self.token.pk}" if self.token else f"user:{self.user.pk}"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer wib_…`: no cookie, so no CSRF check is needed."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = authenticate_token(token)
        return Caller(user=found.owner, token=found) if found else None


class SessionCallerAuth(SessionAuth):
    """The browser session of a signed-in user; ninja checks the CSRF token on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if user.is_authenticated and user.is_active:
            return Caller(user=user)
        return None


def caller(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined,no-any-return]


AUTHENTICATED = [TokenAuth(), SessionCallerAuth(csrf=True)]
