"""What the audit trail shows: who viewed a file, and a target's full history.

These selectors do not check who may read them: the calling selector (e.g. the file's own
detail selector) has already scoped the target to the actor.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wib.audit.models import AuditRecord

# Known actions and how a person reads them; unknown actions show their code.
ACTION_LABELS = {
    "file.viewed": _("viewed the file"),
    "document.downloaded": _("downloaded a document"),
    "document.viewed": _("viewed a document"),
    "file.submitted": _("submitted the file"),
    "login.succeeded": _("signed in"),
    "login.failed": _("failed to sign in"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@dataclass(frozen=True)
class ViewRecord:
    occurred_at: datetime
    action: str
    action_label: str
    actor_name: str
    authority_code: str
    authority_name: str
    on_behalf_of: str
    # The person's own name only, empty when none is known: for pages shown outside the
    # authorities, where a login name (often an e-mail address) must not appear.
    actor_full_name: str = ""


def _consultations() -> Q:
    return Q(action__endswith=".viewed") | Q(action__endswith=".downloaded")


def records_for_target(*, target_type: str, target_id: str) -> QuerySet[AuditRecord]:
    """Every record about one target, oldest first."""
    return (
        AuditRecord.objects.filter(target_type=target_type, target_id=str(target_id))
        .select_related("actor")
        .order_by("sequence")
    )


def views_of(*, target_type: str, target_id: str) -> list[ViewRecord]:
    """Who viewed or downloaded the target, from which authority and when, newest first."""
    records = list(
        records_for_target(target_type=target_type, target_id=target_id)
        .filter(_consultations())
        .order_by("-sequence")
    )
    names = _authority_names({record.authority_code for record in records} - {""})
    return [
        ViewRecord(
            occurred_at=record.occurred_at,
            action=record.action,
            action_label=action_label(record.action),
            actor_name=_actor_name(record),
            authority_code=record.authority_code,
            authority_name=names.get(record.authority_code, record.authority_code),
            on_behalf_of=record.on_behalf_of,
            actor_full_name=record.actor.get_full_name() if record.actor is not None else "",
        )
        for record in records
    ]


def _actor_name(record: AuditRecord) -> str:
    if record.actor is not None:
        return record.actor.get_full_name() or record.actor.get_username()
    return record.actor_username or str(_("the system"))


def _authority_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    try:
        authority_model = apps.get_model("geography", "Authority")
    except LookupError:  # geography not installed: show the codes
        return {}
    return {
        authority.code: str(authority.display_name)
        for authority in authority_model.objects.filter(code__in=codes)
    }
