"""Changes to who may act for whom: memberships, invitations, mandates, sessions, logins.

Each service is one transaction, takes the acting user, and leaves an audit record.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wib.audit import record_event
from wib.core.identifiers import normalize_enterprise_number

from . import permissions
from .models import (
    PROCEDURE_GROUP_FOREIGN_WORKERS,
    EnterpriseMembership,
    Invitation,
    LoginAttempt,
    Mandate,
)


class AccessError(ValidationError):
    """A change to access that the rules refuse (distinct from not being allowed to ask)."""


def _require_access_manager(actor: Any, enterprise: Any) -> None:
    if not permissions.is_access_manager(actor, enterprise):
        raise PermissionDenied


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---------------------------------------------------------------- members and invitations


def grant_access_manager(*, enterprise: Any, user: Any, actor: Any | None) -> EnterpriseMembership:
    """Make a person access manager (and single-window user) of an enterprise.

    Reserved to administrators (the first access manager) and existing access managers;
    `actor=None` is the system itself (the `grant_access_manager` management command).
    """
    if actor is not None and not (
        getattr(actor, "is_superuser", False) or permissions.is_access_manager(actor, enterprise)
    ):
        raise PermissionDenied
    with transaction.atomic():
        membership, _created = EnterpriseMembership.objects.select_for_update().get_or_create(
            user=user, enterprise=enterprise
        )
        membership.is_access_manager = True
        membership.has_single_window_role = True
        membership.save(update_fields=["is_access_manager", "has_single_window_role"])
        record_event(
            actor=actor,
            action="accounts.access_manager_granted",
            target_type="enterprise_membership",
            target_id=str(membership.pk),
            on_behalf_of=enterprise.number,
            data={"user": user.username},
        )
    return membership


def invite_user(
    *,
    enterprise: Any,
    email: str,
    grants_single_window_role: bool = True,
    grants_access_manager: bool = False,
    actor: Any,
    accept_url_for: Any,
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite a person by e-mail; `accept_url_for(token)` builds the absolute link to send.

    The token is sent once and only its hash is stored.
    """
    _require_access_manager(actor, enterprise)
    moment = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            enterprise=enterprise,
            email=email.strip().lower(),
            token_hash=_hash_token(token),
            grants_single_window_role=grants_single_window_role,
            grants_access_manager=grants_access_manager,
            invited_by=actor,
            created_at=moment,
            expires_at=moment + datetime.timedelta(days=settings.WIB_INVITATION_VALID_DAYS),
        )
        record_event(
            actor=actor,
            action="accounts.invitation_sent",
            target_type="invitation",
            target_id=str(invitation.pk),
            on_behalf_of=enterprise.number,
            data={"email": invitation.email, "access_manager": grants_access_manager},
        )
        link = accept_url_for(token)
        subject, body = _invitation_message(invitation, link)
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [invitation.email], fail_silently=False)
        )
    return invitation


def _invitation_message(invitation: Invitation, link: str) -> tuple[str, str]:
    # The invitee's language is unknown: the message carries all four languages.
    parts = []
    subject = ""
    for language in ("nl", "fr", "de", "en"):
        with translation.override(language):
            if not subject:
                subject = str(INVITATION_SUBJECT)
            parts.append(
                _(
                    "You are invited to act for the enterprise %(enterprise)s in the single "
                    "window Working in Belgium. Open this link to accept (valid until "
                    "%(expires)s): %(link)s"
                )
                % {
                    "enterprise": str(invitation.enterprise),
                    "expires": invitation.expires_at.strftime("%d/%m/%Y %H:%M"),
                    "link": link,
                }
            )
    return subject + " / Working in Belgium", "\n\n".join(parts)


INVITATION_SUBJECT = gettext_lazy("Invitation to the single window")


