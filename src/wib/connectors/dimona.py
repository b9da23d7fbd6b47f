"""The Dimona connector: a worker's declarations of employment, read from social security.

A JSON REST equivalent of the MAGDA service "GeefWerkrelaties" (employment relations of a
person, as the regions read them through the Crossroads Bank for Social Security).

Request: `POST {WIB_DIMONA_URL}/employmentRelations/search` with a bearer token (see
`wib.connectors.oauth`, scope "dimona") and the JSON body::

    {"ssin": "92030412345", "employer": {"enterpriseNumber": "0123456749"}}

`employer` is optional (then every employer of the worker). The INSZ travels in the body, not
the URL, so that it stays out of access logs.

Answer 200::

    {"ssin": "92030412345",
     "employmentRelations": [
        {"dimonaId": "500123456789",
         "employer": {"enterpriseNumber": "0123456749"},
         "startDate": "2021-03-01", "endDate": null,
         "jointCommission": "200", "workerType": "OTH"}]}

`endDate` null means open-ended; `workerType` is the Dimona code (OTH ordinary, STU student,
FLX flexi-job, …). 404 `{"code": "NOT_FOUND"}` when the source knows no relation; 5xx, time-outs
and refused connections become `SourceUnavailable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from .oauth import NotFound, SourceUnavailable, authorised_post

SOURCE = "dimona"
SCOPE = "dimona"

__all__ = ["DimonaPeriod", "DimonaResult", "NotFound", "SourceUnavailable", "employment_relations"]


@dataclass(frozen=True)
class DimonaPeriod:
    """One declared employment: who employs whom, from when to when, under which committee."""

    dimona_id: str
    employer_number: str
    start_date: date
    end_date: date | None
    joint_committee: str
    worker_type: str

    def is_open_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class DimonaResult:
    insz: str
    periods: tuple[DimonaPeriod, ...]


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def parse_relations(answer: Any, *, insz: str) -> DimonaResult:
    """The typed result of an answer; a malformed answer counts as an unavailable source."""
    try:
        periods = []
        for item in answer["employmentRelations"]:
            start = _date(item["startDate"])
            if start is None:
                raise ValueError("startDate missing")
            periods.append(
                DimonaPeriod(
                    dimona_id=str(item.get("dimonaId", "")),
                    employer_number=str(item["employer"]["enterpriseNumber"]),
                    start_date=start,
                    end_date=_date(item.get("endDate")),
                    joint_committee=str(item.get("jointCommission") or ""),
                    worker_type=str(item.get("workerType") or ""),
                )
            )
    except (KeyError, TypeError, ValueError) as error:
        raise SourceUnavailable(
            f"Dimona answered an unexpected shape: {error}", source=SOURCE
        ) from error
    periods.sort(key=lambda period: period.start_date, reverse=True)
    return DimonaResult(insz=insz, periods=tuple(periods))


def employment_relations(*, insz: str, employer_number: str = "") -> DimonaResult:
    """The worker's declared employments (with one employer, if given), newest first.

    Raises NotFound when Dimona knows none, SourceUnavailable when it cannot be asked.
    """
    payload: dict[str, Any] = {"ssin": insz}
    if employer_number:
        payload["employer"] = {"enterpriseNumber": employer_number}
    url = settings.WIB_DIMONA_URL.rstrip("/") + "/employmentRelations/search"
    answer = authorised_post(source=SOURCE, url=url, payload=payload, scope=SCOPE)
    result = parse_relations(answer, insz=insz)
    if not result.periods:
        raise NotFound("Dimona knows no employment of this worker.", source=SOURCE)
    return result
