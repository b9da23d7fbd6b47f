"""The stored document: one checked upload, its fingerprint and who brought it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

# The only types accepted, each with the extension given to stored and downloaded files.
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}


def storage_name(instance: "StoredDocument", filename: str) -> str:
    """A random path: the user's file name never reaches the storage (no path tricks, no PII)."""
    extension = EXTENSIONS[instance.content_type]
    return f"documents/{instance.uploaded_at:%Y/%m}/{instance.id.hex}{extension}"


class StoredDocument(models.Model):
    class ContentType(models.TextChoices):
        PDF = PDF, "PDF"
        PNG = PNG, "PNG"
        JPEG = JPEG, "JPEG"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("file"), upload_to=storage_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=40, choices=ContentType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="uploaded_documents",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gt=0), name="documents_storeddocument_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__in=list(EXTENSIONS)),
                name="documents_storeddocument_allowed_type",
            ),
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="documents_storeddocument_sha256_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
