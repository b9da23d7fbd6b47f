"""What the access pages show, always scoped to the enterprise the actor manages or acts for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import permissions
from .models import EnterpriseMembership, Invitation, Mandate


@dataclass(frozen=True)
class EnterpriseChoice:
    enterprise: Any
    via_mandatary: Any  # the mandatary enterprise, or None when the user acts directly
    may_act: bool  # may use the single window for it
    manages_access: bool


def enterprises_to_choose(user: Any) -> list[EnterpriseChoice]:
    """Every enterprise the user may pick to act for or to manage, directly or by mandate."""
    acted = {e.pk: e for e in permissions.employers_acted_for(user).order_by("number")}
    managed = {e.pk: e for e in permissions.enterprises_managed(user).order_by("number")}
    choices = []
    for pk, enterprise in sorted({**managed, **acted}.items(), key=lambda item: item[1].number):
        choices.append(
            EnterpriseChoice(
                enterprise=enterprise,
                via_mandatary=permissions.mandatary_for(user, enterprise) if pk in acted else None,
                may_act=pk in acted,
                manages_access=pk in managed,
            )
        )
    return choices


def members_of(*, enterprise: Any, actor: Any) -> QuerySet[EnterpriseMembership]:
    if not permissions.is_access_manager(actor, enterprise):
        return EnterpriseMembership.objects.none()
    return (
        EnterpriseMembership.objects.filter(enterprise=enterprise)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def member_for_manager(*, enterprise: Any, actor: Any, membership_id: Any) -> EnterpriseMembership:
    """One member, or 404 when missing or belonging to another enterprise (same answer)."""
    return get_object_or_404(members_of(enterprise=enterprise, actor=actor), pk=membership_id)


def open_invitations(
    *, enterprise: Any, actor: Any, now: datetime.datetime | None = None
) -> QuerySet[Invitation]:
    if not permissions.is_access_manager(actor, enterprise):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        enterprise=enterprise,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    ).select_related("invited_by")


def invitation_for_manager(*, enterprise: Any, actor: Any, invitation_id: Any) -> Invitation:
    return get_object_or_404(open_invitations(enterprise=enterprise, actor=actor), pk=invitation_id)


def mandates_given(*, employer: Any, actor: Any) -> QuerySet[Mandate]:
    """Every mandate the employer gave, current and past (its access manager's view)."""
    if not permissions.is_access_manager(actor, employer):
        return Mandate.objects.none()
    return Mandate.objects.filter(employer=employer).select_related("mandatary", "revoked_by")


def mandate_given_for_manager(*, employer: Any, actor: Any, mandate_id: Any) -> Mandate:
    return get_object_or_404(mandates_given(employer=employer, actor=actor), pk=mandate_id)


def mandates_received(*, mandatary: Any, actor: Any) -> QuerySet[Mandate]:
    """Mandates other employers gave this enterprise (seen by its access managers)."""
    if not permissions.is_access_manager(actor, mandatary):
        return Mandate.objects.none()
    return Mandate.objects.filter(mandatary=mandatary).select_related("employer")


def recently_revoked_mandates(
    *, employer: Any, actor: Any, since: datetime.datetime | None = None
) -> QuerySet[Mandate]:
    """Mandates of the employer revoked in the last 90 days: the pages tell the employer that
    drafts those mandataries started are now in its own hands."""
    moment = since or (timezone.now() - datetime.timedelta(days=90))
    return mandates_given(employer=employer, actor=actor).filter(revoked_at__gte=moment)
