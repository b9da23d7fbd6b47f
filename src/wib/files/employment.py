"""What social security knows about a file's employment ("only once"): fetch, keep, compare.

Dimona (declarations of employment) and DmfA (quarterly declarations) are asked over
`wib.connectors.dimona` and `wib.connectors.dmfa`. Either may be down: the applicant then goes
on by hand, so a failing source is a status with a plain message, never an error page.
A fetch for a file is kept on the file (`sections["social_security"]`, outside the procedure's
sections, so it is neither a form nor copied into a duplicate or a renewal) and audited: reading
a person's social-security data is an act someone must be able to account for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wib.accounts import permissions as account_permissions
from wib.audit.services import record_event
from wib.connectors import dimona, dmfa
from wib.connectors.dimona import DimonaPeriod
from wib.connectors.dmfa import DmfaQuarter, Occupation, Quarter, Remuneration
from wib.connectors.oauth import NotFound, SourceUnavailable
from wib.core import clock
from wib.files.models import File
from wib.files.permissions import is_applicant, may_view_as_official
from wib.files.workflow import lock_file

logger = logging.getLogger(__name__)

SNAPSHOT_KEY = "social_security"
OK = "ok"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"
CENT = Decimal("0.01")

# Dimona worker types a user may meet; other codes are shown as they come.
WORKER_TYPES = {
    "OTH": gettext_lazy("ordinary worker"),
    "STU": gettext_lazy("student"),
    "FLX": gettext_lazy("flexi-job worker"),
    "EXT": gettext_lazy("occasional worker"),
    "IVT": gettext_lazy("industrial apprentice"),
}


def _source_message(source: str, status: str) -> str:
    if status == UNAVAILABLE:
        if source == dimona.SOURCE:
            return _(
                "The Dimona service did not answer; you can go on by entering the data "
                "yourself and adding the documents."
            )
        return _(
            "The DmfA service did not answer; you can go on by entering the data yourself "
            "and adding the documents."
        )
    if status == NOT_FOUND:
        if source == dimona.SOURCE:
            return _("Dimona holds no declaration of employment of this worker with this employer.")
        return _(
            "DmfA holds no quarterly declaration of this worker with this employer for the "
            "last four quarters."
        )
    return ""


@dataclass(frozen=True)
class SourceStatus:
    source: str  # "dimona" or "dmfa"
    status: str  # OK, NOT_FOUND or UNAVAILABLE

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def message(self) -> str:
        """In plain words, in the reader's language (empty when the source answered)."""
        return _source_message(self.source, self.status)


