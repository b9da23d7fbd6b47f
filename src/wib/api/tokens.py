"""Creating, revoking and checking personal API tokens: shown once, only a hash kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wib.accounts import permissions
from wib.audit.services import record_event
from wib.core import clock
from wib.files.models import File

from .models import ApiToken

TOKEN_PREFIX = "wib_"  # noqa: S105 (a marker that makes leaked tokens easy to scan for)
# Writing last_used_at on every call would turn each read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_hold_tokens(user: Any) -> bool:
    """Enterprise users may; officials and administrators, who need a second factor, may not."""
    return (
        user is not None
        and user.is_authenticated
        and not permissions.requires_second_factor(user)
        and permissions.enterprises_with_role(user).exists()
    )


def create_api_token(*, actor: Any, acting_enterprise: Any, name: str) -> tuple[ApiToken, str]:
    """A new token of the actor for one of the actor's enterprises; returns it with the secret."""
    if not may_hold_tokens(actor):
        raise PermissionDenied("This account may not hold API tokens.")
    if not permissions.enterprises_with_role(actor).filter(pk=acting_enterprise.pk).exists():
        raise PermissionDenied("The actor does not use the single window for this enterprise.")
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": [ValidationError(_("Give the token a name."), code="required")]}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name[:100],
            owner=actor,
            acting_enterprise=acting_enterprise,
            token_hash=_hash(raw),
            prefix=raw[:12],
            created_at=clock.now(),
        )
        record_event(
            actor=actor,
            action="api_token.create",
            target_type="api_token",
            target_id=str(token.pk),
            on_behalf_of=acting_enterprise.number,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token, raw


def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """The owner revokes a token; it stops working at once. Revoking twice changes nothing."""
    if token.owner_id != actor.pk:
        raise PermissionDenied("Not the owner of this token.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = clock.now()
            locked.save(update_fields=["revoked_at"])
            record_event(
                actor=actor,
                action="api_token.revoke",
                target_type="api_token",
                target_id=str(locked.pk),
                on_behalf_of=locked.acting_enterprise.number,
                data={"prefix": locked.prefix},
            )
    return locked


def tokens_of(*, actor: Any) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first."""
    return ApiToken.objects.filter(owner=actor).select_related("acting_enterprise")


def token_of(*, actor: Any, token_id: Any) -> ApiToken | None:
    return tokens_of(actor=actor).filter(pk=token_id).first()


def authenticate_token(raw: str) -> ApiToken | None:
    """The live token for this secret, or None: unknown, revoked, or its owner no longer acts
    for the enterprise (a removed membership ends the token's access at once)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("owner", "acting_enterprise")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.owner.is_active:
        return None
    owner = token.owner
    if permissions.requires_second_factor(owner):
        return None
    if not permissions.enterprises_with_role(owner).filter(pk=token.acting_enterprise_id).exists():
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_file_scope(token: ApiToken) -> Q:
    """Files a token may reach: its enterprise's own, and those of employers that mandated it
    (the owner's wider rights, through other enterprises, stay outside the token)."""
    enterprise_id = token.acting_enterprise_id
    mandating = permissions.active_mandates().filter(mandatary_id=enterprise_id)
    return (
        Q(employer_id=enterprise_id)
        | Q(employer_id__in=mandating.values("employer_id"))
        | Q(employer__isnull=True, mandatary_id=enterprise_id)
    )


def files_in_token_scope(queryset: QuerySet[File], token: ApiToken | None) -> QuerySet[File]:
    return queryset if token is None else queryset.filter(token_file_scope(token))
