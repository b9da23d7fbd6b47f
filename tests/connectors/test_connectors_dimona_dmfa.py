"""Dimona and DmfA over real HTTP against the simulators; failures become statuses, not errors."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from factories import FileFactory, UserFactory, employer_user
from socialsecurity_helpers import EMPLOYER, unknown_worker, worker_where

from wib.audit.models import AuditRecord
from wib.connectors import dimona, dmfa
from wib.connectors.oauth import NotFound, SourceUnavailable
from wib.files.employment import (
    NOT_FOUND,
    OK,
    UNAVAILABLE,
    employment_data_for_file,
    fetch_employment_data,
    prefill_from_employment_data,
    refresh_employment_data,
    stored_employment_data,
)
from wib.registry.models import Enterprise
from wib.simulators.socialsecurity import DIMONA_DOWN, DMFA_DOWN
from wib.simulators.switches import set_down

pytestmark = pytest.mark.django_db(transaction=True)

ON = date(2026, 5, 15)  # the last four ended quarters: 2025Q2 to 2026Q1


def _employer_user():
    enterprise, _created = Enterprise.objects.get_or_create(
        number=EMPLOYER, defaults={"status": "AC", "listed_in_register": True}
    )
    return employer_user(enterprise), enterprise


def test_dimona_gives_the_declared_employment_of_a_known_worker(social_security):
    insz, employment = worker_where(lambda employment: employment.earlier_student_job)
    result = dimona.employment_relations(insz=insz, employer_number=EMPLOYER)
    current, earlier = result.periods
    assert current.employer_number == EMPLOYER
    assert current.start_date == employment.start_date
    assert current.end_date is None
    assert current.joint_committee == employment.joint_committee
    assert current.worker_type == "OTH"
    assert earlier.worker_type == "STU"
    assert earlier.end_date is not None and earlier.end_date < current.start_date


def test_dmfa_gives_the_last_four_quarters_with_working_time_and_pay_by_code(social_security):
    insz, employment = worker_where(lambda employment: employment.fraction < 1)
    result = dmfa.declarations(insz=insz, employer_number=EMPLOYER, on=ON)
    assert [str(quarter.quarter) for quarter in result.quarters] == [
        "2025Q2",
        "2025Q3",
        "2025Q4",
        "2026Q1",
    ]
    occupation = result.quarters[0].occupations[0]
    assert occupation.fraction == Decimal("0.5000")
    assert occupation.worker_hours_per_week == Decimal("19.00")
    assert occupation.reference_hours_per_week == Decimal("38.00")
    assert occupation.pay([dmfa.ORDINARY_PAY]) == employment.monthly_pay * 3
    fourth = result.quarters[2]
    assert fourth.pay() - fourth.pay([dmfa.ORDINARY_PAY]) == employment.monthly_pay  # code 2


def test_an_unknown_worker_is_not_found_in_either_source(social_security):
    insz = unknown_worker()
    with pytest.raises(NotFound):
        dimona.employment_relations(insz=insz, employer_number=EMPLOYER)
    with pytest.raises(NotFound):
        dmfa.declarations(insz=insz, employer_number=EMPLOYER, on=ON)


def test_a_source_that_is_down_or_unreachable_is_unavailable(social_security, settings):
    insz, _employment = worker_where(lambda employment: True)
    set_down(DIMONA_DOWN, down=True)
    with pytest.raises(SourceUnavailable) as down:
        dimona.employment_relations(insz=insz, employer_number=EMPLOYER)
    assert down.value.http_status == 503
    settings.WIB_DMFA_URL = "http://127.0.0.1:9/simulators/dmfa"  # nothing listens on port 9
    with pytest.raises(SourceUnavailable):
        dmfa.declarations(insz=insz, employer_number=EMPLOYER, on=ON)


def test_fetching_goes_on_with_a_plain_message_when_dimona_is_down(social_security):
    actor, _enterprise = _employer_user()
    insz, _employment = worker_where(lambda employment: True)
    set_down(DIMONA_DOWN, down=True)
    data = fetch_employment_data(employer_number=EMPLOYER, insz=insz, actor=actor, on=ON)
    assert data.dimona.status == UNAVAILABLE
    assert data.periods == ()
    assert data.dmfa.status == OK
    assert len(data.quarters) == 4
    with translation.override("en"):
        assert data.dimona.message == (
            "The Dimona service did not answer; you can go on by entering the data yourself "
            "and adding the documents."
        )
    with translation.override("nl"):
        assert "Dimona" in data.dimona.message
        assert "did not answer" not in data.dimona.message
    assert data.dmfa.message == ""
    assert AuditRecord.objects.filter(action="social_security.fetch", target_id=insz).exists()


def test_fetching_reports_both_sources_down_and_an_unknown_worker(social_security):
    actor, _enterprise = _employer_user()
    set_down(DMFA_DOWN, down=True)
    known, _employment = worker_where(lambda employment: True)
    data = fetch_employment_data(employer_number=EMPLOYER, insz=known, actor=actor, on=ON)
    assert (data.dimona.status, data.dmfa.status) == (OK, UNAVAILABLE)
    set_down(DMFA_DOWN, down=False)
    unknown = fetch_employment_data(
        employer_number=EMPLOYER, insz=unknown_worker(), actor=actor, on=ON
    )
    assert (unknown.dimona.status, unknown.dmfa.status) == (NOT_FOUND, NOT_FOUND)
    assert len(unknown.messages) == 2


def test_only_someone_acting_for_the_employer_may_fetch(social_security):
    insz, _employment = worker_where(lambda employment: True)
    with pytest.raises(PermissionDenied):
        fetch_employment_data(employer_number=EMPLOYER, insz=insz, actor=UserFactory(), on=ON)
    assert not AuditRecord.objects.filter(action="social_security.fetch").exists()


def test_a_fetch_for_a_file_is_kept_on_it_and_prefills_the_employment_section(social_security):
    actor, enterprise = _employer_user()
    insz, employment = worker_where(lambda employment: employment.fraction == 1)
    file = FileFactory(employer=enterprise, created_by=actor, worker_insz=insz)
    version = file.version
    data = refresh_employment_data(file=file, actor=actor, on=ON)
    file.refresh_from_db()
    assert file.version == version  # the applicant's own data did not change
    assert stored_employment_data(file) == data
    assert employment_data_for_file(file=file, actor=actor) == data
    assert AuditRecord.objects.filter(
        action="social_security.fetch", target_id=str(file.public_id)
    ).exists()

    prefill = prefill_from_employment_data(data)
    assert prefill["start_date"] == employment.start_date.isoformat()
    assert prefill["joint_committee"] == employment.joint_committee
    assert prefill["weekly_hours"] == "38.00"
    # Ordinary pay only, per year: twelve months.
    assert Decimal(prefill["gross_salary"]) == employment.monthly_pay * 12
    assert prefill["salary_period"] == "yearly"


def test_nothing_is_prefilled_from_sources_that_had_nothing(social_security):
    actor, _enterprise = _employer_user()
    data = fetch_employment_data(
        employer_number=EMPLOYER, insz=unknown_worker(), actor=actor, on=ON
    )
    assert prefill_from_employment_data(data) == {}