def find_open_invitation(*, token: str, now: datetime.datetime | None = None) -> Invitation | None:
    """The invitation a token opens, if it is still open; None otherwise (same for every cause)."""
    invitation = (
        Invitation.objects.select_related("enterprise")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_open_at(now or timezone.now()):
        return None
    return invitation


def accept_invitation(
    *,
    token: str,
    user: Any | None = None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    now: datetime.datetime | None = None,
) -> EnterpriseMembership:
    """Accept with an existing (logged-in) account, or create one; the token then stops working."""
    moment = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("enterprise")
            .filter(token_hash=_hash_token(token))
            .first()
        )
        if invitation is None or not invitation.is_open_at(moment):
            raise AccessError(
                _(
                    "This invitation link is no longer valid. Ask your access manager for a "
                    "new one."
                ),
                code="invitation_invalid",
            )
        if user is None:
            user_model = get_user_model()
            if user_model.objects.filter(username__iexact=username).exists():
                raise AccessError(_("This username is already taken."), code="username_taken")
            user = user_model(
                username=username,
                email=invitation.email,
                first_name=first_name,
                last_name=last_name,
            )
            user.set_password(password)
            user.save()
        membership, _created = EnterpriseMembership.objects.get_or_create(
            user=user, enterprise=invitation.enterprise
        )
        membership.has_single_window_role = (
            membership.has_single_window_role or invitation.grants_single_window_role
        )
        membership.is_access_manager = (
            membership.is_access_manager or invitation.grants_access_manager
        )
        membership.save(update_fields=["has_single_window_role", "is_access_manager"])
        invitation.accepted_at = moment
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_event(
            actor=user,
            action="accounts.invitation_accepted",
            target_type="invitation",
            target_id=str(invitation.pk),
            on_behalf_of=invitation.enterprise.number,
        )
    return membership


def cancel_invitation(*, invitation: Invitation, actor: Any) -> None:
    _require_access_manager(actor, invitation.enterprise)
    with transaction.atomic():
        updated = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=timezone.now())
        if updated:
            record_event(
                actor=actor,
                action="accounts.invitation_cancelled",
                target_type="invitation",
                target_id=str(invitation.pk),
                on_behalf_of=invitation.enterprise.number,
            )


