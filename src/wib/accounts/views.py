"""Access pages: login, second factor, enterprise choice, people, invitations and mandates.

Views only translate: they parse the request, call one service or selector, and render.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions, selectors, services
from .access import (
    access_manager_required,
    acting_enterprise,
    clear_acting_enterprise,
    set_acting_enterprise,
)
from .forms import (
    AcceptInvitationForm,
    ChooseEnterpriseForm,
    InvitationForm,
    LoginForm,
    MandateForm,
    MemberRolesForm,
    TokenForm,
)
from .models import LoginAttempt
from .oidc import oidc_enabled
from .ratelimit import client_ip, hit

GENERIC_LOGIN_ERROR = "generic"


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# ---------------------------------------------------------------- login and logout


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        ip_address = client_ip(request)
        lockout = services.login_lockout(username=username, ip_address=ip_address)
        if lockout.locked:
            services.record_login_attempt(
                username=username, ip_address=ip_address, outcome=LoginAttempt.Outcome.BLOCKED
            )
            # The same words whether or not the account exists.
            form.add_error(
                None,
                _(
                    "Too many failed login attempts. For your security, logging in is "
                    "blocked for a while. Try again in 15 minutes."
                ),
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.record_login_attempt(
                    username=username, ip_address=ip_address, outcome=LoginAttempt.Outcome.FAILED
                )
                form.add_error(None, _("The username or password is incorrect."))
            else:
                services.record_login_attempt(
                    username=username,
                    ip_address=ip_address,
                    outcome=LoginAttempt.Outcome.SUCCEEDED,
                )
                login(request, user)
                # Always through the start page: it asks for the second factor and sets the
                # acting enterprise before going on to the page the user asked for.
                return HttpResponseRedirect(reverse("accounts:start") + _next_query(request))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "oidc_enabled": oidc_enabled(), "next": _safe_next(request, "")},
    )


def _next_query(request: HttpRequest) -> str:
    target = _safe_next(request, "")
    from urllib.parse import urlencode

    return "?" + urlencode({"next": target}) if target else ""


@login_required
def start_view(request: HttpRequest) -> HttpResponse:
    """Where a login lands: the second factor, the enterprise choice, or the next page."""
    from .middleware import is_second_factor_pending, second_factor_url

    if is_second_factor_pending(request):
        target = _safe_next(request, "")
        url = second_factor_url(request)
        return HttpResponseRedirect(url.split("?")[0] + _next_query(request) if target else url)
    if permissions.is_official(request.user):
        # Officials work in the back office: land on their authority's queue.
        return HttpResponseRedirect(_safe_next(request, reverse("backoffice:queue")))
    choices = selectors.enterprises_to_choose(request.user)
    if len(choices) == 1:
        set_acting_enterprise(request, choices[0].enterprise)
    elif choices and acting_enterprise(request) is None:
        return HttpResponseRedirect(reverse("accounts:choose-enterprise") + _next_query(request))
    return HttpResponseRedirect(_safe_next(request, reverse("web:home")))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.log_out_everywhere(user=request.user)
        logout(request)
        messages.info(request, _("You are logged out on every device."))
        return redirect("accounts:login")
    return render(request, "accounts/logout_everywhere.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:start")

    def form_valid(self, form: Any) -> HttpResponse:
        # The new password hash changes the session hash: every other session ends; Django
        # keeps this one alive through update_session_auth_hash in the parent.
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# ---------------------------------------------------------------- second factor


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    label = _("QR code to scan with your authenticator app")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    if not permissions.requires_second_factor(request.user):
        return redirect("accounts:start")
    if any(True for _d in devices_for_user(request.user, confirmed=True)):
        # A password alone must never be enough to add a new device to a protected account.
        return redirect(reverse("accounts:otp-verify") + _next_query(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not _second_factor_attempt_allowed(request):
            form.add_error(None, _("Too many attempts. Try again in a few minutes."))
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(_safe_next(request, reverse("accounts:start")))
        else:
            form.add_error("token", _("This code is not correct. Enter the current code."))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "otpauth_uri": device.config_url,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - generated SVG, no input
            "next": _safe_next(request, ""),
        },
    )


def _second_factor_attempt_allowed(request: HttpRequest) -> bool:
    return hit(key=f"otp:{request.user.pk}", limit=10, window_seconds=900).allowed


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    if not permissions.requires_second_factor(request.user):
        return redirect("accounts:start")
    if not any(True for _d in devices_for_user(request.user, confirmed=True)):
        return redirect(reverse("accounts:otp-enrol") + _next_query(request))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = None
        if _second_factor_attempt_allowed(request):
            device = match_token(request.user, form.cleaned_data["token"])
            if device is None:
                form.add_error("token", _("This code is not correct. Enter the current code."))
        else:
            form.add_error(None, _("Too many attempts. Try again in a few minutes."))
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, reverse("accounts:start")))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


# ---------------------------------------------------------------- acting enterprise


@login_required
@require_http_methods(["GET", "POST"])
def choose_enterprise_view(request: HttpRequest) -> HttpResponse:
    choices = selectors.enterprises_to_choose(request.user)
    by_number = {choice.enterprise.number: choice for choice in choices}
    form = ChooseEnterpriseForm(
        request.POST if request.method == "POST" else None,
        choices=[(choice.enterprise.number, str(choice.enterprise)) for choice in choices],
    )
    if request.method == "POST" and form.is_valid():
        set_acting_enterprise(request, by_number[form.cleaned_data["enterprise"]].enterprise)
        return HttpResponseRedirect(_safe_next(request, reverse("web:home")))
    current = acting_enterprise(request)
    if current is None:
        clear_acting_enterprise(request)
    return render(
        request,
        "accounts/choose_enterprise.html",
        {
            "form": form,
            "choices": choices,
            "current": current,
            "current_manages": permissions.is_access_manager(request.user, current),
            "next": _safe_next(request, ""),
        },
    )


# ---------------------------------------------------------------- people and invitations


def _accept_url_for(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(
        reverse("accounts:invitation-accept", kwargs={"token": token})
    )


@access_manager_required
@require_http_methods(["GET", "POST"])
def people_view(request: HttpRequest) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.invite_user(
            enterprise=enterprise,
            email=form.cleaned_data["email"],
            grants_single_window_role=form.cleaned_data["grants_single_window_role"],
            grants_access_manager=form.cleaned_data["grants_access_manager"],
            actor=request.user,
            accept_url_for=_accept_url_for(request),
        )
        messages.success(
            request,
            _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:people")
    return render(
        request,
        "accounts/people.html",
        {
            "enterprise": enterprise,
            "members": selectors.members_of(enterprise=enterprise, actor=request.user),
            "invitations": selectors.open_invitations(enterprise=enterprise, actor=request.user),
            "form": form,
        },
    )


@access_manager_required
@require_http_methods(["GET", "POST"])
def member_view(request: HttpRequest, membership_id: Any) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    membership = selectors.member_for_manager(
        enterprise=enterprise, actor=request.user, membership_id=membership_id
    )
    form = MemberRolesForm(
        request.POST if request.method == "POST" else None,
        initial={
            "has_single_window_role": membership.has_single_window_role,
            "is_access_manager": membership.is_access_manager,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member_roles(
                membership=membership,
                has_single_window_role=form.cleaned_data["has_single_window_role"],
                is_access_manager=form.cleaned_data["is_access_manager"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The roles have been saved."))
            return redirect("accounts:people")
    return render(
        request,
        "accounts/member.html",
        {"enterprise": enterprise, "membership": membership, "form": form},
    )


@access_manager_required
@require_POST
def member_remove_view(request: HttpRequest, membership_id: Any) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    membership = selectors.member_for_manager(
        enterprise=enterprise, actor=request.user, membership_id=membership_id
    )
    try:
        services.remove_member(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The person no longer has access to the enterprise."))
    return redirect("accounts:people")


@access_manager_required
@require_POST
def invitation_cancel_view(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    invitation = selectors.invitation_for_manager(
        enterprise=enterprise, actor=request.user, invitation_id=invitation_id
    )
    services.cancel_invitation(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation has been cancelled."))
    return redirect("accounts:people")


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_open_invitation(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    logged_in = request.user.is_authenticated
    form = (
        None
        if logged_in
        else AcceptInvitationForm(request.POST if request.method == "POST" else None)
    )
    if request.method == "POST" and (logged_in or (form is not None and form.is_valid())):
        try:
            if logged_in:
                services.accept_invitation(token=token, user=request.user)
            else:
                assert form is not None
                user_data = form.cleaned_data
                membership = services.accept_invitation(
                    token=token,
                    username=user_data["username"],
                    password=user_data["password1"],
                    first_name=user_data["first_name"],
                    last_name=user_data["last_name"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("accounts:start")
            form.add_error(None, error)
        else:
            set_acting_enterprise(request, invitation.enterprise)
            messages.success(
                request,
                _("You now have access to %(enterprise)s.") % {"enterprise": invitation.enterprise},
            )
            return redirect("accounts:start")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
    )


# ---------------------------------------------------------------- mandates


@access_manager_required
def mandates_given_view(request: HttpRequest) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    today = timezone.localdate()
    mandates = list(selectors.mandates_given(employer=enterprise, actor=request.user))
    return render(
        request,
        "accounts/mandates_given.html",
        {
            "enterprise": enterprise,
            "mandates": [(mandate, mandate.is_active_on(today)) for mandate in mandates],
            "recently_revoked": selectors.recently_revoked_mandates(
                employer=enterprise, actor=request.user
            ),
        },
    )


@access_manager_required
@require_http_methods(["GET", "POST"])
def mandate_grant_view(request: HttpRequest) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    form = MandateForm(
        request.POST if request.method == "POST" else None,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_mandate(
                employer=enterprise,
                mandatary_number=form.cleaned_data["mandatary_number"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                actor=request.user,
            )
        except ValidationError as error:
            field = (
                "mandatary_number"
                if error.code in {"mandatary_unknown", "mandate_to_self"}
                else None
            )
            form.add_error(field, error)
        else:
            messages.success(request, _("The mandate has been given."))
            return redirect("accounts:mandates-given")
    return render(request, "accounts/mandate_grant.html", {"enterprise": enterprise, "form": form})


@access_manager_required
@require_http_methods(["GET", "POST"])
def mandate_revoke_view(request: HttpRequest, mandate_id: Any) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    mandate = selectors.mandate_given_for_manager(
        employer=enterprise, actor=request.user, mandate_id=mandate_id
    )
    if request.method == "POST":
        if mandate.revoked_at is None:
            services.revoke_mandate(mandate=mandate, actor=request.user)
            messages.success(
                request,
                _(
                    "The mandate has been revoked. The mandatary can no longer see or act on "
                    "your files; drafts it started stay available to your own users."
                ),
            )
        return redirect("accounts:mandates-given")
    return render(
        request, "accounts/mandate_revoke.html", {"enterprise": enterprise, "mandate": mandate}
    )


@access_manager_required
def mandates_received_view(request: HttpRequest) -> HttpResponse:
    enterprise = request.acting_enterprise  # type: ignore[attr-defined]
    today = timezone.localdate()
    mandates = list(selectors.mandates_received(mandatary=enterprise, actor=request.user))
    return render(
        request,
        "accounts/mandates_received.html",
        {
            "enterprise": enterprise,
            "mandates": [(mandate, mandate.is_active_on(today)) for mandate in mandates],
        },
    )
