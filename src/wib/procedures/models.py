"""Reference values of the procedures that change over time: fees and salary thresholds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceValue(models.Model):
    """An amount valid for a period; indexed values get a new row, old ones stay for history.

    Amounts marked "(check)" in `note` come from public sources that disagree or may be
    outdated: an administrator confirms or corrects them here, never in code.
    """

    class Kind(models.TextChoices):
        FEE = "fee", _("Fee for the residence part")
        SALARY_THRESHOLD = "salary_threshold", _("Salary threshold")
        DECISION_DEADLINE_DAYS = "decision_deadline_days", _("Decision deadline (days)")

    class Unit(models.TextChoices):
        ONCE = "once", _("once")
        YEARLY = "yearly", _("per year")
        MONTHLY = "monthly", _("per month")
        DAYS = "days", _("days")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    authority_code = models.CharField(
        _("authority"), max_length=40, blank=True, help_text=_("Empty: every authority.")
    )
    procedure_code = models.CharField(
        _("procedure"), max_length=40, blank=True, help_text=_("Empty: every procedure.")
    )
    category = models.CharField(
        _("category"), max_length=40, blank=True, help_text=_("Empty: every category.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        ordering = ["kind", "authority_code", "category", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="procedures_referencevalue_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.authority_code or '*'} {self.category or '*'} {self.valid_from}"
