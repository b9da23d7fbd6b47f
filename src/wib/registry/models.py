"""Enterprises, establishment units, their names and addresses, as published by the KBO/BCE.

Names, addresses and codes are keyed by the plain entity number (not a foreign key) so that the
open-data import can load the files in any order and replace them wholesale; enterprises and
establishment units are never deleted by an import, because files and memberships point at them:
an entity that leaves the register is marked ``listed_in_register=False`` instead.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Enterprise(models.Model):
    """A registered entity or natural person with an enterprise number (KBO/BCE)."""

    number = models.CharField(_("enterprise number"), max_length=10, unique=True)
    status = models.CharField(_("status"), max_length=2, blank=True, default="")
    juridical_situation = models.CharField(
        _("juridical situation"), max_length=3, blank=True, default=""
    )
    type_of_enterprise = models.CharField(
        _("type of enterprise"), max_length=1, blank=True, default=""
    )
    juridical_form = models.CharField(_("juridical form"), max_length=3, blank=True, default="")
    juridical_form_cac = models.CharField(
        _("juridical form (companies code)"), max_length=3, blank=True, default=""
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    # False for enterprises entered by hand (demo, not yet published) or struck from the register.
    listed_in_register = models.BooleanField(_("listed in the register"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return f"{self.number[:4]}.{self.number[4:7]}.{self.number[7:]}"


class EstablishmentUnit(models.Model):
    """A place where an enterprise carries on business; decides the competent authority."""

    number = models.CharField(_("establishment unit number"), max_length=10, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="establishment_units",
        verbose_name=_("enterprise"),
    )
    # The plain key from establishment.csv, kept so the import never has to look ids up row by row.
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="")
    municipality_refnis = models.CharField(
        _("municipality (REFNIS)"), max_length=5, blank=True, default=""
    )
    municipality_nl = models.TextField(_("municipality (Dutch)"), blank=True, default="")
    municipality_fr = models.TextField(_("municipality (French)"), blank=True, default="")
    street_nl = models.TextField(_("street (Dutch)"), blank=True, default="")
    street_fr = models.TextField(_("street (French)"), blank=True, default="")
    house_number = models.TextField(_("house number"), blank=True, default="")
    box = models.TextField(_("box"), blank=True, default="")
    country_nl = models.TextField(_("country"), blank=True, default="")
    # Blank when the postcode is foreign or unknown: then nobody can route to it automatically.
    authority_code = models.CharField(
        _("competent authority"), max_length=40, blank=True, default=""
    )
    listed_in_register = models.BooleanField(_("listed in the register"), default=False)

    class Meta:
        verbose_name = _("establishment unit")
        verbose_name_plural = _("establishment units")

    def __str__(self) -> str:
        n = self.number
        return f"{n[0]}.{n[1:4]}.{n[4:7]}.{n[7:]}"


class Denomination(models.Model):
    """A name of an enterprise or establishment unit in one language (denomination.csv)."""

    entity_number = models.CharField(_("entity number"), max_length=10)
    # KBO language codes: 0 unknown, 1 French, 2 Dutch, 3 German, 4 English.
    language = models.CharField(_("language"), max_length=1, blank=True, default="")
    # KBO TypeOfDenomination: 001 name, 002 abbreviation, 003 commercial name, 004 branch name.
    type_of_denomination = models.CharField(_("type of name"), max_length=3)
    denomination = models.TextField(_("name"))

    class Meta:
        verbose_name = _("name")
        verbose_name_plural = _("names")
        indexes = [models.Index(fields=["entity_number"], name="registry_denom_entity_idx")]

    def __str__(self) -> str:
        return self.denomination


class Address(models.Model):
    """An address of an enterprise (REGO: registered office) or establishment unit (BAET)."""

    entity_number = models.CharField(_("entity number"), max_length=10)
    type_of_address = models.CharField(_("type of address"), max_length=4)
    country_nl = models.TextField(_("country (Dutch)"), blank=True, default="")
    country_fr = models.TextField(_("country (French)"), blank=True, default="")
    zipcode = models.CharField(_("postcode"), max_length=20, blank=True, default="")
    municipality_nl = models.TextField(_("municipality (Dutch)"), blank=True, default="")
    municipality_fr = models.TextField(_("municipality (French)"), blank=True, default="")
    street_nl = models.TextField(_("street (Dutch)"), blank=True, default="")
    street_fr = models.TextField(_("street (French)"), blank=True, default="")
    house_number = models.TextField(_("house number"), blank=True, default="")
    box = models.TextField(_("box"), blank=True, default="")
    extra_address_info = models.TextField(_("extra address information"), blank=True, default="")
    date_striking_off = models.DateField(_("struck off on"), null=True, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [models.Index(fields=["entity_number"], name="registry_addr_entity_idx")]

    def __str__(self) -> str:
        return f"{self.street_nl or self.street_fr} {self.house_number}, {self.zipcode}"


class Code(models.Model):
    """A code description from code.csv (juridical forms, statuses, ...), per language."""

    category = models.CharField(_("category"), max_length=50)
    code = models.CharField(_("code"), max_length=20)
    language = models.CharField(_("language"), max_length=2)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code", "language"], name="registry_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.code} ({self.language})"


class ImportedExtract(models.Model):
    """One KBO open-data extract applied to the register, in the order applied."""

    class ExtractType(models.TextChoices):
        FULL = "full", _("full")
        UPDATE = "update", _("update")

    extract_number = models.PositiveIntegerField(_("extract number"))
    extract_type = models.CharField(_("extract type"), max_length=10, choices=ExtractType.choices)
    snapshot_date = models.DateField(_("snapshot date"), null=True, blank=True)
    extract_timestamp = models.DateTimeField(_("extract timestamp"), null=True, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True, default="")
    file_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    applied_at = models.DateTimeField(_("applied at"))
    row_counts = models.JSONField(_("rows per file"), default=dict)

    class Meta:
        verbose_name = _("imported extract")
        verbose_name_plural = _("imported extracts")
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.extract_type} {self.extract_number}"