@dataclass(frozen=True)
class EmploymentData:
    """One fetch from Dimona and DmfA for a worker with an employer."""

    employer_number: str
    insz: str
    fetched_on: date
    dimona: SourceStatus
    dmfa: SourceStatus
    periods: tuple[DimonaPeriod, ...] = ()
    quarters: tuple[DmfaQuarter, ...] = ()
    fetched_at: datetime | None = field(default=None, compare=False)

    @property
    def messages(self) -> list[str]:
        return [status.message for status in (self.dimona, self.dmfa) if status.message]

    def current_period(self) -> DimonaPeriod | None:
        """The open declaration with the employer (else the latest one)."""
        periods = [
            period
            for period in self.periods
            if not self.employer_number or period.employer_number == self.employer_number
        ]
        open_periods = [period for period in periods if period.is_open_on(self.fetched_on)]
        candidates = open_periods or periods
        return max(candidates, key=lambda period: period.start_date) if candidates else None

    def employer_quarters(self) -> tuple[DmfaQuarter, ...]:
        return tuple(
            quarter
            for quarter in self.quarters
            if not self.employer_number or quarter.employer_number == self.employer_number
        )

    def period_rows(self) -> list[dict[str, Any]]:
        """The Dimona periods as a screen shows them, newest first, worker types in words."""
        return [
            {
                "employer_number": period.employer_number,
                "start_date": period.start_date,
                "end_date": period.end_date,
                "joint_committee": period.joint_committee,
                "worker_type": period.worker_type,
                "worker_type_label": str(WORKER_TYPES.get(period.worker_type, period.worker_type)),
            }
            for period in self.periods
        ]

    def quarter_rows(self) -> list[dict[str, Any]]:
        """One row per quarter and occupation: working time, ordinary pay and other pay."""
        rows = []
        for quarter in self.quarters:
            for occupation in quarter.occupations:
                ordinary = occupation.pay((dmfa.ORDINARY_PAY,))
                rows.append(
                    {
                        "quarter": str(quarter.quarter),
                        "year": quarter.quarter.year,
                        "number": quarter.quarter.number,
                        "joint_committee": occupation.joint_committee,
                        "days_per_week": occupation.days_per_week,
                        "worker_hours_per_week": occupation.worker_hours_per_week,
                        "reference_hours_per_week": occupation.reference_hours_per_week,
                        "fraction": occupation.fraction,
                        "days": occupation.days,
                        "hours": occupation.hours,
                        "ordinary_pay": ordinary,
                        "other_pay": occupation.pay() - ordinary,
                    }
                )
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "employer_number": self.employer_number,
            "insz": self.insz,
            "fetched_on": self.fetched_on.isoformat(),
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else "",
            "dimona": {
                "status": self.dimona.status,
                "periods": [
                    {
                        "dimona_id": period.dimona_id,
                        "employer_number": period.employer_number,
                        "start_date": period.start_date.isoformat(),
                        "end_date": period.end_date.isoformat() if period.end_date else "",
                        "joint_committee": period.joint_committee,
                        "worker_type": period.worker_type,
                    }
                    for period in self.periods
                ],
            },
            "dmfa": {
                "status": self.dmfa.status,
                "quarters": [
                    {
                        "quarter": str(quarter.quarter),
                        "employer_number": quarter.employer_number,
                        "worker_code": quarter.worker_code,
                        "occupations": [
                            {
                                "sequence": item.sequence,
                                "joint_committee": item.joint_committee,
                                "days_per_week": str(item.days_per_week),
                                "worker_hours_per_week": str(item.worker_hours_per_week),
                                "reference_hours_per_week": str(item.reference_hours_per_week),
                                "fraction": str(item.fraction),
                                "days": str(item.days),
                                "hours": str(item.hours),
                                "remunerations": [
                                    {"code": pay.code, "amount": str(pay.amount)}
                                    for pay in item.remunerations
                                ],
                            }
                            for item in quarter.occupations
                        ],
                    }
                    for quarter in self.quarters
                ],
            },
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> EmploymentData:
        dimona_part, dmfa_part = value.get("dimona") or {}, value.get("dmfa") or {}
        return cls(
            employer_number=value.get("employer_number", ""),
            insz=value.get("insz", ""),
            fetched_on=date.fromisoformat(value["fetched_on"]),
            fetched_at=datetime.fromisoformat(value["fetched_at"])
            if value.get("fetched_at")
            else None,
            dimona=SourceStatus(dimona.SOURCE, dimona_part.get("status", UNAVAILABLE)),
            dmfa=SourceStatus(dmfa.SOURCE, dmfa_part.get("status", UNAVAILABLE)),
            periods=tuple(
                DimonaPeriod(
                    dimona_id=item["dimona_id"],
                    employer_number=item["employer_number"],
                    start_date=date.fromisoformat(item["start_date"]),
                    end_date=date.fromisoformat(item["end_date"]) if item["end_date"] else None,
                    joint_committee=item["joint_committee"],
                    worker_type=item["worker_type"],
                )
                for item in dimona_part.get("periods") or []
            ),
            quarters=tuple(
                DmfaQuarter(
                    quarter=Quarter.parse(item["quarter"]),
                    employer_number=item["employer_number"],
                    worker_code=item["worker_code"],
                    occupations=tuple(
                        Occupation(
                            sequence=occupation["sequence"],
                            joint_committee=occupation["joint_committee"],
                            days_per_week=Decimal(occupation["days_per_week"]),
                            worker_hours_per_week=Decimal(occupation["worker_hours_per_week"]),
                            reference_hours_per_week=Decimal(
                                occupation["reference_hours_per_week"]
                            ),
                            fraction=Decimal(occupation["fraction"]),
                            days=Decimal(occupation["days"]),
                            hours=Decimal(occupation["hours"]),
                            remunerations=tuple(
                                Remuneration(code=int(pay["code"]), amount=Decimal(pay["amount"]))
                                for pay in occupation["remunerations"]
                            ),
                        )
                        for occupation in item["occupations"]
                    ),
                )
                for item in dmfa_part.get("quarters") or []
            ),
        )


