"""The outbox's rows: one message to deliver, its attachments and the history of its attempts."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EBOX = "ebox", _("eBox")
    AUTHORITY_SYSTEM = "authority-system", _("Authority's system")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERING = "delivering", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed: needs an operator")
    # The eBox took the message but its owner never opened an eBox: a paper letter is due.
    PAPER_REQUIRED = "paper-required", _("Paper letter required")
    # The recipient has no electronic channel configured (an authority working in our back office).
    NOT_APPLICABLE = "not-applicable", _("No electronic channel")


# States in which the outbox is done with a message; only FAILED can be retried by an operator.
FINAL_STATUSES = frozenset(
    {
        DeliveryStatus.DELIVERED,
        DeliveryStatus.FAILED,
        DeliveryStatus.PAPER_REQUIRED,
        DeliveryStatus.NOT_APPLICABLE,
    }
)


class OutboxMessage(models.Model):
    """A message to another system, written in the same transaction as the change that causes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    recipient = models.CharField(
        _("recipient"),
        max_length=64,
        help_text=_("Enterprise number, INSZ number or authority code, depending on the channel."),
    )
    subject = models.JSONField(
        _("subject"), default=dict, help_text=_("Per language: nl, fr, de, en.")
    )
    body = models.JSONField(_("body"), default=dict, help_text=_("Per language: nl, fr, de, en."))
    message_type = models.CharField(_("message type"), max_length=100)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    related_file_id = models.CharField(_("related file"), max_length=64, blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="", editable=False)
    last_error = models.TextField(_("last error"), blank=True, default="")
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True, default="")
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last retried by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retried_at = models.DateTimeField(_("last retried at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="deliveries_due_idx"),
            models.Index(fields=["related_file_id"], name="deliveries_file_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in DeliveryStatus]),
                name="deliveries_outboxmessage_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=[choice.value for choice in Channel]),
                name="deliveries_outboxmessage_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_type} → {self.channel}:{self.recipient} ({self.status})"


def attachment_path(instance: "OutboxAttachmentFile", filename: str) -> str:
    return f"deliveries/{instance.message_id}/{instance.position}-{filename}"


class OutboxAttachmentFile(models.Model):
    """A file that travels with an outbox message; its bytes live in Django's storage."""

    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="deliveries_attachment_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class DeliveryAttempt(models.Model):
    """One try to hand a message over, with what came back: the operator's evidence."""

    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attempt_history",
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    outcome = models.CharField(_("outcome"), max_length=20)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True, default="")

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "started_at", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"
