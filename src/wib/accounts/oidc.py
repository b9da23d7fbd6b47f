"""Login through OpenID Connect (the federal authentication service: itsme, eID).

Users are matched or created by the national register number carried in a configurable
claim (WIB_OIDC_NRN_CLAIM; the FAS calls it e.g. "egovNRN"). Endpoints come from the
issuer's discovery document, or from explicit settings; without a client id it is off.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import httpx
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

_discovery_cache: dict[str, dict[str, Any]] = {}

# mozilla-django-oidc setting name -> (our setting, key in the discovery document)
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": ("WIB_OIDC_AUTHORIZATION_ENDPOINT", "authorization_endpoint"),
    "OIDC_OP_TOKEN_ENDPOINT": ("WIB_OIDC_TOKEN_ENDPOINT", "token_endpoint"),
    "OIDC_OP_USER_ENDPOINT": ("WIB_OIDC_USERINFO_ENDPOINT", "userinfo_endpoint"),
    "OIDC_OP_JWKS_ENDPOINT": ("WIB_OIDC_JWKS_ENDPOINT", "jwks_uri"),
}


def oidc_enabled() -> bool:
    return bool(getattr(settings, "WIB_OIDC_CLIENT_ID", ""))


def discovery_document(issuer: str) -> dict[str, Any]:
    """The issuer's /.well-known/openid-configuration, fetched once per process."""
    if issuer not in _discovery_cache:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = httpx.get(url, timeout=10)
        response.raise_for_status()
        _discovery_cache[issuer] = response.json()
    return _discovery_cache[issuer]


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, derived from our WIB_OIDC_* settings."""
    if attr in _ENDPOINTS:
        ours, key = _ENDPOINTS[attr]
        explicit = getattr(settings, ours, "")
        if explicit:
            return explicit
        issuer = getattr(settings, "WIB_OIDC_ISSUER", "")
        if issuer and oidc_enabled():
            return discovery_document(issuer).get(key, "")
        return default[0] if default else ""
    derived = {
        "OIDC_RP_CLIENT_ID": lambda: settings.WIB_OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": lambda: settings.WIB_OIDC_CLIENT_SECRET,
        "OIDC_RP_SCOPES": lambda: settings.WIB_OIDC_SCOPES,
        "OIDC_RP_SIGN_ALGO": lambda: settings.WIB_OIDC_SIGN_ALGO,
        "OIDC_TOKEN_USE_BASIC_AUTH": lambda: settings.WIB_OIDC_TOKEN_USE_BASIC_AUTH,
    }
    if attr in derived:
        return derived[attr]()
    return import_from_settings(attr, *default)


class NationalRegisterOIDCBackend(OIDCAuthenticationBackend):
    """Finds the person by national register number; creates the account on first login."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django instantiates every backend for every password login: stay inert when off.
        if not oidc_enabled():
            from django.contrib.auth import get_user_model

            self.UserModel = get_user_model()
            return
        super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def _national_register_number(self, claims: dict[str, Any]) -> str:
        from wib.core.identifiers import normalize_insz

        value = claims.get(settings.WIB_OIDC_NRN_CLAIM, "")
        try:
            return normalize_insz(str(value))
        except ValidationError:
            return ""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._national_register_number(claims))

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        # Never log the national register number itself.
        return "a person identified by national register number"

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        number = self._national_register_number(claims)
        if not number:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(national_register_number=number)

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = self.UserModel(
            username=f"fas-{secrets.token_hex(8)}",
            national_register_number=self._national_register_number(claims),
            email=claims.get("email", "") or "",
            first_name=(claims.get("given_name", "") or "")[:150],
            last_name=(claims.get("family_name", "") or "")[:150],
        )
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        changed = False
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = (claims.get(claim, "") or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save(update_fields=["first_name", "last_name"])
        return user


class OIDCLoginView(OIDCAuthenticationRequestView):
    """Starts the authorization-code flow (with PKCE, state and nonce)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The parent reads its settings at construction; defer until we know OIDC is on.
        self._init_args = (args, kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        init_args, init_kwargs = self._init_args
        super().__init__(*init_args, **init_kwargs)
        return super().dispatch(request, *args, **kwargs)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """Receives the code, lets the backend log the person in, and sends them on."""

    @property
    def failure_url(self) -> str:
        return resolve_url(self.get_settings("LOGIN_REDIRECT_URL_FAILURE", "accounts:login"))

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Logging in through the federal authentication service did not succeed."),
        )
        return super().login_failure()

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)
