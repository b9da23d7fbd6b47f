"""People who use the single window: their accounts (memberships and mandates live beside)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
