"""Appending to the audit trail: the one way an audit record comes into existence."""

import ipaddress
import json
import re
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from wib.audit.context import current_request
from wib.audit.hashing import GENESIS_HASH
from wib.audit.models import AuditChainHead, AuditRecord

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$")
USER_AGENT_MAX_LENGTH = AuditRecord._meta.get_field("user_agent").max_length or 300


def record_event(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: str,
    on_behalf_of: str = "",
    authority_code: str = "",
    data: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditRecord:
    """Append one record to the chain, inside the caller's transaction.

    `actor` is a user, an anonymous user or None (the system). Call it within the same
    transaction.atomic() as the state change it documents: both commit or neither does.
    The chain-head lock is held until that transaction ends, so keep audited transactions short.
    """
    if not ACTION_PATTERN.match(action):
        raise ValueError(f"audit action must look like 'noun.verb', got {action!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    # Round-trip through JSON now, so what is hashed is exactly what the database gives back.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    request = request if request is not None else current_request()
    ip_address, user_agent = _origin(request)

    # savepoint=False: if the audit write fails, the caller's whole transaction must fail with it.
    with transaction.atomic(savepoint=False):
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
        )
        record = AuditRecord(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            actor=user,
            actor_username=user.get_username() if user is not None else "",
            on_behalf_of=on_behalf_of,
            authority_code=authority_code,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            data=clean_data,
            ip_address=ip_address,
            user_agent=user_agent,
            previous_hash=head.last_hash,
        )
        record.record_hash = record.compute_hash()
        record.save()
        head.last_sequence = record.sequence
        head.last_hash = record.record_hash
        head.updated_at = record.occurred_at
        head.save(update_fields=["last_sequence", "last_hash", "updated_at"])
    return record


def _origin(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH]
    return client_ip(request), user_agent


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For when behind trusted proxies.

    With N trusted proxies in front, the client is the N-th address from the right of
    X-Forwarded-For; anything further left could have been written by the client itself.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "WIB_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-proxies] if len(hops) >= proxies else hops[0]
    return _normalised_ip(address)


def _normalised_ip(value: str) -> str | None:
    # PostgreSQL's inet type rewrites addresses to their canonical form; do it first so the
    # hashed value and the stored value agree on both databases.
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
