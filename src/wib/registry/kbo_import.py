"""Applying a KBO/BCE open-data extract (full or update zip) to the enterprise register.

The CSV members are streamed out of the zip and loaded in batches (COPY on PostgreSQL,
executemany on SQLite) so memory stays flat whatever the size of the extract. Enterprises and
establishment units go through temporary staging tables and are merged by their number, so the
files can come in any order; names and addresses are keyed by the plain entity number. The whole
extract is applied in one transaction: either all of it or nothing.

Not imported (read past, never parsed): contact.csv, activity.csv and branch.csv; the single
window needs neither telephone numbers nor NACE codes, and activity.csv alone is 36 M rows.
"""

# The SQL below is assembled from this module's own table and column names only; every value
# from the extract travels as a parameter or through COPY, never inside the SQL text.
# ruff: noqa: S608

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wib.registry.models import ImportedExtract

BATCH_SIZE = 10_000
BRUSSELS = ZoneInfo("Europe/Brussels")
SKIPPED_FILES = ("contact", "activity", "branch")

ProgressCallback = Callable[[str, int, bool], None]


class ExtractRefused(Exception):
    """The extract cannot be applied: wrong order, wrong shape; nothing was changed."""


@dataclass(frozen=True)
class ExtractMeta:
    extract_number: int
    extract_type: str  # "full" or "update"
    snapshot_date: date | None
    extract_timestamp: datetime | None
    version: str


@dataclass
class ImportResult:
    meta: ExtractMeta
    applied: bool
    row_counts: dict[str, int | str] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True)
class _Source:
    """How one CSV file maps onto a table: CSV header names in table column order."""

    columns: tuple[tuple[str, str], ...]  # (csv header, table column)
    numbers: frozenset[str] = frozenset()  # columns holding dotted KBO numbers
    dates: frozenset[str] = frozenset()  # columns holding dd-mm-yyyy dates
    lower: frozenset[str] = frozenset()


ENTERPRISE = _Source(
    columns=(
        ("EnterpriseNumber", "number"),
        ("Status", "status"),
        ("JuridicalSituation", "juridical_situation"),
        ("TypeOfEnterprise", "type_of_enterprise"),
        ("JuridicalForm", "juridical_form"),
        ("JuridicalFormCAC", "juridical_form_cac"),
        ("StartDate", "start_date"),
    ),
    numbers=frozenset({"EnterpriseNumber"}),
    dates=frozenset({"StartDate"}),
)
ESTABLISHMENT = _Source(
    columns=(
        ("EstablishmentNumber", "number"),
        ("StartDate", "start_date"),
        ("EnterpriseNumber", "enterprise_number"),
    ),
    numbers=frozenset({"EstablishmentNumber", "EnterpriseNumber"}),
    dates=frozenset({"StartDate"}),
)
DENOMINATION = _Source(
    columns=(
        ("EntityNumber", "entity_number"),
        ("Language", "language"),
        ("TypeOfDenomination", "type_of_denomination"),
        ("Denomination", "denomination"),
    ),
    numbers=frozenset({"EntityNumber"}),
)
ADDRESS = _Source(
    columns=(
        ("EntityNumber", "entity_number"),
        ("TypeOfAddress", "type_of_address"),
        ("CountryNL", "country_nl"),
        ("CountryFR", "country_fr"),
        ("Zipcode", "zipcode"),
        ("MunicipalityNL", "municipality_nl"),
        ("MunicipalityFR", "municipality_fr"),
        ("StreetNL", "street_nl"),
        ("StreetFR", "street_fr"),
        ("HouseNumber", "house_number"),
        ("Box", "box"),
        ("ExtraAddressInfo", "extra_address_info"),
        ("DateStrikingOff", "date_striking_off"),
    ),
    numbers=frozenset({"EntityNumber"}),
    dates=frozenset({"DateStrikingOff"}),
)
CODE = _Source(
    columns=(
        ("Category", "category"),
        ("Code", "code"),
        ("Language", "language"),
        ("Description", "description"),
    ),
    lower=frozenset({"Language"}),
)
# The one-column key files of an update extract.
DELETE_KEYS = {
    "enterprise": _Source((("EnterpriseNumber", "number"),), frozenset({"EnterpriseNumber"})),
    "establishment": _Source(
        (("EstablishmentNumber", "number"),), frozenset({"EstablishmentNumber"})
    ),
    "denomination": _Source((("EntityNumber", "number"),), frozenset({"EntityNumber"})),
    "address": _Source((("EntityNumber", "number"),), frozenset({"EntityNumber"})),
}