def _other_access_managers(membership: EnterpriseMembership) -> bool:
    return (
        EnterpriseMembership.objects.filter(
            enterprise_id=membership.enterprise_id, is_access_manager=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def update_member_roles(
    *,
    membership: EnterpriseMembership,
    has_single_window_role: bool,
    is_access_manager: bool,
    actor: Any,
) -> EnterpriseMembership:
    """Grant or revoke the single-window role and the access-manager role of a member."""
    _require_access_manager(actor, membership.enterprise)
    with transaction.atomic():
        locked = EnterpriseMembership.objects.select_for_update().get(pk=membership.pk)
        if (
            locked.is_access_manager
            and not is_access_manager
            and not _other_access_managers(locked)
        ):
            raise AccessError(
                _("An enterprise keeps at least one access manager."), code="last_access_manager"
            )
        before = {
            "single_window": locked.has_single_window_role,
            "access_manager": locked.is_access_manager,
        }
        locked.has_single_window_role = has_single_window_role
        locked.is_access_manager = is_access_manager
        locked.save(update_fields=["has_single_window_role", "is_access_manager"])
        record_event(
            actor=actor,
            action="accounts.member_roles_changed",
            target_type="enterprise_membership",
            target_id=str(locked.pk),
            on_behalf_of=membership.enterprise.number,
            data={
                "before": before,
                "after": {
                    "single_window": has_single_window_role,
                    "access_manager": is_access_manager,
                },
            },
        )
    return locked


def remove_member(*, membership: EnterpriseMembership, actor: Any) -> None:
    """Remove a person from the enterprise; the last access manager cannot be removed."""
    _require_access_manager(actor, membership.enterprise)
    with transaction.atomic():
        locked = EnterpriseMembership.objects.select_for_update().get(pk=membership.pk)
        if locked.is_access_manager and not _other_access_managers(locked):
            raise AccessError(
                _("An enterprise keeps at least one access manager."), code="last_access_manager"
            )
        record_event(
            actor=actor,
            action="accounts.member_removed",
            target_type="enterprise_membership",
            target_id=str(locked.pk),
            on_behalf_of=membership.enterprise.number,
            data={"user": locked.user.username},
        )
        locked.delete()


# ---------------------------------------------------------------- mandates


def grant_mandate(
    *,
    employer: Any,
    mandatary_number: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    actor: Any,
) -> Mandate:
    """Give a mandatary enterprise (by enterprise number) a mandate for foreign workers."""
    from wib.registry.models import Enterprise

    _require_access_manager(actor, employer)
    number = normalize_enterprise_number(mandatary_number)
    if number == employer.number:
        raise AccessError(
            _("An enterprise cannot give a mandate to itself."), code="mandate_to_self"
        )
    if ends_on is not None and ends_on < starts_on:
        raise AccessError(_("The end date cannot be before the start date."), code="mandate_dates")
    mandatary = Enterprise.objects.filter(number=number).first()
    if mandatary is None:
        raise AccessError(
            _("No enterprise with this number is known in the Crossroads Bank for Enterprises."),
            code="mandatary_unknown",
        )
    with transaction.atomic():
        overlapping = Mandate.objects.filter(
            employer=employer,
            mandatary=mandatary,
            procedure_group=PROCEDURE_GROUP_FOREIGN_WORKERS,
            revoked_at__isnull=True,
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            raise AccessError(
                _("This enterprise already has a mandate for (part of) this period."),
                code="mandate_overlaps",
            )
        mandate = Mandate.objects.create(
            employer=employer,
            mandatary=mandatary,
            procedure_group=PROCEDURE_GROUP_FOREIGN_WORKERS,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="accounts.mandate_granted",
            target_type="mandate",
            target_id=str(mandate.pk),
            on_behalf_of=employer.number,
            data={
                "mandatary": mandatary.number,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat() if ends_on else None,
            },
        )
    return mandate


def revoke_mandate(
    *, mandate: Mandate, actor: Any, now: datetime.datetime | None = None
) -> Mandate:
    """End a mandate at once. The employer's files stay the employer's; see docs/security.md."""
    _require_access_manager(actor, mandate.employer)
    with transaction.atomic():
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = now or timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor=actor,
            action="accounts.mandate_revoked",
            target_type="mandate",
            target_id=str(locked.pk),
            on_behalf_of=locked.employer.number,
            data={"mandatary": locked.mandatary.number},
        )
    return locked


# ---------------------------------------------------------------- sessions and logins


def log_out_everywhere(*, user: Any) -> None:
    """End every session of the user, on every device (the epoch is part of the session hash)."""
    user_model = get_user_model()
    with transaction.atomic():
        user_model.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        record_event(
            actor=user,
            action="accounts.logged_out_everywhere",
            target_type="user",
            target_id=str(user.pk),
        )
    user.refresh_from_db(fields=["session_epoch"])


@dataclass(frozen=True)
class Lockout:
    locked: bool
    until: datetime.datetime | None = None


def _locked_until(
    attempts: Any, *, threshold: int, now: datetime.datetime
) -> datetime.datetime | None:
    window = datetime.timedelta(seconds=settings.WIB_LOGIN_WINDOW_SECONDS)
    lockout = datetime.timedelta(seconds=settings.WIB_LOGIN_LOCKOUT_SECONDS)
    # Failures since the last success, newest first; blocked attempts do not extend the lock,
    # so an attacker hammering a locked account cannot keep its owner out forever.
    recent = list(
        attempts.order_by("-attempted_at").values_list("attempted_at", "outcome")[:threshold]
    )
    failures: list[datetime.datetime] = []
    for moment, outcome in recent:
        if outcome == LoginAttempt.Outcome.SUCCEEDED:
            break
        failures.append(moment)
    if len(failures) < threshold:
        return None
    if failures[0] - failures[threshold - 1] > window:
        return None
    until = failures[0] + lockout
    return until if until > now else None


def login_lockout(
    *, username: str, ip_address: str, now: datetime.datetime | None = None
) -> Lockout:
    """Whether a password login for this username or from this address is locked out now."""
    moment = now or timezone.now()
    horizon = moment - datetime.timedelta(
        seconds=settings.WIB_LOGIN_WINDOW_SECONDS + settings.WIB_LOGIN_LOCKOUT_SECONDS
    )
    counted = LoginAttempt.objects.filter(attempted_at__gte=horizon).exclude(
        outcome=LoginAttempt.Outcome.BLOCKED
    )
    candidates = [
        _locked_until(
            counted.filter(username=username.lower()),
            threshold=settings.WIB_LOGIN_MAX_FAILURES,
            now=moment,
        ),
        _locked_until(
            counted.filter(ip_address=ip_address),
            threshold=settings.WIB_LOGIN_MAX_FAILURES_PER_IP,
            now=moment,
        ),
    ]
    ends = [until for until in candidates if until is not None]
    return Lockout(True, max(ends)) if ends else Lockout(False)


def record_login_attempt(
    *, username: str, ip_address: str, outcome: str, now: datetime.datetime | None = None
) -> LoginAttempt:
    return LoginAttempt.objects.create(
        username=username.lower()[:150],
        ip_address=ip_address[:45],
        outcome=outcome,
        attempted_at=now or timezone.now(),
    )
