"""Writing to the outbox, delivering its messages, and the operator's retry.

The outbox row and the task that delivers it are written in the caller's transaction, so a state
change and the message it causes commit (or roll back) together. Delivery happens outside any
transaction: a row is claimed, the HTTP call is made, and the result is recorded; a lost answer is
harmless because every call carries the idempotency key.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from wib.audit.services import record_event
from wib.connectors.authority_system import authority_system_url
from wib.connectors.base import (
    OUTCOME_DELIVERED,
    OUTCOME_NOT_APPLICABLE,
    OUTCOME_PAPER_REQUIRED,
    Attachment,
    DeliveryError,
    DeliveryReceipt,
    DeliveryRequest,
    connector_for,
)
from wib.connectors.ebox import MAX_ATTACHMENTS, ebox_recipient

from .models import (
    Channel,
    DeliveryAttempt,
    DeliveryStatus,
    OutboxAttachmentFile,
    OutboxMessage,
)

logger = logging.getLogger(__name__)

REQUIRED_SUBJECT_LANGUAGES = ("nl", "fr", "de")


@dataclass(frozen=True)
class OutboxAttachment:
    """A file to send with a message (its bytes are copied into storage at enqueue time)."""

    filename: str
    content: bytes
    content_type: str


class NotRetryable(Exception):
    """The operator asked to retry a message that is not in the failed state."""


def enqueue_delivery(
    *,
    channel: str,
    recipient: str,
    subject: Mapping[str, str],
    body: Mapping[str, str],
    message_type: str,
    attachments: Sequence[OutboxAttachment] = (),
    idempotency_key: str,
    related_file_id: str = "",
) -> OutboxMessage:
    """Put a message in the outbox and schedule its delivery; call it inside your transaction.

    A second call with the same idempotency key returns the first message unchanged. For the
    authority-system channel, an authority without a configured system gets a message marked
    "not-applicable" straight away, with no task: there is nothing to deliver it to.
    """
    _check_arguments(
        channel=channel,
        recipient=recipient,
        subject=subject,
        message_type=message_type,
        attachments=attachments,
        idempotency_key=idempotency_key,
    )
    with transaction.atomic():
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        now = timezone.now()
        applicable = channel != Channel.AUTHORITY_SYSTEM or bool(authority_system_url(recipient))
        try:
            # A savepoint, so that losing a race on the unique key leaves the caller's
            # transaction usable.
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    channel=channel,
                    recipient=recipient,
                    subject=dict(subject),
                    body=dict(body),
                    message_type=message_type,
                    idempotency_key=idempotency_key,
                    related_file_id=related_file_id,
                    status=DeliveryStatus.PENDING if applicable else DeliveryStatus.NOT_APPLICABLE,
                    next_attempt_at=now if applicable else None,
                    last_error=""
                    if applicable
                    else f"No system configured for authority {recipient!r}.",
                )
        except IntegrityError:
            return OutboxMessage.objects.get(idempotency_key=idempotency_key)
        for position, attachment in enumerate(attachments, start=1):
            OutboxAttachmentFile.objects.create(
                message=message,
                position=position,
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=len(attachment.content),
                sha256=hashlib.sha256(attachment.content).hexdigest(),
                file=ContentFile(attachment.content, name=_safe_filename(attachment.filename)),
            )
        if applicable:
            _schedule(message, run_after=None)
    return message


def retry_failed_delivery(*, message_id: uuid.UUID | str, actor: Any) -> OutboxMessage:
    """An operator sends a failed message again, with a fresh retry budget; records who did it."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(id=message_id)
        if message.status != DeliveryStatus.FAILED:
            raise NotRetryable(f"Message {message.id} is {message.status}, not failed.")
        now = timezone.now()
        message.status = DeliveryStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = now
        message.retried_by = actor
        message.retried_at = now
        message.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "retried_by",
                "retried_at",
                "updated_at",
            ]
        )
        _schedule(message, run_after=None)
        record_event(
            actor=actor,
            action="delivery.retry",
            target_type="outbox_message",
            target_id=str(message.id),
            data={
                "related_file_id": message.related_file_id,
                "message_type": message.message_type,
                "last_error": message.last_error,
            },
        )
    logger.info("Outbox message %s retried by %s", message.id, getattr(actor, "pk", actor))
    return message


