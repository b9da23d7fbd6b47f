"""What screens and commands read from the enterprise register: one enterprise and its units.

The register is public data (KBO open data), so these selectors are not scoped to an actor;
whoever may see a file decides that in the files and accounts layers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils.translation import get_language

from wib.core.identifiers import (
    format_enterprise_number,
    format_establishment_number,
    normalize_enterprise_number,
)

# KBO language codes of denomination.csv.
NAME_LANGUAGES = {"0": "", "1": "fr", "2": "nl", "3": "de", "4": "en"}
# KBO TypeOfDenomination codes.
NAME_TYPES = {"001": "name", "002": "abbreviation", "003": "commercial_name", "004": "branch_name"}
REGISTERED_OFFICE = "REGO"


@dataclass(frozen=True)
class NameInfo:
    language: str  # "nl", "fr", "de", "en" or "" (unknown)
    type: str  # "name", "abbreviation", "commercial_name", "branch_name" or the raw KBO code
    name: str


@dataclass(frozen=True)
class AddressInfo:
    postcode: str
    municipality: str
    municipality_nl: str
    municipality_fr: str
    municipality_refnis: str
    street: str
    street_nl: str
    street_fr: str
    house_number: str
    box: str
    country: str

    def as_dict(self) -> dict[str, str]:
        return {
            "postcode": self.postcode,
            "municipality": self.municipality,
            "municipality_nl": self.municipality_nl,
            "municipality_fr": self.municipality_fr,
            "municipality_refnis": self.municipality_refnis,
            "street": self.street,
            "house_number": self.house_number,
            "box": self.box,
            "country": self.country,
        }


@dataclass(frozen=True)
class LegalForm:
    code: str
    descriptions: dict[str, str]  # language -> description, from code.csv

    @property
    def description(self) -> str:
        language = (get_language() or "nl")[:2]
        return self.descriptions.get(language) or self.descriptions.get("nl", "") or self.code


@dataclass(frozen=True)
class EstablishmentInfo:
    number: str  # 10 digits
    formatted_number: str  # 2.123.456.789
    start_date: date | None
    address: AddressInfo
    authority: str  # authority code, "" when the postcode is foreign or unknown
    names: list[NameInfo]
    listed_in_register: bool

    @property
    def postcode(self) -> str:
        return self.address.postcode

    @property
    def municipality(self) -> str:
        return self.address.municipality

    @property
    def municipality_refnis(self) -> str:
        return self.address.municipality_refnis

    @property
    def street(self) -> str:
        return self.address.street


@dataclass(frozen=True)
class EnterpriseDetails:
    number: str  # 10 digits
    formatted_number: str  # 0123.456.749
    status: str
    start_date: date | None
    names: list[NameInfo]
    legal_form: LegalForm | None
    registered_office: AddressInfo | None
    establishments: list[EstablishmentInfo] = field(default_factory=list)
    listed_in_register: bool = True

    @property
    def name(self) -> str:
        """The official name, in the active language where the register has one."""
        return _preferred_name(self.names)


def _preferred_name(names: list[NameInfo]) -> str:
    language = (get_language() or "nl")[:2]
    official = [name for name in names if name.type == "name"] or names
    for candidate in official:
        if candidate.language == language:
            return candidate.name
    return official[0].name if official else ""


def _pick(language: str, nl: str, fr: str) -> str:
    # The register writes streets and municipalities in Dutch and French only (not German or
    # English): French readers get the French form, everyone else the Dutch, else whichever exists.
    if language == "fr":
        return fr or nl
    return nl or fr


def _address(
    *,
    postcode: str,
    municipality_nl: str,
    municipality_fr: str,
    municipality_refnis: str,
    street_nl: str,
    street_fr: str,
    house_number: str,
    box: str,
    country: str,
) -> AddressInfo:
    language = (get_language() or "nl")[:2]
    return AddressInfo(
        postcode=postcode,
        municipality=_pick(language, municipality_nl, municipality_fr),
        municipality_nl=municipality_nl,
        municipality_fr=municipality_fr,
        municipality_refnis=municipality_refnis,
        street=_pick(language, street_nl, street_fr),
        street_nl=street_nl,
        street_fr=street_fr,
        house_number=house_number,
        box=box,
        country=country,
    )


def _office_refnis(
    *, zipcode: str, country: str, municipality_nl: str, municipality_fr: str
) -> str:
    from django.core.exceptions import ValidationError

    from wib.geography.resolver import municipalities_for_postcode

    if country or not zipcode.isdigit():
        return ""
    try:
        candidates = municipalities_for_postcode(zipcode)
    except ValidationError:
        return ""
    wanted = {municipality_nl.casefold(), municipality_fr.casefold()} - {""}
    if len(candidates) == 1:
        return candidates[0].refnis
    for candidate in candidates:
        if {name.casefold() for name in candidate.names.values()} & wanted:
            return candidate.refnis
    return ""


# Two round trips instead of five ORM queries: the lookup sits on every screen that shows an
# employer, and at 1.9 M enterprises the time goes to round trips and ORM overhead, not to the
# (indexed) reads. Rows of the first query: the enterprise x its registered office x the
# descriptions of its juridical form; of the second: its names, then each unit x its names.
_ENTERPRISE_SQL = """
SELECT e.status, e.start_date, e.juridical_form, e.listed_in_register,
       a.id, a.zipcode, a.municipality_nl, a.municipality_fr, a.street_nl, a.street_fr,
       a.house_number, a.box, a.country_nl, c.language, c.description
