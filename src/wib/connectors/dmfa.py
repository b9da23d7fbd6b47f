"""The DmfA connector: a worker's quarterly social-security declarations (working time, pay).

A JSON REST equivalent of the MAGDA service "GeefDmfaVoorWerknemer" (the multifunctional
quarterly declaration of a worker, read through the Crossroads Bank for Social Security).

Request: `POST {WIB_DMFA_URL}/declarations/search` with a bearer token (see
`wib.connectors.oauth`, scope "dmfa") and the JSON body::

    {"ssin": "92030412345", "employer": {"enterpriseNumber": "0123456749"},
     "fromQuarter": "2025Q1", "toQuarter": "2025Q4"}

Answer 200, one entry per declared quarter::

    {"ssin": "92030412345",
     "quarters": [
        {"quarter": "2025Q4", "employer": {"enterpriseNumber": "0123456749"},
         "workerCode": "495",
         "occupations": [
            {"sequence": 1, "startDate": "2021-03-01", "endDate": null,
             "jointCommission": "200",
             "workingTime": {"daysPerWeek": "5.00", "meanWorkerHours": "38.00",
                             "referenceHours": "38.00", "fraction": "1.0000"},
             "services": [{"code": "1", "days": "65.00", "hours": "494.00"}],
             "remunerations": [{"code": 1, "amount": "13500.00"},
                               {"code": 2, "amount": "4500.00"}]}]}]}

Working time as the DmfA declares it: days per week of the work schedule, the worker's mean
weekly hours (Q) and those of a full-time reference person (S), the fraction Q/S. Remuneration
codes are the DmfA's: 1 ordinary pay, 2 premiums not tied to days worked (e.g. a year-end
bonus), 5 double holiday pay, … Amounts are the quarter's totals in euro.
404 `{"code": "NOT_FOUND"}` when no quarter is declared; failures become `SourceUnavailable`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from .oauth import NotFound, SourceUnavailable, authorised_post

SOURCE = "dmfa"
SCOPE = "dmfa"
ORDINARY_PAY = 1

__all__ = [
    "DmfaQuarter",
    "DmfaResult",
    "NotFound",
    "Occupation",
    "Remuneration",
    "SourceUnavailable",
    "declarations",
    "last_quarters",
]


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @classmethod
    def parse(cls, value: str) -> Quarter:
        year, _, number = value.upper().partition("Q")
        quarter = cls(int(year), int(number))
        if not 1 <= quarter.number <= 4:
            raise ValueError(f"not a quarter: {value!r}")
        return quarter

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)


def last_quarters(on: date, count: int = 4) -> list[Quarter]:
    """The `count` quarters ended before `on`, oldest first (the running one is not declared)."""
    quarters = []
    quarter = Quarter.of(on)
    for _index in range(count):
        quarter = quarter.previous()
        quarters.append(quarter)
    return list(reversed(quarters))


@dataclass(frozen=True)
class Remuneration:
    code: int
    amount: Decimal


@dataclass(frozen=True)
class Occupation:
    sequence: int
    joint_committee: str
    days_per_week: Decimal
    worker_hours_per_week: Decimal  # Q
    reference_hours_per_week: Decimal  # S
    fraction: Decimal  # Q / S
    days: Decimal
    hours: Decimal
    remunerations: tuple[Remuneration, ...]

    def pay(self, codes: Iterable[int] | None = None) -> Decimal:
        """The quarter's pay under the given remuneration codes (None: every code)."""
        wanted = None if codes is None else set(codes)
        return sum(
            (item.amount for item in self.remunerations if wanted is None or item.code in wanted),
            Decimal("0"),
        )


@dataclass(frozen=True)
class DmfaQuarter:
    quarter: Quarter
    employer_number: str
    worker_code: str
    occupations: tuple[Occupation, ...]

    def pay(self, codes: Iterable[int] | None = None) -> Decimal:
        codes = None if codes is None else tuple(codes)
        return sum((occupation.pay(codes) for occupation in self.occupations), Decimal("0"))


@dataclass(frozen=True)
class DmfaResult:
    insz: str
    quarters: tuple[DmfaQuarter, ...]


def _decimal(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    return Decimal(str(value))


def parse_declarations(answer: Any, *, insz: str) -> DmfaResult:
    """The typed result of an answer; a malformed answer counts as an unavailable source."""
    try:
        quarters = []
        for entry in answer["quarters"]:
            occupations: list[Occupation] = []
            for item in entry.get("occupations") or []:
                working_time = item.get("workingTime") or {}
                services = item.get("services") or []
                occupations.append(
                    Occupation(
                        sequence=int(item.get("sequence", len(occupations) + 1)),
                        joint_committee=str(item.get("jointCommission") or ""),
                        days_per_week=_decimal(working_time.get("daysPerWeek")),
                        worker_hours_per_week=_decimal(working_time.get("meanWorkerHours")),
                        reference_hours_per_week=_decimal(working_time.get("referenceHours")),
                        fraction=_decimal(working_time.get("fraction")),
                        days=sum((_decimal(s.get("days")) for s in services), Decimal("0")),
                        hours=sum((_decimal(s.get("hours")) for s in services), Decimal("0")),
                        remunerations=tuple(
                            Remuneration(code=int(r["code"]), amount=_decimal(r["amount"]))
                            for r in item.get("remunerations") or []
                        ),
                    )
                )
            quarters.append(
                DmfaQuarter(
                    quarter=Quarter.parse(str(entry["quarter"])),
                    employer_number=str(entry["employer"]["enterpriseNumber"]),
                    worker_code=str(entry.get("workerCode") or ""),
                    occupations=tuple(occupations),
                )
            )
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise SourceUnavailable(
            f"DmfA answered an unexpected shape: {error}", source=SOURCE
        ) from error
    quarters.sort(key=lambda quarter: quarter.quarter)
    return DmfaResult(insz=insz, quarters=tuple(quarters))


def declarations(*, insz: str, employer_number: str = "", on: date) -> DmfaResult:
    """The worker's declared quarters among the last four ended before `on`, oldest first.

    Raises NotFound when none is declared, SourceUnavailable when DmfA cannot be asked.
    """
    quarters = last_quarters(on)
    payload: dict[str, Any] = {
        "ssin": insz,
        "fromQuarter": str(quarters[0]),
        "toQuarter": str(quarters[-1]),
    }
    if employer_number:
        payload["employer"] = {"enterpriseNumber": employer_number}
    url = settings.WIB_DMFA_URL.rstrip("/") + "/declarations/search"
    answer = authorised_post(source=SOURCE, url=url, payload=payload, scope=SCOPE)
    result = parse_declarations(answer, insz=insz)
    if not result.quarters:
        raise NotFound("DmfA holds no declaration for this worker.", source=SOURCE)
    return result
