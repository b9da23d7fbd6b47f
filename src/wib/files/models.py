"""The application ("file") and what hangs off it: history, requests, documents, decisions."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L, so a reference read out over the phone cannot be misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_reference(year: int) -> str:
    """A random, non-sequential reference such as WIB-2026-7K3Q-9F2M (31**8 ≈ 8.5e11 per year)."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"WIB-{year}-{letters[:4]}-{letters[4:]}"


class File(models.Model):
    """One application under one procedure, from draft to final decision."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    procedure_code = models.CharField(_("procedure"), max_length=40)
    language = models.CharField(_("language"), max_length=2, default="nl")

    employer = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("employer"),
    )
    mandatary = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandated_files",
        verbose_name=_("mandatary"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="files_created",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files_submitted",
        verbose_name=_("submitted by"),
    )
    # The worker's own account, for the permit of indefinite duration the worker applies for.
    worker_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_files",
        verbose_name=_("worker's account"),
    )

    authority = models.ForeignKey(
        "geography.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("competent authority"),
    )
    authority_rule = models.CharField(_("routing rule"), max_length=60, blank=True)
    authority_explanation = models.TextField(_("why this authority"), blank=True)
    authority_municipality_refnis = models.CharField(
        _("municipality (REFNIS)"), max_length=5, blank=True
    )

    state = models.CharField(_("status"), max_length=40, default="draft")
    stage = models.CharField(_("stage"), max_length=20, default="work")
    sections = models.JSONField(_("sections"), default=dict, blank=True)

    # Copied from the worker section so that lists can be searched without reading JSON.
    worker_name = models.CharField(_("worker's name"), max_length=200, blank=True)
    worker_insz = models.CharField(_("worker's INSZ number"), max_length=11, blank=True)
    worker_birth_date = models.DateField(_("worker's date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    complete_since = models.DateField(_("complete since"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due on"), null=True, blank=True)
    extended = models.BooleanField(_("deadline extended"), default=False)
    information_due_on = models.DateField(_("information due on"), null=True, blank=True)
    admissible_on = models.DateField(_("admissible on"), null=True, blank=True)
    forwarded_at = models.DateTimeField(
        _("forwarded to the Immigration Office at"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    receipt = models.ForeignKey(
        "documents.StoredDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt"),
    )

    version = models.PositiveIntegerField(_("version"), default=1)
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_files",
        verbose_name=_("copied or renewed from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["authority", "state"]),
            models.Index(fields=["stage", "state"]),
            models.Index(fields=["decision_due_on"]),
            models.Index(fields=["worker_insz"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer__isnull=False)
                | models.Q(worker_user__isnull=False)
                | models.Q(mandatary__isnull=False),
                name="files_file_has_applicant",
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(self.public_id)

    def section_data(self, code: str) -> dict:
        return dict((self.sections.get(code) or {}).get("data") or {})

    def section_complete(self, code: str) -> bool:
        return bool((self.sections.get(code) or {}).get("complete"))


class FileEvent(models.Model):
    """One line of a file's history: a transition or another notable act."""

    class Capacity(models.TextChoices):
        EMPLOYER = "employer", _("employer user")
        MANDATARY = "mandatary", _("mandatary")
        WORKER = "worker", _("worker")
        OFFICIAL = "official", _("official")
        SYSTEM = "system", _("system")

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=60)
    from_state = models.CharField(_("from status"), max_length=40, blank=True)
    to_state = models.CharField(_("to status"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    capacity = models.CharField(_("acting as"), max_length=20, choices=Capacity.choices)
    # Enterprise number of the mandatary, or code of the official's authority.
    capacity_detail = models.CharField(_("acting for"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("file event")
        verbose_name_plural = _("file events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.file} {self.action}"


class InformationRequest(models.Model):
    """A request for missing information; the applicant has a set number of days to answer."""

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="information_requests")
    stage = models.CharField(_("stage"), max_length=20)
    message = models.TextField(_("what is needed"))
    due_on = models.DateField(_("answer due on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.file} {self.requested_at:%Y-%m-%d}"


class FileDocument(models.Model):
    """A document attached to a file, of a kind named in the procedure definition."""

    class Step(models.TextChoices):
        APPLICATION = "application", _("application")
        INFORMATION = "information", _("answer to an information request")

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40)
    stored_document = models.ForeignKey(
        "documents.StoredDocument", on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("added during"), max_length=20, choices=Step.choices)
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("file document")
        verbose_name_plural = _("file documents")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.file} {self.kind}"


class Decision(models.Model):
    """A decision on the work or residence part, with its letter."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        GRANTED = "granted", _("granted")
        INADMISSIBLE = "inadmissible", _("inadmissible")

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("stage"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    motivation = models.TextField(_("motivation"))
    # Annex 46 (granted) / 47 (refused) of the residence part; 49 for a worker in Belgium.
    annex = models.CharField(_("annex"), max_length=4, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    letter = models.ForeignKey(
        "documents.StoredDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("letter"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["file", "stage"], name="files_decision_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.file} {self.stage} {self.outcome}"
