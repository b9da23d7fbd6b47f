"""Audit records, append-only and hash-chained, and the one chain head that serialises appends."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wib.audit.hashing import GENESIS_HASH, HASHED_FIELDS, compute_hash


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to change or remove an audit record."""


class AuditRecordQuerySet(models.QuerySet):
    # Bulk paths bypass Model.save()/delete(); refuse them here too, before the database
    # triggers would (they are the last line, this is the readable one).
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyViolation("audit records cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyViolation("audit records cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyViolation("audit records cannot be updated")


class AuditRecord(models.Model):
    """One event: an actor did or saw something, for someone, at a moment, from an address."""

    sequence = models.PositiveBigIntegerField(_("sequence"), primary_key=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_records",
    )
    # Kept as text too, so the record still names the person if the account is renamed.
    actor_username = models.CharField(_("actor's user name"), max_length=150, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    authority_code = models.CharField(_("authority"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=128, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    record_hash = models.CharField(_("record hash"), max_length=64, unique=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "sequence"], name="audit_target_idx"),
            models.Index(fields=["actor", "sequence"], name="audit_actor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="audit_sequence_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyViolation("audit records cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyViolation("audit records cannot be deleted")

    def hashed_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def compute_hash(self) -> str:
        return compute_hash(self.hashed_values())


class AuditChainHead(models.Model):
    """The single row naming the last record; appenders lock it so the chain never forks."""

    # One row only (id 1): the lock target and the truncation witness.
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_single_row"),
        ]

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash}"
