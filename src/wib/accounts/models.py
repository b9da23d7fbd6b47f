"""People who use the single window: accounts, enterprise memberships, mandates, officials."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

PROCEDURE_GROUP_FOREIGN_WORKERS = "foreign-workers"


class User(AbstractUser):
    """A person. Enterprise users, mandataries' users, workers, officials and administrators."""

    national_register_number = models.CharField(
        _("national register or BIS number"),
        max_length=11,
        blank=True,
        default="",
        help_text=_("11 digits, set by federated login or by an administrator."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, blank=True, default=""
    )
    session_epoch = models.PositiveIntegerField(
        _("session epoch"),
        default=0,
        help_text=_("Raised by 'log out everywhere': every older session stops working."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["national_register_number"],
                condition=~models.Q(national_register_number=""),
                name="accounts_user_unique_national_register_number",
            )
        ]

    def _get_session_auth_hash(self, secret=None):
        # Django's AuthenticationMiddleware compares this hash with the one stored in the
        # session on every request; mixing in the epoch makes "log out everywhere" (and,
        # through the password hash, a password change) end every other session at once.
        key_salt = "wib.accounts.User.session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class EnterpriseMembership(models.Model):
    """A person's place in an enterprise: may use the single window, may manage access."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
        verbose_name=_("user"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("enterprise"),
    )
    is_access_manager = models.BooleanField(_("access manager"), default=False)
    has_single_window_role = models.BooleanField(_("may use the single window"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise membership")
        verbose_name_plural = _("enterprise memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"], name="accounts_membership_unique_user_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise_id}"


class Mandate(models.Model):
    """An employer's permission for a mandatary enterprise to act for it in one procedure group."""

    class ProcedureGroup(models.TextChoices):
        FOREIGN_WORKERS = PROCEDURE_GROUP_FOREIGN_WORKERS, _("foreign workers")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="mandates_given",
        verbose_name=_("employer"),
    )
    mandatary = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="mandates_received",
        verbose_name=_("mandatary"),
    )
    procedure_group = models.CharField(
        _("procedure group"),
        max_length=40,
        choices=ProcedureGroup.choices,
        default=ProcedureGroup.FOREIGN_WORKERS,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(employer=models.F("mandatary")),
                name="accounts_mandate_not_to_self",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="accounts_mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} → {self.mandatary_id} ({self.procedure_group})"

    def is_active_on(self, day) -> bool:
        return (
            self.revoked_at is None
            and self.starts_on <= day
            and (self.ends_on is None or self.ends_on >= day)
        )


class OfficialMembership(models.Model):
    """The one authority an official works for, and in which role."""

    class Role(models.TextChoices):
        OFFICIAL = "official", _("official")
        SUPERVISOR = "supervisor", _("supervisor")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="official_membership",
        verbose_name=_("user"),
    )
    authority = models.ForeignKey(
        "geography.Authority",
        on_delete=models.PROTECT,
        related_name="official_memberships",
        verbose_name=_("authority"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("official membership")
        verbose_name_plural = _("official memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.authority_id} ({self.role})"


class Invitation(models.Model):
    """An access manager's e-mailed invitation to join an enterprise; single use, expiring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("enterprise"),
    )
    email = models.EmailField(_("e-mail address"))
    # Only a hash is kept: a database reader cannot turn it back into a working link.
    token_hash = models.CharField(max_length=64, unique=True)
    grants_single_window_role = models.BooleanField(_("may use the single window"), default=True)
    grants_access_manager = models.BooleanField(_("access manager"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("accepted by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise_id}"

    def is_open_at(self, moment) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and self.expires_at > moment


class LoginAttempt(models.Model):
    """One password login attempt, kept in the database so lockout holds across processes."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        BLOCKED = "blocked", _("blocked by lockout")

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip_address = models.CharField(_("IP address"), max_length=45, db_index=True)
    attempted_at = models.DateTimeField(_("attempted at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        indexes = [
            models.Index(fields=["username", "attempted_at"], name="accounts_login_user_time"),
            models.Index(fields=["ip_address", "attempted_at"], name="accounts_login_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.outcome} {self.attempted_at:%Y-%m-%d %H:%M}"


class RateLimitCounter(models.Model):
    """Hits of one key in one fixed time window, for the reusable rate limiter."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="accounts_ratelimit_unique_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%H:%M:%S} {self.count}"
