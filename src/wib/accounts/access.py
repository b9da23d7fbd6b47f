"""View decorators and mixins that apply the permission layer to pages, API and back office.

A refused object answers exactly like a missing one (404); a refused page answers 403; an
anonymous visitor is sent to the login page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from . import permissions
from .middleware import is_second_factor_pending, second_factor_url

ACTING_ENTERPRISE_SESSION_KEY = "wib.acting_enterprise"

View = Callable[..., HttpResponseBase]


def set_acting_enterprise(request: HttpRequest, enterprise: Any) -> None:
    request.session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.number


def clear_acting_enterprise(request: HttpRequest) -> None:
    request.session.pop(ACTING_ENTERPRISE_SESSION_KEY, None)


def acting_enterprise(request: HttpRequest) -> Any:
    """The enterprise chosen in this session, if the user may still act for or manage it.

    Checked on every request: a revoked mandate or removed membership takes effect at once.
    """
    if not request.user.is_authenticated:
        return None
    return _session_enterprise(request, permissions.employers_acted_for) or _session_enterprise(
        request, permissions.enterprises_managed
    )


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), reverse("accounts:login"))


def _choose(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(
        reverse("accounts:choose-enterprise") + "?" + urlencode({"next": request.get_full_path()})
    )


def _signed_in_gate(request: HttpRequest) -> HttpResponse | None:
    """The login or second-factor page for a request that has not passed them; else None."""
    if not request.user.is_authenticated:
        return _login(request)
    if is_second_factor_pending(request):
        return HttpResponseRedirect(second_factor_url(request))
    return None


def _session_enterprise(request: HttpRequest, allowed: Callable[[Any], Any]) -> Any:
    """The enterprise chosen in this session, if it is among `allowed(user)`; else None."""
    number = request.session.get(ACTING_ENTERPRISE_SESSION_KEY)
    return allowed(request.user).filter(number=number).first() if number else None


def _with_session_enterprise(
    request: HttpRequest, allowed: Callable[[Any], Any]
) -> tuple[Any, HttpResponse | None]:
    """The session's enterprise among `allowed`, or the response to give instead: the login,
    the second factor, the enterprise chooser (when the user has a choice) or a 403."""
    refusal = _signed_in_gate(request)
    if refusal is not None:
        return None, refusal
    enterprise = _session_enterprise(request, allowed)
    if enterprise is None:
        if allowed(request.user).exists():
            return None, _choose(request)
        raise PermissionDenied
    return enterprise, None


def verified_second_factor_required(view: View) -> View:
    """Officials and administrators must have passed the second factor in this session."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = _signed_in_gate(request)
        return refusal if refusal is not None else view(request, *args, **kwargs)

    return wrapped


def employer_user_required(view: View) -> View:
    """The user acts for an employer (directly or by mandate), chosen in this session.

    Sets `request.acting_enterprise` (the employer) and `request.acting_mandatary` (the
    mandatary enterprise through which the user acts, or None when acting directly).
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        employer, refusal = _with_session_enterprise(request, permissions.employers_acted_for)
        if refusal is not None:
            return refusal
        request.acting_enterprise = employer  # type: ignore[attr-defined]
        request.acting_mandatary = permissions.mandatary_for(request.user, employer)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def access_manager_required(view: View) -> View:
    """The user manages access of the enterprise chosen in this session (never by mandate)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        enterprise, refusal = _with_session_enterprise(request, permissions.enterprises_managed)
        if refusal is not None:
            return refusal
        request.acting_enterprise = enterprise  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def official_required(
    view: View | None = None, *, authority_kind: str | None = None, supervisor: bool = False
) -> Any:
    """An official (of an authority of the given kind, "work" or "residence") with a verified
    second factor. Sets `request.official_membership`. Usable bare or with arguments.
    """

    def decorator(inner: View) -> View:
        @functools.wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refusal = _signed_in_gate(request)
            if refusal is not None:
                return refusal
            from .models import OfficialMembership

            user = request.user
            if not user.is_authenticated:  # passed the gate above; narrows the type
                raise PermissionDenied
            membership = (
                OfficialMembership.objects.select_related("authority").filter(user=user).first()
            )
            if membership is None or not request.user.is_active:
                raise PermissionDenied
            if authority_kind is not None and membership.authority.kind != authority_kind:
                raise PermissionDenied
            if supervisor and membership.role != OfficialMembership.Role.SUPERVISOR:
                raise PermissionDenied
            request.official_membership = membership  # type: ignore[attr-defined]
            return inner(request, *args, **kwargs)

        return wrapped

    if view is not None:
        return decorator(view)
    return decorator


class EmployerUserRequiredMixin:
    @method_decorator(employer_user_required)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AccessManagerRequiredMixin:
    @method_decorator(access_manager_required)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class OfficialRequiredMixin:
    authority_kind: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = super().dispatch  # type: ignore[misc]
        guarded = official_required(authority_kind=self.authority_kind)(
            lambda req, *a, **kw: parent(req, *a, **kw)
        )
        return guarded(request, *args, **kwargs)
