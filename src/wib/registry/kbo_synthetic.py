"""Writing KBO open-data zips in the published format: for tests, demonstrations and benchmarks.

Rows are streamed into the zip member by member, so a full-size synthetic extract (about 10 M
rows) never sits in memory. The format follows the real extracts: comma separated, every value
in double quotes, CRLF line ends, numbers with their dots, dates dd-mm-yyyy.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from wib.core.identifiers import make_enterprise_number, make_establishment_number

HEADERS: dict[str, tuple[str, ...]] = {
    "meta": ("Variable", "Value"),
    "code": ("Category", "Code", "Language", "Description"),
    "enterprise": (
        "EnterpriseNumber",
        "Status",
        "JuridicalSituation",
        "TypeOfEnterprise",
        "JuridicalForm",
        "JuridicalFormCAC",
        "StartDate",
    ),
    "establishment": ("EstablishmentNumber", "StartDate", "EnterpriseNumber"),
    "denomination": ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
    "address": (
        "EntityNumber",
        "TypeOfAddress",
        "CountryNL",
        "CountryFR",
        "Zipcode",
        "MunicipalityNL",
        "MunicipalityFR",
        "StreetNL",
        "StreetFR",
        "HouseNumber",
        "Box",
        "ExtraAddressInfo",
        "DateStrikingOff",
    ),
    "contact": ("EntityNumber", "EntityContact", "ContactType", "Value"),
    "activity": ("EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"),
    "branch": ("Id", "StartDate", "EnterpriseNumber"),
}
DELETE_HEADERS = {
    "enterprise": ("EnterpriseNumber",),
    "establishment": ("EstablishmentNumber",),
    "denomination": ("EntityNumber",),
    "address": ("EntityNumber",),
    "contact": ("EntityNumber",),
    "activity": ("EntityNumber",),
    "branch": ("Id",),
}

JURIDICAL_FORMS = {
    "014": ("Naamloze vennootschap", "Société anonyme", "Aktiengesellschaft"),
    "610": ("Besloten vennootschap", "Société à responsabilité limitée", "Gesellschaft mbH"),
    "017": ("Vereniging zonder winstoogmerk", "Association sans but lucratif", "VoG"),
    "706": ("Coöperatieve vennootschap", "Société coopérative", "Genossenschaft"),
}


def kbo_date(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def meta_rows(
    *, extract_number: int, extract_type: str, snapshot: date, timestamp: datetime | None = None
) -> list[tuple[str, str]]:
    stamp = timestamp or datetime(snapshot.year, snapshot.month, snapshot.day, 7, 15, 0)
    return [
        ("SnapshotDate", kbo_date(snapshot)),
        ("ExtractTimestamp", stamp.strftime("%d-%m-%Y %H:%M:%S")),
        ("ExtractType", extract_type),
        ("ExtractNumber", str(extract_number)),
        ("Version", "1.0.0"),
    ]


def code_rows() -> Iterator[tuple[str, str, str, str]]:
    for code, (nl, fr, de) in JURIDICAL_FORMS.items():
        yield ("JuridicalForm", code, "NL", nl)
        yield ("JuridicalForm", code, "FR", fr)
        yield ("JuridicalForm", code, "DE", de)
    for code, nl, fr in (("AC", "Actief", "Actif"),):
        yield ("Status", code, "NL", nl)
        yield ("Status", code, "FR", fr)


def header_for(member: str) -> tuple[str, ...]:
    stem = member.removesuffix(".csv")
    if stem.endswith("_delete"):
        return DELETE_HEADERS[stem.removesuffix("_delete")]
    return HEADERS[stem.removesuffix("_insert")]


def write_extract(path: Path | str, files: Mapping[str, Iterable[Sequence[str]]]) -> Path:
    """Write a zip with one CSV member per entry of ``files`` (name -> rows, header added)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, rows in files.items():
            with archive.open(member, "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
                writer.writerow(header_for(member))
                writer.writerows(rows)
                text.flush()
                text.detach()
    return path


def _places() -> list[tuple[str, str, str]]:
    """(postcode, Dutch name, French name) of every Belgian postcode, from the Statbel table."""
    from wib.geography.resolver import known_postcodes, municipalities_for_postcode

    places = []
    for postcode in known_postcodes():
        info = municipalities_for_postcode(postcode)[0]
        places.append((postcode, info.names.get("nl", ""), info.names.get("fr", "")))
    return places


class SyntheticRegister:
    """A deterministic synthetic register in the proportions of the real one (2025).

    Per 1.93 M enterprises: 1.66 M establishment units, 3.29 M names, 2.82 M addresses
    (registered offices of 60% of enterprises, every unit's address), 0.69 M contacts.
    """

    def __init__(self, enterprises: int, *, seed: int = 5, activities_per_enterprise: int = 1):
        self.enterprises = enterprises
        self.seed = seed
        self.activities_per_enterprise = activities_per_enterprise
        self.places = _places()

    @staticmethod
    def enterprise_number(index: int) -> str:
        digits = make_enterprise_number(2_000_000 + index)
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"

    @staticmethod
    def has_unit(index: int) -> bool:
        return index % 7 != 0  # 6/7 = 0.857 units per enterprise

    @staticmethod
    def unit_number(index: int) -> str:
        digits = make_establishment_number(20_000_000 + index)
        return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"

    def place(self, index: int) -> tuple[str, str, str]:
        return self.places[(index * 7919 + self.seed) % len(self.places)]

    def enterprise_rows(self) -> Iterator[tuple[str, ...]]:
        forms = list(JURIDICAL_FORMS)
        for index in range(self.enterprises):
            start = date(1950 + index % 75, 1 + index % 12, 1 + index % 28)
            yield (
                self.enterprise_number(index),
                "AC",
                "000",
                "2" if index % 5 < 3 else "1",
                forms[index % len(forms)] if index % 5 < 3 else "",
                "",
                kbo_date(start),
            )

    def establishment_rows(self) -> Iterator[tuple[str, ...]]:
        for index in range(self.enterprises):
            if self.has_unit(index):
                yield (
                    self.unit_number(index),
                    kbo_date(date(1990 + index % 35, 1 + index % 12, 1 + index % 28)),
                    self.enterprise_number(index),
                )

    def denomination_rows(self) -> Iterator[tuple[str, ...]]:
        rng = random.Random(self.seed)
        for index in range(self.enterprises):
            number = self.enterprise_number(index)
            word = f"{rng.choice(('Bakkerij', 'Transport', 'Consult', 'Bouw', 'Atelier'))}"
            yield (number, "2", "001", f"{word} {index} BV")
            if index % 40 < 11:
                yield (number, "1", "002", f"B{index}")
            if self.has_unit(index) and index % 2 == 0:
                yield (self.unit_number(index), "2", "003", f"{word} {index} winkel")

    def address_rows(self) -> Iterator[tuple[str, ...]]:
        for index in range(self.enterprises):
            if index % 5 < 3:
                if index % 100 == 99:
                    yield (
                        self.enterprise_number(index),
                        "REGO",
                        "Frankrijk",
                        "France",
                        "75001",
                        "Parijs",
                        "Paris",
                        "Rue de Rivoli",
                        "Rue de Rivoli",
                        str(1 + index % 200),
                        "",
                        "",
                        "",
                    )
                else:
                    postcode, nl, fr = self.place(index)
                    yield (
                        self.enterprise_number(index),
                        "REGO",
                        "",
                        "",
                        postcode,
                        nl,
                        fr,
                        f"Kerkstraat {index % 97}",
                        f"Rue de l'Église {index % 97}",
                        str(1 + index % 300),
                        "",
                        "",
                        "",
                    )
            if self.has_unit(index):
                postcode, nl, fr = self.place(index + 13)
                yield (
                    self.unit_number(index),
                    "BAET",
                    "",
                    "",
                    postcode,
                    nl,
                    fr,
                    f"Stationsstraat {index % 89}",
                    f"Rue de la Gare {index % 89}",
                    str(1 + index % 150),
                    "B" if index % 11 == 0 else "",
                    "",
                    "",
                )

    def contact_rows(self) -> Iterator[tuple[str, ...]]:
        for index in range(self.enterprises):
            if index % 14 < 5:
                yield (self.enterprise_number(index), "ENT", "TEL", f"02 {index % 1000:03d} 00 00")

    def activity_rows(self) -> Iterator[tuple[str, ...]]:
        for index in range(self.enterprises):
            for _ in range(self.activities_per_enterprise):
                yield (self.enterprise_number(index), "001", "2008", "62010", "MAIN")

    def write_full(self, path: Path | str, *, extract_number: int, snapshot: date) -> Path:
        return write_extract(
            path,
            {
                "meta.csv": meta_rows(
                    extract_number=extract_number, extract_type="full", snapshot=snapshot
                ),
                "code.csv": code_rows(),
                "enterprise.csv": self.enterprise_rows(),
                "establishment.csv": self.establishment_rows(),
                "denomination.csv": self.denomination_rows(),
                "address.csv": self.address_rows(),
                "contact.csv": self.contact_rows(),
                "activity.csv": self.activity_rows(),
            },
        )