# --- fetching ----------------------------------------------------------------------------------


def _may_fetch(actor: Any, *, employer_number: str, insz: str) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    # Officials read through a file they handle (refresh_employment_data), never freely.
    if employer_number and (
        account_permissions.employers_acted_for(actor).filter(number=employer_number).exists()
    ):
        return True
    # A worker applying for the permit of indefinite duration reads his or her own data.
    return bool(insz) and getattr(actor, "national_register_number", "") == insz


def _ask_sources(*, employer_number: str, insz: str, on: date) -> EmploymentData:
    """Ask both sources; a failure of one is recorded as its status, never raised."""
    periods: tuple[DimonaPeriod, ...] = ()
    quarters: tuple[DmfaQuarter, ...] = ()
    statuses: dict[str, str] = {}
    try:
        periods = dimona.employment_relations(insz=insz, employer_number=employer_number).periods
        statuses[dimona.SOURCE] = OK
    except NotFound:
        statuses[dimona.SOURCE] = NOT_FOUND
    except SourceUnavailable as error:
        logger.warning("Dimona unavailable: %s", error)
        statuses[dimona.SOURCE] = UNAVAILABLE
    try:
        quarters = dmfa.declarations(insz=insz, employer_number=employer_number, on=on).quarters
        statuses[dmfa.SOURCE] = OK
    except NotFound:
        statuses[dmfa.SOURCE] = NOT_FOUND
    except SourceUnavailable as error:
        logger.warning("DmfA unavailable: %s", error)
        statuses[dmfa.SOURCE] = UNAVAILABLE
    return EmploymentData(
        employer_number=employer_number,
        insz=insz,
        fetched_on=on,
        fetched_at=clock.now(),
        dimona=SourceStatus(dimona.SOURCE, statuses[dimona.SOURCE]),
        dmfa=SourceStatus(dmfa.SOURCE, statuses[dmfa.SOURCE]),
        periods=periods,
        quarters=quarters,
    )


def _audit_fetch(*, actor: Any, data: EmploymentData, file: File | None = None) -> None:
    record_event(
        actor=actor,
        action="social_security.fetch",
        target_type="file" if file is not None else "worker",
        target_id=str(file.public_id) if file is not None else data.insz,
        on_behalf_of=data.employer_number,
        data={
            "insz": data.insz,
            "dimona": data.dimona.status,
            "dmfa": data.dmfa.status,
        },
    )


def fetch_employment_data(
    *, employer_number: str, insz: str, actor: Any, on: date | None = None
) -> EmploymentData:
    """Dimona periods and the last four DmfA quarters of a worker with an employer.

    Only someone acting for the employer, or the worker himself, may ask. The
    network calls happen outside any transaction; the audit record is written after them.
    """
    if not insz:
        raise ValidationError(
            _("Enter the worker's national register or BIS number first."), code="insz_missing"
        )
    if not _may_fetch(actor, employer_number=employer_number, insz=insz):
        raise PermissionDenied("Not allowed to read this worker's social-security data.")
    data = _ask_sources(employer_number=employer_number, insz=insz, on=on or clock.today())
    with transaction.atomic():
        _audit_fetch(actor=actor, data=data)
    return data


