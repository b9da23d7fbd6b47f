"""What screens show about deliveries: a file's messages, and what needs an operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from .models import DeliveryStatus, OutboxMessage


@dataclass(frozen=True)
class DeliverySummary:
    id: str
    channel: str
    recipient: str
    message_type: str
    status: str
    status_label: str
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str


def _summary(message: OutboxMessage) -> DeliverySummary:
    return DeliverySummary(
        id=str(message.id),
        channel=message.channel,
        recipient=message.recipient,
        message_type=message.message_type,
        status=message.status,
        status_label=str(message.get_status_display()),
        attempts=message.attempts,
        created_at=message.created_at,
        delivered_at=message.delivered_at,
        next_attempt_at=message.next_attempt_at,
        last_error=message.last_error,
    )


def deliveries_for_file(*, related_file_id: str) -> list[DeliverySummary]:
    """The messages one file caused, oldest first; the caller has checked access to the file."""
    messages = OutboxMessage.objects.filter(related_file_id=related_file_id).order_by("created_at")
    return [_summary(message) for message in messages]


def deliveries_needing_attention() -> QuerySet[OutboxMessage]:
    """Failed messages and those that need a paper letter: the operators' work list."""
    return OutboxMessage.objects.filter(
        status__in=[DeliveryStatus.FAILED, DeliveryStatus.PAPER_REQUIRED]
    ).order_by("created_at")
