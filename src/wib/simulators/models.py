"""What the simulated external services hold: switches, eBox messages, and authorities' inboxes."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SimulatorSwitch(models.Model):
    """A fault to inject: "ebox" answers 503; "ebox-accept-then-fail" stores, then answers 504."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_down = models.BooleanField(_("is down"), default=False)

    class Meta:
        verbose_name = _("simulator switch")
        verbose_name_plural = _("simulator switches")

    def __str__(self) -> str:
        return f"{self.name}: {'down' if self.is_down else 'up'}"


class SimulatedEboxRecipient(models.Model):
    """An eBox owner known to the simulator; unknown owners count as having opened their eBox."""

    ebox_type = models.CharField(
        _("eBox type"),
        max_length=20,
        choices=[("enterprise", _("enterprise")), ("citizen", _("citizen"))],
    )
    ebox_id = models.CharField(_("eBox id"), max_length=11)
    has_opened_ebox = models.BooleanField(
        _("has opened the eBox"),
        default=True,
        help_text=_("When not, publications answer NO_DIGITAL_USER (a paper letter is due)."),
    )

    class Meta:
        verbose_name = _("simulated eBox owner")
        verbose_name_plural = _("simulated eBox owners")
        constraints = [
            models.UniqueConstraint(
                fields=["ebox_type", "ebox_id"], name="simulators_ebox_recipient_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ebox_type}:{self.ebox_id}"


class SimulatedEboxMessage(models.Model):
    """A message published to the simulated eBox."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business_id = models.CharField(_("business id"), max_length=200, unique=True)
    ebox_type = models.CharField(_("eBox type"), max_length=20)
    ebox_id = models.CharField(_("eBox id"), max_length=11, db_index=True)
    subject = models.JSONField(_("subject"), default=dict)
    body = models.JSONField(_("body"), default=dict)
    message_type_id = models.CharField(_("message type"), max_length=200)
    sender_organization_id = models.CharField(_("sender organisation"), max_length=10)
    sender_application_id = models.CharField(_("sender application"), max_length=200)
    for_the_attention_of = models.JSONField(_("for the attention of"), null=True, blank=True)
    recipient_is_digital = models.BooleanField(_("recipient has opened the eBox"), default=True)
    raw = models.JSONField(_("message as received"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("simulated eBox message")
        verbose_name_plural = _("simulated eBox messages")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        subject = self.subject.get("en") or self.subject.get("nl", "")
        return f"{self.ebox_type}:{self.ebox_id} {subject}"


def simulated_attachment_path(instance: "SimulatedEboxAttachment", filename: str) -> str:
    return f"simulators/ebox/{instance.message_id}/{instance.http_part_name}-{filename}"


class SimulatedEboxAttachment(models.Model):
    """A document published with a simulated eBox message."""

    message = models.ForeignKey(
        SimulatedEboxMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    http_part_name = models.CharField(_("part"), max_length=10)
    main_content = models.BooleanField(_("main content"), default=False)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to=simulated_attachment_path, max_length=500)

    class Meta:
        verbose_name = _("simulated eBox attachment")
        verbose_name_plural = _("simulated eBox attachments")
        ordering = ["message", "http_part_name"]

    def __str__(self) -> str:
        return self.filename


class SimulatedAgencySubmission(models.Model):
    """What an authority's simulated case system received from the single window."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority_code = models.CharField(_("authority"), max_length=50, db_index=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("simulated authority submission")
        verbose_name_plural = _("simulated authority submissions")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.authority_code} {self.idempotency_key}"