FROM registry_enterprise e
LEFT JOIN registry_address a ON a.entity_number = e.number AND a.type_of_address = 'REGO'
LEFT JOIN registry_code c ON c.category = 'JuridicalForm' AND c.code = e.juridical_form
WHERE e.number = %s
"""
_UNITS_SQL = """
SELECT '', NULL, '', '', '', '', '', '', '', '', '', '', false,
       d.id, d.language, d.type_of_denomination, d.denomination
FROM registry_denomination d WHERE d.entity_number = %s
UNION ALL
SELECT u.number, u.start_date, u.postcode, u.municipality_nl, u.municipality_fr,
       u.municipality_refnis, u.street_nl, u.street_fr, u.house_number, u.box, u.country_nl,
       u.authority_code, u.listed_in_register,
       d.id, d.language, d.type_of_denomination, d.denomination
FROM registry_establishmentunit u
LEFT JOIN registry_denomination d ON d.entity_number = u.number
WHERE u.enterprise_number = %s AND u.listed_in_register
"""


def _name(language: str, type_of_denomination: str, denomination: str) -> NameInfo:
    return NameInfo(
        language=NAME_LANGUAGES.get(language, language),
        type=NAME_TYPES.get(type_of_denomination, type_of_denomination),
        name=denomination,
    )


def _name_order(row: tuple) -> tuple:
    # type of name, language, then the order of the register (the row id)
    return (row[15] or "", row[14] or "", row[13] or 0)


def enterprise_details(number: str) -> EnterpriseDetails | None:
    """The enterprise with its names, legal form, registered office and establishment units.

    ``number`` may be written in any accepted form (dots, spaces, "BE", old 9 digits); an invalid
    number raises ``IdentifierError``; an unknown one gives None. Two indexed queries.
    """
    digits = normalize_enterprise_number(number)
    with connection.cursor() as cursor:
        cursor.execute(_ENTERPRISE_SQL, [digits])
        rows = cursor.fetchall()
        if not rows:
            return None
        cursor.execute(_UNITS_SQL, [digits, digits])
        unit_rows = cursor.fetchall()
    status, start_date, juridical_form, listed = rows[0][:4]
    if isinstance(start_date, str):  # SQLite hands dates back as text
        start_date = date.fromisoformat(start_date)
    office = None
    office_rows = sorted((row for row in rows if row[4] is not None), key=lambda row: row[4])
    if office_rows:
        (_id, zipcode, municipality_nl, municipality_fr, street_nl, street_fr, house, box,
         country) = office_rows[0][4:13]  # fmt: skip
        office = _address(
            postcode=zipcode,
            municipality_nl=municipality_nl,
            municipality_fr=municipality_fr,
            municipality_refnis=_office_refnis(
                zipcode=zipcode,
                country=country,
                municipality_nl=municipality_nl,
                municipality_fr=municipality_fr,
            ),
            street_nl=street_nl,
            street_fr=street_fr,
            house_number=house,
            box=box,
            country=country,
        )
    legal_form = None
    if juridical_form:
        descriptions = {row[13].lower(): row[14] for row in rows if row[13] is not None}
        legal_form = LegalForm(code=juridical_form, descriptions=descriptions)

    enterprise_names: list[NameInfo] = []
    units: dict[str, tuple] = {}
    unit_names: dict[str, list[NameInfo]] = {}
    for row in sorted(unit_rows, key=_name_order):
        unit_number = row[0]
        if unit_number:
            units.setdefault(unit_number, row)
            names = unit_names.setdefault(unit_number, [])
        else:
            names = enterprise_names
        if row[16] is not None:
            names.append(_name(row[14], row[15], row[16]))
    establishments = []
    for unit_number in sorted(units):
        row = units[unit_number]
        unit_start = row[1]
        if isinstance(unit_start, str):
            unit_start = date.fromisoformat(unit_start)
        establishments.append(
            EstablishmentInfo(
                number=unit_number,
                formatted_number=format_establishment_number(unit_number),
                start_date=unit_start,
                address=_address(
                    postcode=row[2],
                    municipality_nl=row[3],
                    municipality_fr=row[4],
                    municipality_refnis=row[5],
                    street_nl=row[6],
                    street_fr=row[7],
                    house_number=row[8],
                    box=row[9],
                    country=row[10],
                ),
                authority=row[11],
                names=unit_names.get(unit_number, []),
                listed_in_register=bool(row[12]),
            )
        )
    return EnterpriseDetails(
        number=digits,
        formatted_number=format_enterprise_number(digits),
        status=status,
        start_date=start_date,
        names=enterprise_names,
        legal_form=legal_form,
        registered_office=office,
        establishments=establishments,
        listed_in_register=bool(listed),
    )
