"""The salary against the region's threshold: declared in the file and paid according to DmfA."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from factories import FileFactory, employer_user
from socialsecurity_helpers import EMPLOYER, worker_where

from wib.connectors.dmfa import DmfaQuarter, Occupation, Quarter, Remuneration
from wib.files.employment import (
    MET,
    NO_SALARY,
    NO_THRESHOLD,
    NOT_FOUND,
    NOT_MET,
    OK,
    SNAPSHOT_KEY,
    EmploymentData,
    SourceStatus,
    refresh_employment_data,
    salary_assessment,
)
from wib.geography.models import Authority
from wib.registry.models import Enterprise

BRUSSELS_HIGHLY_QUALIFIED = Decimal("3703.44")  # per month, since 1 October 2024 (seeded)


def _file(authority: str, category: str, salary: str = "", period: str = "yearly", **extra):
    employment = {"category": category, "gross_salary": salary, "salary_period": period}
    return FileFactory(
        authority=Authority.objects.get(code=authority),
        category=category,
        sections={"employment": {"data": employment, "complete": True}},
        **extra,
    )


def _with_dmfa(file, quarterly_pay: list[dict[int, str]]):
    """Keep a DmfA answer on the file as a fetch would (one quarter per mapping code → amount)."""
    quarters = []
    quarter = Quarter(2025, 1)
    for pay in quarterly_pay:
        occupation = Occupation(
            sequence=1,
            joint_committee="200",
            days_per_week=Decimal("5"),
            worker_hours_per_week=Decimal("38"),
            reference_hours_per_week=Decimal("38"),
            fraction=Decimal("1"),
            days=Decimal("65"),
            hours=Decimal("494"),
            remunerations=tuple(
                Remuneration(code, Decimal(amount)) for code, amount in pay.items()
            ),
        )
        quarters.append(DmfaQuarter(quarter, file.employer.number, "495", (occupation,)))
        quarter = Quarter(quarter.year, quarter.number + 1)
    data = EmploymentData(
        employer_number=file.employer.number,
        insz="90051700123",
        fetched_on=date(2026, 1, 15),
        dimona=SourceStatus("dimona", NOT_FOUND),
        dmfa=SourceStatus("dmfa", OK),
        quarters=tuple(quarters),
    )
    file.sections = {**file.sections, SNAPSHOT_KEY: {"data": data.to_json()}}
    file.save()
    return file


@pytest.mark.django_db
def test_flanders_highly_qualified_declared_salary_met_and_not_met():
    on = date(2025, 6, 1)
    met = salary_assessment(file=_file("flanders", "highly-qualified", "50000"), on=on)
    assert (met.outcome, met.threshold, met.unit) == (MET, Decimal("48912.00"), "yearly")
    assert met.declared == Decimal("50000.00") and met.declared_meets is True
    assert met.paid is None and met.met is True

    monthly = salary_assessment(
        file=_file("flanders", "highly-qualified", "4000", "monthly"), on=on
    )
    assert monthly.declared == Decimal("48000.00")
    assert (monthly.outcome, monthly.met) == (NOT_MET, False)


@pytest.mark.django_db
def test_no_threshold_for_a_category_without_one_or_a_date_outside_every_period():
    other = salary_assessment(file=_file("flanders", "other", "20000"), on=date(2025, 6, 1))
    assert other.outcome == NO_THRESHOLD and other.met is None and other.threshold is None
    # The seeded Flemish amounts are those of 2025 only.
    later = salary_assessment(
        file=_file("flanders", "highly-qualified", "60000"), on=date(2026, 6, 1)
    )
    assert later.outcome == NO_THRESHOLD


@pytest.mark.django_db
def test_a_threshold_without_any_salary_to_compare():
    result = salary_assessment(file=_file("wallonia", "executive"), on=date(2026, 3, 1))
    assert result.outcome == NO_SALARY
    assert result.threshold == Decimal("88790.00")


@pytest.mark.django_db
def test_wallonia_counts_every_dmfa_code_per_year_and_both_figures_must_reach_it():
    on = date(2026, 3, 1)
    # Declared 7,500 a month: 90,000 a year, above the executive threshold of 88,790.
    file = _with_dmfa(
        _file("wallonia", "executive", "7500", "monthly"),
        [{1: "21000"}, {1: "21000"}, {1: "21000"}, {1: "21000", 2: "7000"}],
    )
    result = salary_assessment(file=file, on=on)
    assert result.paid == Decimal("91000.00")  # code 2 counts in Wallonia
    assert (result.declared_meets, result.paid_meets, result.outcome) == (True, True, MET)
    assert result.quarters_counted == 4 and not result.ordinary_pay_only

    low = _with_dmfa(
        _file("wallonia", "executive", "7500", "monthly"),
        [{1: "20000"}, {1: "20000"}],  # two quarters, scaled to a year: 80,000
    )
    result = salary_assessment(file=low, on=on)
    assert result.paid == Decimal("80000.00")
    assert (result.declared_meets, result.paid_meets, result.outcome) == (True, False, NOT_MET)


@pytest.mark.django_db(transaction=True)
def test_brussels_counts_only_ordinary_pay_per_month_from_dmfa_over_http(social_security, settings):
    # A worker whose ordinary pay is just below the threshold, and above it with the premium.
    insz, employment = worker_where(
        lambda item: (
            item.fraction == 1
            and BRUSSELS_HIGHLY_QUALIFIED * 12 / 13 < item.monthly_pay < BRUSSELS_HIGHLY_QUALIFIED
        )
    )
    enterprise, _created = Enterprise.objects.get_or_create(
        number=EMPLOYER, defaults={"status": "AC", "listed_in_register": True}
    )
    actor = employer_user(enterprise)
    file = _file(
        "brussels",
        "highly-qualified",
        "4000",
        "monthly",
        employer=enterprise,
        created_by=actor,
        worker_insz=insz,
    )
    refresh_employment_data(file=file, actor=actor, on=date(2026, 5, 15))
    file.refresh_from_db()

    result = salary_assessment(file=file, on=date(2026, 5, 15))
    assert (result.unit, result.threshold, result.ordinary_pay_only) == (
        "monthly",
        BRUSSELS_HIGHLY_QUALIFIED,
        True,
    )
    assert result.paid == employment.monthly_pay
    assert (result.declared_meets, result.paid_meets, result.outcome) == (True, False, NOT_MET)

    # Were premiums counted (code 2 in the fourth quarter), the same pay would reach it.
    settings.WIB_SALARY_CODE1_ONLY_AUTHORITIES = []
    with_premiums = salary_assessment(file=file, on=date(2026, 5, 15))
    assert with_premiums.paid > BRUSSELS_HIGHLY_QUALIFIED
    assert with_premiums.outcome == MET


@pytest.mark.django_db
def test_the_partials_render_the_assessment_and_the_data_in_the_reader_language():
    file = _with_dmfa(
        _file("brussels", "highly-qualified", "3000", "monthly"),
        [{1: "9000"}, {1: "9000"}, {1: "9000"}, {1: "9000", 2: "3000"}],
    )
    result = salary_assessment(file=file, on=date(2026, 1, 15))
    assert result.outcome == NOT_MET
    from wib.files.employment import stored_employment_data

    data = stored_employment_data(file)
    with translation.override("en"):
        html = render_to_string(
            "files/partials/salary_assessment.html", {"salary_assessment": result}
        )
        assert "does not reach the threshold" in html
        assert "code 1" in html
        table = render_to_string("files/partials/employment_data.html", {"employment_data": data})
        assert "Quarterly declarations (DmfA)" in table
        assert table.count("<tr>") == 5  # header and four quarters; no Dimona table
        assert "Dimona holds no declaration of employment" in table
    with translation.override("fr"):
        html = render_to_string(
            "files/partials/salary_assessment.html",
            {"salary_assessment": salary_assessment(file=file, on=date(2026, 1, 15))},
        )
        assert "does not reach the threshold" not in html