_FILE_NAME = re.compile(r"^(?P<entity>[a-z]+?)(?:_(?P<part>insert|delete))?\.csv$", re.IGNORECASE)


def _iso_date(value: str) -> str | None:
    # KBO dates are dd-mm-yyyy; an empty cell means "no date".
    if len(value) != 10:
        return None
    return f"{value[6:10]}-{value[3:5]}-{value[0:2]}"


def _parse_date(value: str) -> date | None:
    iso = _iso_date(value.strip())
    return date.fromisoformat(iso) if iso else None


def _parse_timestamp(value: str) -> datetime | None:
    value = value.strip()
    for fmt in ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S.%f", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=BRUSSELS)
        except ValueError:
            continue
    return None


class KboExtract:
    """A KBO open-data zip, read member by member without unpacking it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (OSError, zipfile.BadZipFile) as error:
            raise ExtractRefused(
                _("%(path)s is not a readable zip file: %(error)s")
                % {"path": self.path, "error": error}
            ) from error
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            if not info.is_dir():
                self.members[Path(info.filename).name.lower()] = info
        self.meta = self._read_meta()

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.members

    def _read_meta(self) -> ExtractMeta:
        if not self.has("meta.csv"):
            raise ExtractRefused(_("The extract has no meta.csv; is it a KBO open-data zip?"))
        values = {}
        for row in self.rows("meta.csv"):
            if len(row) >= 2:
                values[row[0].strip()] = row[1].strip()
        extract_type = values.get("ExtractType", "").lower()
        if extract_type not in {"full", "update"}:
            raise ExtractRefused(
                _("meta.csv gives an unknown extract type: %(type)s")
                % {"type": values.get("ExtractType", "")}
            )
        try:
            number = int(values.get("ExtractNumber", ""))
        except ValueError as error:
            raise ExtractRefused(_("meta.csv gives no valid extract number.")) from error
        return ExtractMeta(
            extract_number=number,
            extract_type=extract_type,
            snapshot_date=_parse_date(values.get("SnapshotDate", "")),
            extract_timestamp=_parse_timestamp(values.get("ExtractTimestamp", "")),
            version=values.get("Version", ""),
        )

    def header_and_rows(self, name: str) -> tuple[list[str], Iterator[list[str]]]:
        raw = self.zip.open(self.members[name])
        # utf-8-sig: tolerate a byte-order mark; newline="" as the csv module requires.
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=",", quotechar='"')
        header = next(reader, [])
        return [column.strip() for column in header], reader

    def rows(self, name: str) -> Iterator[list[str]]:
        _header, reader = self.header_and_rows(name)
        return reader


class _Loader:
    """Bulk-loads rows into a table on the current connection, in batches."""

    def __init__(self, table: str, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = list(columns)

    def load(self, rows: Iterator[tuple]) -> None:
        raw = connection.connection
        column_list = ", ".join(self.columns)
        if connection.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {self.table} ({column_list}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in self.columns)
            sql = f"INSERT INTO {self.table} ({column_list}) VALUES ({marks})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    raw.executemany(sql, batch)
                    batch.clear()
            if batch:
                raw.executemany(sql, batch)


class KboImporter:
    """Applies one extract; call :meth:`apply` once."""

    def __init__(
        self,
        extract: KboExtract,
        *,
        progress: ProgressCallback | None = None,
        progress_every: int = 100_000,
        now: datetime | None = None,
    ) -> None:
        self.extract = extract
        self.progress = progress
        self.progress_every = progress_every
        self.now = now
        self.row_counts: dict[str, int | str] = {}
        self.postgres = connection.vendor == "postgresql"

    # -- reading ---------------------------------------------------------------------------

    def _converted(self, name: str, source: _Source) -> Iterator[tuple]:
        header, reader = self.extract.header_and_rows(name)
        positions = []
        for csv_name, _column in source.columns:
            if csv_name not in header:
                raise ExtractRefused(
                    _("%(file)s has no column %(column)s.") % {"file": name, "column": csv_name}
                )
            index = header.index(csv_name)
            kind = (
                "number"
                if csv_name in source.numbers
                else "date"
                if csv_name in source.dates
                else "lower"
                if csv_name in source.lower
                else "text"
            )
            positions.append((index, kind))
        width = len(header)
        count = 0
        every = self.progress_every
        for row in reader:
            if not row:
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            values: list[str | None] = []
            for index, kind in positions:
                value: str | None = row[index]
                if kind == "number":
                    value = row[index].replace(".", "").strip()
                elif kind == "date":
                    value = _iso_date(row[index])
                elif kind == "lower":
                    value = row[index].lower()
                values.append(value)
            count += 1
            if self.progress and every and count % every == 0:
                self.progress(name, count, False)
            yield tuple(values)
        self.row_counts[name] = count
        if self.progress:
            self.progress(name, count, True)

    def _load(self, name: str, source: _Source, table: str) -> None:
        _Loader(table, [column for _csv, column in source.columns]).load(
            self._converted(name, source)
        )

    # -- SQL helpers -----------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _create_staging(self) -> None:
        temp = "TEMPORARY"
        suffix = " ON COMMIT DROP" if self.postgres else ""
        self._drop_staging()
        self._execute(
            f"CREATE {temp} TABLE stg_enterprise (number varchar(10), status varchar(2), "
            "juridical_situation varchar(3), type_of_enterprise varchar(1), "
            "juridical_form varchar(3), juridical_form_cac varchar(3), start_date date)" + suffix
        )
        self._execute(
            f"CREATE {temp} TABLE stg_establishment (number varchar(10), start_date date, "
            "enterprise_number varchar(10))" + suffix
        )
        for entity in DELETE_KEYS:
            self._execute(f"CREATE {temp} TABLE stg_delete_{entity} (number varchar(10))" + suffix)
        self._execute(
            f"CREATE {temp} TABLE stg_place (zipcode varchar(20), municipality_nl text, "
            "municipality_fr text, refnis varchar(5), authority_code varchar(40))" + suffix
        )
        self._execute(f"CREATE {temp} TABLE stg_touched (number varchar(10))" + suffix)
        if not self.postgres:
            # SQLite has no hash joins: the merges below look staged numbers up by index.
            for table, column in (
                ("stg_enterprise", "number"),
                ("stg_establishment", "number"),
                ("stg_establishment", "enterprise_number"),
                ("stg_touched", "number"),
                ("stg_place", "zipcode, municipality_nl, municipality_fr"),
                *((f"stg_delete_{entity}", "number") for entity in DELETE_KEYS),
            ):
                index = f"{table}_{column.split(',')[0]}_idx"
                self._execute(f"CREATE INDEX temp.{index} ON {table} ({column})")

    def _drop_staging(self) -> None:
        # Dropped explicitly as well: ON COMMIT DROP never fires when the import runs inside an
        # outer transaction (tests, a caller's atomic block), and SQLite has no such clause.
        schema = "pg_temp" if self.postgres else "temp"
        for table in (
            "stg_enterprise",
            "stg_establishment",
            "stg_place",
            "stg_touched",
            *(f"stg_delete_{entity}" for entity in DELETE_KEYS),
        ):
            self._execute(f"DROP TABLE IF EXISTS {schema}.{table}")

    # -- the order of extracts -------------------------------------------------------------

    def _check_order(self) -> str:
        """Return "" to apply, or a message saying why there is nothing to do."""
        meta = self.extract.meta
        last = ImportedExtract.objects.select_for_update().order_by("-applied_at", "-id").first()
        if meta.extract_type == "full":
            return ""
        if last is None:
            raise ExtractRefused(
                _(
                    "Update extract %(number)s refused: no extract was applied yet; "
                    "apply a full extract first."
                )
                % {"number": meta.extract_number}
            )
        if meta.extract_number == last.extract_number:
            # The same update again, or the update already contained in the full extract N.
            return _("Extract %(number)s is already applied; nothing changed.") % {
                "number": meta.extract_number
            }
        if meta.extract_number != last.extract_number + 1:
            raise ExtractRefused(
                _(
                    "Update extract %(number)s refused: the last extract applied is "
                    "%(last)s, so the next update must be %(next)s. Nothing was changed."
                )
                % {
                    "number": meta.extract_number,
                    "last": last.extract_number,
                    "next": last.extract_number + 1,
                }
            )
        return ""

    # -- applying --------------------------------------------------------------------------

    def apply(self) -> ImportResult:
        meta = self.extract.meta
        self._check_shape()
        with transaction.atomic():
            skip_message = self._check_order()
            if skip_message:
                return ImportResult(meta=meta, applied=False, message=skip_message)
            self._create_staging()
            self._load_codes()
            if meta.extract_type == "full":
                self._apply_full()
            else:
                self._apply_update()
            for skipped in SKIPPED_FILES:
                for name in (f"{skipped}.csv", f"{skipped}_insert.csv", f"{skipped}_delete.csv"):
                    if self.extract.has(name):
                        self.row_counts[name] = "skipped"
            # Fresh statistics before the lookups start: a planner without them has joined a
            # unit to its names by scanning all 3 M names (1 s instead of a few milliseconds).
            self._analyze(
                "registry_enterprise",
                "registry_establishmentunit",
                "registry_denomination",
                "registry_address",
                "registry_code",
            )
            ImportedExtract.objects.create(
                extract_number=meta.extract_number,
                extract_type=meta.extract_type,
                snapshot_date=meta.snapshot_date,
                extract_timestamp=meta.extract_timestamp,
                version=meta.version,
                file_name=self.extract.path.name,
                applied_at=self.now or timezone.now(),
                row_counts=self.row_counts,
            )
            self._drop_staging()
        return ImportResult(meta=meta, applied=True, row_counts=dict(self.row_counts))

    def _check_shape(self) -> None:
        meta = self.extract.meta
        if meta.extract_type == "full":
            missing = [
                name
                for name in (
                    "enterprise.csv",
                    "establishment.csv",
                    "denomination.csv",
                    "address.csv",
                )
                if not self.extract.has(name)
            ]
            if missing:
                raise ExtractRefused(
                    _("The full extract lacks %(files)s.") % {"files": ", ".join(missing)}
                )
        for name in self.extract.members:
            match = _FILE_NAME.match(name)
            if not match:
                continue
            part = match.group("part")
            if meta.extract_type == "full" and part:
                raise ExtractRefused(
                    _("meta.csv says full extract, but the zip holds %(file)s.") % {"file": name}
                )

    def _load_codes(self) -> None:
        # code.csv is always complete, in a full extract as in an update: replace the table.
        if not self.extract.has("code.csv"):
            return
        self._execute("DELETE FROM registry_code")
        self._load("code.csv", CODE, "registry_code")

    def _apply_full(self) -> None:
        self._load("enterprise.csv", ENTERPRISE, "stg_enterprise")
        self._load("establishment.csv", ESTABLISHMENT, "stg_establishment")
        # Names and addresses of every entity in the extract or listed until now are replaced;
        # those of enterprises entered by hand and not (yet) in the register are kept.
        for table in ("registry_denomination", "registry_address"):
            self._execute(
                f"DELETE FROM {table} WHERE entity_number IN ("
                "SELECT number FROM stg_enterprise UNION ALL "
                "SELECT number FROM stg_establishment UNION ALL "
                "SELECT number FROM registry_enterprise WHERE listed_in_register UNION ALL "
                "SELECT number FROM registry_establishmentunit WHERE listed_in_register)"
            )
        self._load("denomination.csv", DENOMINATION, "registry_denomination")
        self._load("address.csv", ADDRESS, "registry_address")
        self._analyze("stg_enterprise", "stg_establishment", "registry_address")
        self._resolve_places(scope_sql="")
        self._merge_enterprises()
        self._analyze("registry_enterprise")
        self._execute(
            "UPDATE registry_enterprise SET listed_in_register = false WHERE listed_in_register "
            "AND NOT EXISTS (SELECT 1 FROM stg_enterprise s WHERE s.number = "
            "registry_enterprise.number)"
        )
        self._merge_establishments(every_unit=True)
        self._execute(
            "UPDATE registry_establishmentunit SET listed_in_register = false "
            "WHERE listed_in_register AND NOT EXISTS (SELECT 1 FROM stg_establishment s "
            "WHERE s.number = registry_establishmentunit.number)"
        )

    def _apply_update(self) -> None:
        for entity, source in DELETE_KEYS.items():
            name = f"{entity}_delete.csv"
            if self.extract.has(name):
                self._load(name, source, f"stg_delete_{entity}")
        if self.extract.has("enterprise_insert.csv"):
            self._load("enterprise_insert.csv", ENTERPRISE, "stg_enterprise")
        if self.extract.has("establishment_insert.csv"):
            self._load("establishment_insert.csv", ESTABLISHMENT, "stg_establishment")
        # All rows of the listed entities go, then the insert rows come in.
        self._execute(
            "DELETE FROM registry_denomination WHERE entity_number IN "
            "(SELECT number FROM stg_delete_denomination)"
        )
        self._execute(
            "DELETE FROM registry_address WHERE entity_number IN "
            "(SELECT number FROM stg_delete_address)"
        )
        if self.extract.has("denomination_insert.csv"):
            self._load("denomination_insert.csv", DENOMINATION, "registry_denomination")
        if self.extract.has("address_insert.csv"):
            # Remember whose address came in, to re-derive their establishment's place below.
            self._execute("INSERT INTO stg_touched (number) SELECT number FROM stg_delete_address")
            before = self._max_id("registry_address")
            self._load("address_insert.csv", ADDRESS, "registry_address")
            self._execute(
                "INSERT INTO stg_touched (number) SELECT entity_number FROM registry_address "
                "WHERE id > %s",
                [before],
            )
        else:
            self._execute("INSERT INTO stg_touched (number) SELECT number FROM stg_delete_address")
        self._execute(
            "UPDATE registry_enterprise SET listed_in_register = false WHERE number IN "
            "(SELECT number FROM stg_delete_enterprise)"
        )
        self._execute(
            "UPDATE registry_establishmentunit SET listed_in_register = false WHERE number IN "
            "(SELECT number FROM stg_delete_establishment)"
        )
        self._analyze("stg_enterprise", "stg_establishment", "stg_touched")
        self._resolve_places(
            scope_sql="AND (a.entity_number IN (SELECT number FROM stg_establishment) "
            "OR a.entity_number IN (SELECT number FROM stg_touched))"
        )
        self._merge_enterprises()
        self._merge_establishments(every_unit=False)
        self._refresh_touched_establishments()

    def _analyze(self, *tables: str) -> None:
        # PostgreSQL never analyses temporary tables by itself, and a freshly loaded table has
        # no statistics yet: without them the planner picks nested loops over millions of rows.
        if self.postgres:
            for table in tables:
                self._execute(f"ANALYZE {table}")

    def _max_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return int(cursor.fetchone()[0])

    def _resolve_places(self, *, scope_sql: str) -> None:
        """Work out municipality and competent authority once per distinct place, not per row."""
        from wib.geography.resolver import (
            authority_for_postcode,
            municipalities_for_postcode,
        )

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT a.zipcode, a.municipality_nl, a.municipality_fr "
                "FROM registry_address a WHERE a.type_of_address = 'BAET' " + scope_sql
            )
            places = cursor.fetchall()
        authorities: dict[str, str] = {}
        municipalities: dict[str, list] = {}
        rows = []
        for zipcode, municipality_nl, municipality_fr in places:
            postcode = (zipcode or "").strip()
            if postcode not in authorities:
                authorities[postcode] = _authority_or_blank(authority_for_postcode, postcode)
                municipalities[postcode] = _municipalities_or_empty(
                    municipalities_for_postcode, postcode
                )
            refnis = _pick_refnis(municipalities[postcode], municipality_nl, municipality_fr)
            rows.append((zipcode, municipality_nl, municipality_fr, refnis, authorities[postcode]))
        _Loader(
            "stg_place",
            ["zipcode", "municipality_nl", "municipality_fr", "refnis", "authority_code"],
        ).load(iter(rows))

    def _merge_enterprises(self) -> None:
        columns = (
            "status, juridical_situation, type_of_enterprise, juridical_form, "
            "juridical_form_cac, start_date"
        )
        distinct = "DISTINCT ON (s.number) " if self.postgres else ""
        order = " ORDER BY s.number" if self.postgres else ""
        self._execute(
            f"INSERT INTO registry_enterprise (number, {columns}, listed_in_register) "
            f"SELECT {distinct}s.number, COALESCE(s.status, ''), "
            "COALESCE(s.juridical_situation, ''), COALESCE(s.type_of_enterprise, ''), "
            "COALESCE(s.juridical_form, ''), COALESCE(s.juridical_form_cac, ''), s.start_date, "
            f"true FROM stg_enterprise s WHERE true{order} "
            "ON CONFLICT (number) DO UPDATE SET "
            + ", ".join(f"{column} = excluded.{column}" for column in columns.split(", "))
            + ", listed_in_register = true"
        )

    def _merge_establishments(self, *, every_unit: bool) -> None:
        # An establishment whose enterprise is not in the register (yet) gets a placeholder
        # enterprise, not listed, so that the foreign key always holds.
        self._execute(
            "INSERT INTO registry_enterprise (number, status, juridical_situation, "
            "type_of_enterprise, juridical_form, juridical_form_cac, start_date, "
            "listed_in_register) SELECT DISTINCT s.enterprise_number, '', '', '', '', '', "
            "CAST(NULL AS date), "
            "false FROM stg_establishment s WHERE NOT EXISTS (SELECT 1 FROM registry_enterprise e "
            "WHERE e.number = s.enterprise_number)"
        )
        place_columns = (
            "postcode, municipality_refnis, municipality_nl, municipality_fr, street_nl, "
            "street_fr, house_number, box, country_nl, authority_code"
        )
        merged = (
            "enterprise_id, enterprise_number, start_date, " + place_columns + ", "
            "listed_in_register"
        )
        distinct = "DISTINCT ON (s.number) " if self.postgres else ""
        order = " ORDER BY s.number" if self.postgres else ""
        self._execute(
            f"INSERT INTO registry_establishmentunit (number, {merged}) "
            f"SELECT {distinct}s.number, e.id, s.enterprise_number, s.start_date, "
            + self._place_values()
            + ", true FROM stg_establishment s "
            "JOIN registry_enterprise e ON e.number = s.enterprise_number "
            + self._place_joins("s.number", every_unit=every_unit and self.postgres)
            + f" WHERE true{order} ON CONFLICT (number) DO UPDATE SET "
            + ", ".join(f"{column} = excluded.{column}" for column in merged.split(", "))
        )

    @staticmethod
    def _place_values() -> str:
        return (
            "COALESCE(a.zipcode, ''), "
            # A foreign address can carry a four-digit postcode that also exists in Belgium.
            "CASE WHEN COALESCE(a.country_nl, '') = '' THEN COALESCE(p.refnis, '') ELSE '' END, "
            "COALESCE(a.municipality_nl, ''), "
            "COALESCE(a.municipality_fr, ''), COALESCE(a.street_nl, ''), "
            "COALESCE(a.street_fr, ''), COALESCE(a.house_number, ''), COALESCE(a.box, ''), "
            "COALESCE(a.country_nl, ''), "
            "CASE WHEN COALESCE(a.country_nl, '') = '' THEN COALESCE(p.authority_code, '') "
            "ELSE '' END"
        )

    @staticmethod
    def _place_joins(number: str, *, every_unit: bool = False) -> str:
        # The first BAET address of the unit (there is one; the join keeps it so if not). For
        # every unit at once, PostgreSQL sorts the addresses once (DISTINCT ON) and merge-joins;
        # a per-unit subquery costs 1.7 M index probes there. SQLite has no DISTINCT ON.
        if every_unit:
            first_address = (
                "LEFT JOIN (SELECT DISTINCT ON (entity_number) * FROM registry_address "
                "WHERE type_of_address = 'BAET' ORDER BY entity_number, id) a "
                f"ON a.entity_number = {number} "
            )
        else:
            first_address = (
                "LEFT JOIN registry_address a ON a.id = (SELECT MIN(a2.id) FROM registry_address "
                f"a2 WHERE a2.entity_number = {number} AND a2.type_of_address = 'BAET') "
            )
        return (
            first_address + "LEFT JOIN stg_place p ON p.zipcode = a.zipcode "
            "AND p.municipality_nl = a.municipality_nl AND p.municipality_fr = a.municipality_fr"
        )

    def _refresh_touched_establishments(self) -> None:
        """Re-derive the place of units whose address changed without the unit itself changing."""
        place_columns = [
            "postcode",
            "municipality_refnis",
            "municipality_nl",
            "municipality_fr",
            "street_nl",
            "street_fr",
            "house_number",
            "box",
            "country_nl",
            "authority_code",
        ]
        self._execute(
            "UPDATE registry_establishmentunit SET ("
            + ", ".join(place_columns)
            + ") = (SELECT "
            + self._place_values()
            + " FROM (SELECT 1) AS one "
            + self._place_joins("registry_establishmentunit.number")
            + ") WHERE number IN (SELECT number FROM stg_touched)"
        )


def _authority_or_blank(authority_for_postcode: Callable[[str], str], postcode: str) -> str:
    from django.core.exceptions import ValidationError

    if not postcode.isdigit() or len(postcode) != 4:
        return ""
    try:
        return authority_for_postcode(postcode)
    except ValidationError:
        # A foreign or unknown postcode: no Belgian authority can be derived from it.
        return ""


def _municipalities_or_empty(municipalities_for_postcode: Callable, postcode: str) -> list:
    from django.core.exceptions import ValidationError

    if not postcode.isdigit() or len(postcode) != 4:
        return []
    try:
        return list(municipalities_for_postcode(postcode))
    except ValidationError:
        return []


def _pick_refnis(candidates: list, municipality_nl: str, municipality_fr: str) -> str:
    """The REFNIS code of the municipality: by postcode, or by name where a postcode has two."""
    if len(candidates) == 1:
        return candidates[0].refnis
    wanted = {
        (municipality_nl or "").strip().casefold(),
        (municipality_fr or "").strip().casefold(),
    }
    wanted.discard("")
    for candidate in candidates:
        names = {str(name).casefold() for name in candidate.names.values()}
        if names & wanted:
            return candidate.refnis
    return ""


def import_extract(
    path: Path | str,
    *,
    progress: ProgressCallback | None = None,
    progress_every: int = 100_000,
    now: datetime | None = None,
) -> ImportResult:
    """Apply the KBO open-data zip at ``path``; raises :class:`ExtractRefused` if it cannot be."""
    extract = KboExtract(path)
    try:
        started = time.monotonic()
        result = KboImporter(
            extract, progress=progress, progress_every=progress_every, now=now
        ).apply()
        if result.applied:
            result.message = _("Extract %(number)s (%(type)s) applied in %(seconds).1f s.") % {
                "number": result.meta.extract_number,
                "type": result.meta.extract_type,
                "seconds": time.monotonic() - started,
            }
        return result
    finally:
        extract.close()