def refresh_employment_data(*, file: File, actor: Any, on: date | None = None) -> EmploymentData:
    """Fetch for the file's employer and worker, and keep the result on the file.

    The file's version is not raised: the applicant's own data did not change, so an open form
    must not be refused as out of date.
    """
    if not (is_applicant(actor, file) or may_view_as_official(actor, file)):
        raise PermissionDenied("Not allowed to read this file.")
    if not file.worker_insz:
        raise ValidationError(
            _("Enter the worker's national register or BIS number first."), code="insz_missing"
        )
    employer_number = file.employer.number if file.employer is not None else ""
    data = _ask_sources(
        employer_number=employer_number, insz=file.worker_insz, on=on or clock.today()
    )
    with transaction.atomic():
        locked = lock_file(file)
        locked.sections = {
            **locked.sections,
            SNAPSHOT_KEY: {"data": data.to_json(), "fetched_by": actor.pk},
        }
        locked.save(update_fields=["sections", "updated_at"])
        _audit_fetch(actor=actor, data=data, file=locked)
    file.refresh_from_db()
    return data


def stored_employment_data(file: File) -> EmploymentData | None:
    """The last fetch kept on the file, if any (for a file the caller already may see)."""
    value = (file.sections.get(SNAPSHOT_KEY) or {}).get("data")
    if not value:
        return None
    try:
        return EmploymentData.from_json(value)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        logger.exception("Unreadable employment data on file %s", file.pk)
        return None


def employment_data_for_file(*, file: File, actor: Any) -> EmploymentData | None:
    """The last fetch kept on the file, for its applicants and its officials."""
    if not (is_applicant(actor, file) or may_view_as_official(actor, file)):
        raise PermissionDenied("Not allowed to read this file.")
    return stored_employment_data(file)


# --- prefill -----------------------------------------------------------------------------------


def _yearly_pay(quarters: tuple[DmfaQuarter, ...], codes: tuple[int, ...] | None) -> Decimal | None:
    if not quarters:
        return None
    total = sum((quarter.pay(codes) for quarter in quarters), Decimal("0"))
    # Fewer than four declared quarters (a recent start) are scaled up to a year.
    return (total * 4 / len(quarters)).quantize(CENT, rounding=ROUND_HALF_UP)


def prefill_from_employment_data(data: EmploymentData) -> dict[str, str]:
    """Initial values for the employment section from what the sources said; only known keys.

    The gross salary is an estimate per year from ordinary pay (DmfA code 1): premiums vary
    and the applicant confirms or corrects the figure.
    """
    values: dict[str, str] = {}
    period = data.current_period()
    if period is not None:
        values["start_date"] = period.start_date.isoformat()
        if period.joint_committee:
            values["joint_committee"] = period.joint_committee
    quarters = data.employer_quarters()
    if quarters:
        latest = quarters[-1]
        if latest.occupations:
            values["weekly_hours"] = str(latest.occupations[0].worker_hours_per_week)
            if "joint_committee" not in values and latest.occupations[0].joint_committee:
                values["joint_committee"] = latest.occupations[0].joint_committee
        yearly = _yearly_pay(quarters, (dmfa.ORDINARY_PAY,))
        if yearly:
            values["gross_salary"] = str(yearly)
            values["salary_period"] = "yearly"
    return values


# --- salary against the threshold --------------------------------------------------------------

MET = "met"
NOT_MET = "not_met"
NO_THRESHOLD = "no_threshold"
NO_SALARY = "no_salary"


