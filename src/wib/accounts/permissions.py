"""The one permission layer: who may act for which enterprise, and which officials see what.

Pages, API and back office all ask these functions; nothing else decides access.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import PROCEDURE_GROUP_FOREIGN_WORKERS, EnterpriseMembership, Mandate

if TYPE_CHECKING:
    from wib.registry.models import Enterprise


def _enterprise_model() -> Any:
    return apps.get_model("registry", "Enterprise")


def _is_person(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def active_mandates(*, on: datetime.date | None = None) -> QuerySet[Mandate]:
    """Mandates for the foreign-workers group in force on a day (today by default)."""
    day = on or timezone.localdate()
    return Mandate.objects.filter(
        procedure_group=PROCEDURE_GROUP_FOREIGN_WORKERS,
        revoked_at__isnull=True,
        starts_on__lte=day,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def enterprises_with_role(user: Any) -> QuerySet[Enterprise]:
    """Enterprises the user belongs to with the single-window role (direct, no mandate)."""
    if not _is_person(user):
        return _enterprise_model().objects.none()
    return _enterprise_model().objects.filter(
        memberships__user=user, memberships__has_single_window_role=True
    )


def employers_acted_for(user: Any, *, on: datetime.date | None = None) -> QuerySet[Enterprise]:
    """Employers the user may act for: their own enterprises, plus those that mandated one."""
    if not _is_person(user):
        return _enterprise_model().objects.none()
    own_ids = EnterpriseMembership.objects.filter(user=user, has_single_window_role=True).values(
        "enterprise_id"
    )
    mandating_ids = active_mandates(on=on).filter(mandatary_id__in=own_ids).values("employer_id")
    return _enterprise_model().objects.filter(Q(pk__in=own_ids) | Q(pk__in=mandating_ids))


def may_act_for(user: Any, employer: Any, *, on: datetime.date | None = None) -> bool:
    return employers_acted_for(user, on=on).filter(pk=employer.pk).exists()


def mandatary_for(
    user: Any, employer: Any, *, on: datetime.date | None = None
) -> Enterprise | None:
    """The mandatary enterprise through which the user acts for the employer; None if directly.

    Also None when the user may not act for the employer at all: ask `may_act_for` first.
    """
    if not _is_person(user):
        return None
    if EnterpriseMembership.objects.filter(
        user=user, enterprise=employer, has_single_window_role=True
    ).exists():
        return None
    own_ids = EnterpriseMembership.objects.filter(user=user, has_single_window_role=True).values(
        "enterprise_id"
    )
    mandate = (
        active_mandates(on=on)
        .filter(employer=employer, mandatary_id__in=own_ids)
        .select_related("mandatary")
        .order_by("mandatary_id")
        .first()
    )
    return mandate.mandatary if mandate else None


def is_access_manager(user: Any, enterprise: Any) -> bool:
    if not _is_person(user) or enterprise is None:
        return False
    return EnterpriseMembership.objects.filter(
        user=user, enterprise=enterprise, is_access_manager=True
    ).exists()


def enterprises_managed(user: Any) -> QuerySet[Enterprise]:
    """Enterprises whose access the user manages."""
    if not _is_person(user):
        return _enterprise_model().objects.none()
    return _enterprise_model().objects.filter(
        memberships__user=user, memberships__is_access_manager=True
    )


def official_authority_codes(user: Any) -> set[str]:
    """Codes of the authorities whose files the user handles as an official (at most one)."""
    if not _is_person(user):
        return set()
    membership = _official_membership(user)
    return {membership.authority.code} if membership else set()


def is_official(user: Any, *, authority_kind: str | None = None) -> bool:
    membership = _official_membership(user) if _is_person(user) else None
    if membership is None:
        return False
    return authority_kind is None or membership.authority.kind == authority_kind


def is_supervisor(user: Any, authority_code: str) -> bool:
    if not _is_person(user):
        return False
    membership = _official_membership(user)
    return bool(
        membership
        and membership.role == "supervisor"
        and membership.authority.code == authority_code
    )


def acts_for_self(user: Any) -> bool:
    """A person account with a national register (or BIS) number: a worker applying in person."""
    return _is_person(user) and bool(user.national_register_number)


def requires_second_factor(user: Any) -> bool:
    """Officials and administrators must confirm a second factor on every login."""
    if not _is_person(user):
        return False
    return bool(user.is_staff or user.is_superuser or _official_membership(user) is not None)


def _official_membership(user: Any) -> Any:
    from .models import OfficialMembership

    return OfficialMembership.objects.select_related("authority").filter(user=user).first()