def process_outbox(*, now: datetime | None = None) -> dict[str, int]:
    """The safety net: release expired claims, then schedule every message that is due.

    A worker that dies between claim and completion leaves its message "delivering"; after the
    lease (settings.WIB_DELIVERY_LEASE_SECONDS) the message returns to pending. Scheduling a
    message twice is harmless: the task skips whatever is not pending and due.
    """
    now = now or timezone.now()
    lease = timedelta(seconds=settings.WIB_DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        released = OutboxMessage.objects.filter(
            status=DeliveryStatus.DELIVERING, claimed_at__lt=now - lease
        ).update(
            status=DeliveryStatus.PENDING,
            claimed_at=None,
            claim_token="",
            next_attempt_at=now,
            last_error="Released after the worker's lease expired.",
            updated_at=now,
        )
        due = list(
            OutboxMessage.objects.filter(
                status=DeliveryStatus.PENDING, next_attempt_at__lte=now
            ).values_list("id", flat=True)
        )
        for message_id in due:
            _enqueue_task(str(message_id), run_after=None)
    return {"released": released, "enqueued": len(due)}


def backoff_delay(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: doubling from the base, capped."""
    base = settings.WIB_DELIVERY_BACKOFF_SECONDS
    cap = settings.WIB_DELIVERY_BACKOFF_CAP_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def deliver_message(*, message_id: uuid.UUID | str) -> str:
    """Deliver one outbox message once; returns its status afterwards. The task's body."""
    claimed = _claim(message_id)
    if claimed is None:
        return str(
            OutboxMessage.objects.filter(id=message_id).values_list("status", flat=True).first()
        )
    message, started_at = claimed
    try:
        receipt = connector_for(message.channel).deliver(_delivery_request(message))
    except DeliveryError as error:
        return _record_failure(message, started_at=started_at, error=error)
    except Exception as error:
        # A bug or a storage fault must not leave the row claimed until the lease ends.
        logger.exception("Connector for %s crashed on message %s", message.channel, message.id)
        return _record_failure(
            message,
            started_at=started_at,
            error=DeliveryError(f"{type(error).__name__}: {error}"),
            recoverable=True,
        )
    return _record_receipt(message, started_at=started_at, receipt=receipt)


def _claim(message_id: uuid.UUID | str) -> tuple[OutboxMessage, datetime] | None:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(id=message_id).first()
        now = timezone.now()
        if message is None or message.status != DeliveryStatus.PENDING:
            return None
        if message.next_attempt_at is not None and message.next_attempt_at > now:
            # Scheduled for later (another task exists for that moment).
            return None
        message.status = DeliveryStatus.DELIVERING
        message.attempts += 1
        message.claimed_at = now
        message.claim_token = uuid.uuid4().hex
        message.save(
            update_fields=["status", "attempts", "claimed_at", "claim_token", "updated_at"]
        )
    return message, now


def _still_ours(message: OutboxMessage) -> OutboxMessage | None:
    current = OutboxMessage.objects.select_for_update().filter(id=message.id).first()
    if (
        current is None
        or current.status != DeliveryStatus.DELIVERING
        or current.claim_token != message.claim_token
    ):
        # The lease expired and another worker took over; its outcome wins.
        return None
    return current


def _record_receipt(
    message: OutboxMessage, *, started_at: datetime, receipt: DeliveryReceipt
) -> str:
    status = {
        OUTCOME_DELIVERED: DeliveryStatus.DELIVERED,
        OUTCOME_PAPER_REQUIRED: DeliveryStatus.PAPER_REQUIRED,
        OUTCOME_NOT_APPLICABLE: DeliveryStatus.NOT_APPLICABLE,
    }[receipt.outcome]
    with transaction.atomic():
        current = _still_ours(message)
        if current is None:
            return str(OutboxMessage.objects.get(id=message.id).status)
        now = timezone.now()
        current.status = status
        current.external_id = receipt.external_id
        current.last_error = receipt.detail if status != DeliveryStatus.DELIVERED else ""
        current.delivered_at = now if status == DeliveryStatus.DELIVERED else None
        current.next_attempt_at = None
        current.claimed_at = None
        current.claim_token = ""
        current.save()
        DeliveryAttempt.objects.create(
            message=current,
            number=current.attempts,
            started_at=started_at,
            finished_at=now,
            outcome=status,
            http_status=receipt.http_status,
            detail=receipt.detail,
        )
        # The date a decision reached the employer's eBox (or did not) is evidence; the worker
        # acts as the system, so there is no actor.
        _audit_outcome(current)
    return str(status)


def _record_failure(
    message: OutboxMessage,
    *,
    started_at: datetime,
    error: DeliveryError,
    recoverable: bool | None = None,
) -> str:
    recoverable = error.recoverable if recoverable is None else recoverable
    with transaction.atomic():
        current = _still_ours(message)
        if current is None:
            return str(OutboxMessage.objects.get(id=message.id).status)
        now = timezone.now()
        budget_spent = current.attempts >= settings.WIB_DELIVERY_MAX_ATTEMPTS
        current.last_error = str(error)[:2000]
        current.claimed_at = None
        current.claim_token = ""
        if recoverable and not budget_spent:
            current.status = DeliveryStatus.PENDING
            current.next_attempt_at = now + backoff_delay(current.attempts)
        else:
            current.status = DeliveryStatus.FAILED
            current.next_attempt_at = None
        current.save()
        DeliveryAttempt.objects.create(
            message=current,
            number=current.attempts,
            started_at=started_at,
            finished_at=now,
            outcome="retry" if current.status == DeliveryStatus.PENDING else "failed",
            http_status=error.http_status,
            detail=str(error)[:2000],
        )
        if current.status == DeliveryStatus.PENDING:
            _schedule(current, run_after=current.next_attempt_at)
        else:
            logger.warning("Outbox message %s failed: %s", current.id, current.last_error)
            _audit_outcome(current)
    return str(current.status)


def _audit_outcome(message: OutboxMessage) -> None:
    record_event(
        actor=None,
        action=f"delivery.{message.status.replace('-', '_')}",
        target_type="outbox_message",
        target_id=str(message.id),
        data={
            "channel": message.channel,
            "recipient": message.recipient,
            "message_type": message.message_type,
            "related_file_id": message.related_file_id,
            "attempts": message.attempts,
            "external_id": message.external_id,
            "last_error": message.last_error,
        },
    )


def _delivery_request(message: OutboxMessage) -> DeliveryRequest:
    attachments = []
    for stored in message.attachments.all():
        with stored.file.open("rb") as handle:
            content = handle.read()
        attachments.append(
            Attachment(
                filename=stored.filename,
                content=content,
                content_type=stored.content_type,
                sha256=stored.sha256,
            )
        )
    return DeliveryRequest(
        idempotency_key=message.idempotency_key,
        recipient=message.recipient,
        subject=message.subject,
        body=message.body,
        message_type=message.message_type,
        attachments=attachments,
        related_file_id=message.related_file_id,
    )


def _schedule(message: OutboxMessage, *, run_after: datetime | None) -> None:
    _enqueue_task(str(message.id), run_after=run_after)


def _enqueue_task(message_id: str, *, run_after: datetime | None) -> None:
    from .tasks import deliver_outbox_message

    task = (
        deliver_outbox_message.using(run_after=run_after) if run_after else deliver_outbox_message
    )
    task.enqueue(message_id)


def _check_arguments(
    *,
    channel: str,
    recipient: str,
    subject: Mapping[str, str],
    message_type: str,
    attachments: Sequence[OutboxAttachment],
    idempotency_key: str,
) -> None:
    # Programming errors: fail loudly in the caller's transaction rather than at delivery time.
    if channel not in Channel.values:
        raise ValueError(f"Unknown delivery channel {channel!r}.")
    if not idempotency_key.strip():
        raise ValueError("An idempotency key is required.")
    if not recipient.strip():
        raise ValueError("A recipient is required.")
    if not message_type.strip():
        raise ValueError("A message type is required.")
    missing = [language for language in REQUIRED_SUBJECT_LANGUAGES if not subject.get(language)]
    if missing:
        raise ValueError(f"The subject lacks the languages {', '.join(missing)}.")
    if channel == Channel.EBOX:
        try:
            ebox_recipient(recipient)
        except DeliveryError as error:
            raise ValueError(str(error)) from error
        if len(attachments) > MAX_ATTACHMENTS:
            raise ValueError(f"The eBox takes at most {MAX_ATTACHMENTS} attachments.")


def _safe_filename(filename: str) -> str:
    keep = "".join(
        character if character.isalnum() or character in "._-" else "_" for character in filename
    )
    return keep.lstrip(".")[:100] or "attachment"