@dataclass(frozen=True)
class SalaryAssessment:
    """The salary (declared, and paid according to DmfA) against the region's threshold."""

    outcome: str  # MET, NOT_MET, NO_THRESHOLD or NO_SALARY
    authority_code: str
    category: str
    on: date
    unit: str = ""  # the threshold's: "yearly" or "monthly"
    threshold: Decimal | None = None
    threshold_valid_from: date | None = None
    threshold_note: str = ""
    declared: Decimal | None = None  # in the threshold's unit
    declared_meets: bool | None = None
    paid: Decimal | None = None  # in the threshold's unit
    paid_meets: bool | None = None
    quarters_counted: int = 0
    ordinary_pay_only: bool = False

    @property
    def met(self) -> bool | None:
        return {MET: True, NOT_MET: False}.get(self.outcome)

    @property
    def unit_label(self) -> str:
        """ "per year" or "per month", in the reader's language."""
        from wib.procedures.models import ReferenceValue

        return str(ReferenceValue.Unit(self.unit).label) if self.unit else ""

    @property
    def message(self) -> str:
        """The outcome in plain words, in the reader's language (computed when shown)."""
        if self.outcome == NO_THRESHOLD:
            return _("No salary threshold is known for this category and authority on this date.")
        if self.outcome == NO_SALARY:
            return _(
                "There is no salary to compare yet: enter the gross salary or fetch the data "
                "from social security."
            )
        amount = {
            "amount": number_format(self.threshold or Decimal("0"), 2, force_grouping=True),
            "unit": self.unit_label,
        }
        if self.outcome == MET:
            return _("The salary reaches the threshold of €%(amount)s %(unit)s.") % amount
        return _("The salary does not reach the threshold of €%(amount)s %(unit)s.") % amount


def _declared_in_unit(file: File, unit: str) -> Decimal | None:
    data = file.section_data("employment")
    try:
        amount = Decimal(str(data.get("gross_salary") or ""))
    except InvalidOperation:
        return None
    period = data.get("salary_period") or "yearly"
    # A month counts one twelfth of a year, as in the services' own threshold check.
    if unit == "monthly" and period == "yearly":
        amount = amount / 12
    elif unit == "yearly" and period == "monthly":
        amount = amount * 12
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _paid_in_unit(
    quarters: tuple[DmfaQuarter, ...], unit: str, codes: tuple[int, ...] | None
) -> Decimal | None:
    if not quarters:
        return None
    total = sum((quarter.pay(codes) for quarter in quarters), Decimal("0"))
    if unit == "monthly":
        return (total / (3 * len(quarters))).quantize(CENT, rounding=ROUND_HALF_UP)
    return _yearly_pay(quarters, codes)


def salary_assessment(*, file: File, on: date) -> SalaryAssessment:
    """Compare the salary with the threshold for the file's authority and category on `on`.

    For the authorities in WIB_SALARY_CODE1_ONLY_AUTHORITIES (Brussels) only ordinary pay,
    DmfA remuneration code 1, counts; elsewhere every code does. The result is "met" when every
    figure we have (declared, paid) reaches the threshold.
    """
    from wib.procedures.reference import reference_value

    authority_code = file.authority.code if file.authority is not None else ""
    category = file.category or str(file.section_data("employment").get("category") or "")
    threshold = (
        reference_value(
            kind="salary_threshold", on=on, authority_code=authority_code, category=category
        )
        if authority_code and category
        else None
    )
    if threshold is None or not threshold.category:
        return SalaryAssessment(
            outcome=NO_THRESHOLD,
            authority_code=authority_code,
            category=category,
            on=on,
        )
    unit = threshold.unit
    ordinary_only = authority_code in settings.WIB_SALARY_CODE1_ONLY_AUTHORITIES
    codes = (dmfa.ORDINARY_PAY,) if ordinary_only else None
    data = stored_employment_data(file)
    quarters = data.employer_quarters() if data is not None else ()
    declared = _declared_in_unit(file, unit)
    paid = _paid_in_unit(quarters, unit, codes)
    declared_meets = None if declared is None else declared >= threshold.amount
    paid_meets = None if paid is None else paid >= threshold.amount
    verdicts = [verdict for verdict in (declared_meets, paid_meets) if verdict is not None]
    if not verdicts:
        outcome = NO_SALARY
    elif all(verdicts):
        outcome = MET
    else:
        outcome = NOT_MET
    return SalaryAssessment(
        outcome=outcome,
        authority_code=authority_code,
        category=category,
        on=on,
        unit=unit,
        threshold=threshold.amount,
        threshold_valid_from=threshold.valid_from,
        threshold_note=threshold.note,
        declared=declared,
        declared_meets=declared_meets,
        paid=paid,
        paid_meets=paid_meets,
        quarters_counted=len(quarters),
        ordinary_pay_only=ordinary_only,
    )
