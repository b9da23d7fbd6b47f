"""Who sees which file: applicants, mandataries, officials of each authority; deadlines."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from factories import (
    EnterpriseFactory,
    FileFactory,
    MandateFactory,
    employer_user,
    mandatary_user,
    official,
    section_payloads,
)

from wib.files import services
from wib.files.deadlines import is_overdue, next_deadline
from wib.files.errors import FileNotFound
from wib.files.models import File
from wib.files.selectors import (
    FileFilters,
    file_for_applicant,
    file_for_official,
    files_for_applicant,
    files_in_queue,
    timeline,
)
from wib.files.workflow import transition
from wib.geography.models import Authority

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


def test_applicants_see_their_enterprises_files_across_authorities_and_no_others():
    employer = EnterpriseFactory()
    user = employer_user(employer)
    flemish = FileFactory(employer=employer, state="submitted")
    walloon = FileFactory(
        employer=employer, state="admissible", authority=Authority.objects.get(code="wallonia")
    )
    FileFactory(state="submitted")  # another employer's

    assert set(files_for_applicant(actor=user)) == {flemish, walloon}
    assert file_for_applicant(actor=user, public_id=walloon.public_id) == walloon


def test_a_foreign_or_missing_file_looks_the_same():
    user = employer_user()
    foreign = FileFactory(state="submitted")
    for public_id in (foreign.public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(FileNotFound):
            file_for_applicant(actor=user, public_id=public_id)


def test_a_mandatary_sees_files_only_while_the_mandate_runs():
    employer = EnterpriseFactory()
    user, mandatary = mandatary_user(employer)
    file = FileFactory(employer=employer, mandatary=mandatary, state="submitted")
    assert list(files_for_applicant(actor=user)) == [file]

    mandate = mandatary.mandates_received.get()
    mandate.revoked_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    mandate.save()
    assert list(files_for_applicant(actor=user)) == []
    with pytest.raises(FileNotFound):
        file_for_applicant(actor=user, public_id=file.public_id)


def test_a_mandatary_of_another_employer_cannot_act():
    employer, other = EnterpriseFactory(), EnterpriseFactory()
    user, _mandatary = mandatary_user(other)
    file = FileFactory(employer=employer, state="draft")
    with pytest.raises(PermissionDenied):
        services.withdraw_file(file=file, actor=user)


def test_a_region_queues_its_own_submitted_files_only():
    flemish_official = official("flanders")
    mine = FileFactory(state="submitted")
    FileFactory(state="draft")  # drafts never reach a queue
    FileFactory(state="submitted", authority=Authority.objects.get(code="brussels"))
    assert list(files_in_queue(actor=flemish_official, authority_code="flanders")) == [mine]
    with pytest.raises(PermissionDenied):
        files_in_queue(actor=flemish_official, authority_code="brussels")


def test_the_immigration_office_sees_a_file_only_once_forwarded():
    office = official("immigration-office")
    regional = official("flanders")
    file = FileFactory(state="admissible")
    assert list(files_in_queue(actor=office, authority_code="immigration-office")) == []
    with pytest.raises(FileNotFound):
        file_for_official(actor=office, public_id=file.public_id)
    with pytest.raises(PermissionDenied):
        transition(file=file, action="approve_work", actor=office)

    transition(file=file, action="approve_work", actor=regional)
    transition(file=file, action="forward_to_immigration_office", actor=None)

    assert list(files_in_queue(actor=office, authority_code="immigration-office")) == [file]
    assert file_for_official(actor=office, public_id=file.public_id) == file
    # The region keeps read access to the file it decided on, but may no longer act.
    assert file_for_official(actor=regional, public_id=file.public_id) == file
    with pytest.raises(PermissionDenied):
        transition(file=file, action="grant_residence", actor=regional)


def test_an_official_of_another_region_cannot_open_the_file():
    file = FileFactory(state="submitted")
    with pytest.raises(FileNotFound):
        file_for_official(actor=official("wallonia"), public_id=file.public_id)


def test_queue_search_by_reference_name_and_insz_and_filters():
    flemish_official = official("flanders")
    asha = FileFactory(state="submitted", worker_name="Asha Rao", worker_insz="92030412345")
    ravi = FileFactory(state="admissible", worker_name="Ravi Iyer", category="researcher")
    queue = lambda **kw: list(  # noqa: E731
        files_in_queue(actor=flemish_official, authority_code="flanders", filters=FileFilters(**kw))
    )
    assert queue(search="rao") == [asha]
    assert queue(search=ravi.reference) == [ravi]
    assert queue(state="admissible") == [ravi]
    assert queue(category="researcher") == [ravi]


@time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_overdue_files_are_found_with_frozen_time():
    flemish_official = official("flanders")
    late = FileFactory(state="admissible", decision_due_on=datetime.date(2026, 5, 31))
    on_time = FileFactory(state="admissible", decision_due_on=datetime.date(2026, 6, 1))
    waiting = FileFactory(
        state="information_requested",
        information_due_on=datetime.date(2026, 5, 1),
        decision_due_on=datetime.date(2026, 9, 1),
    )
    today = datetime.date(2026, 6, 1)
    assert is_overdue(late, today) and not is_overdue(on_time, today)
    assert next_deadline(waiting) == datetime.date(2026, 5, 1)
    found = files_in_queue(
        actor=flemish_official, authority_code="flanders", filters=FileFilters(overdue=True)
    )
    assert set(found) == {late, waiting}


def test_deadlines_follow_the_settings(settings):
    settings.WIB_DECISION_DEADLINE_DAYS = 120
    settings.WIB_INFORMATION_DEADLINE_DAYS = 10
    settings.WIB_DECISION_DEADLINE_DAYS_BY_PROCEDURE = {"short-stay-work-authorisation": 30}
    flemish_official = official("flanders")
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        permit = FileFactory(state="draft")
        transition(file=permit, action="submit", actor=employer_user(permit.employer))
        short = FileFactory(state="draft", procedure_code="short-stay-work-authorisation")
        transition(file=short, action="submit", actor=employer_user(short.employer))
        services.request_information(file=permit, actor=flemish_official, message="Diploma?")
    assert permit.decision_due_on == datetime.date(2026, 2, 1) + datetime.timedelta(days=120)
    assert short.decision_due_on == datetime.date(2026, 3, 3)
    permit.refresh_from_db()
    assert permit.information_due_on == datetime.date(2026, 2, 11)


def test_timeline_hides_internal_notes_and_official_names_from_applicants():
    file = FileFactory(state="submitted")
    regional = official("flanders")
    services.declare_admissible(file=file, actor=regional, note="Checked with the employer")
    for_applicant = timeline(file=file, audience="applicant")
    for_official = timeline(file=file, audience="official")
    assert [entry.label for entry in for_applicant] == ["Declared admissible"]
    assert for_applicant[0].internal_note == "" and for_applicant[0].actor_name == ""
    assert for_official[0].internal_note == "Checked with the employer"
    assert for_official[0].actor_name


def test_employer_section_resolves_the_authority_and_explains_why():
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = services.start_file(procedure_code="single-permit", employer=employer, actor=user)
    assert file.authority is None
    file = services.save_section(
        file=file,
        section="employer",
        data={"postcode": "1180"},
        actor=user,
        expected_version=file.version,
    )
    assert file.authority.code == "brussels"
    assert file.authority_explanation
    file = services.save_section(
        file=file,
        section="employer",
        data={"postcode": "1630"},
        actor=user,
        expected_version=file.version,
    )
    assert file.authority.code == "flanders"


@pytest.mark.parametrize(
    ("section", "data", "field", "code"),
    [
        ("employer", {"postcode": "12"}, "postcode", "postcode_format"),
        ("employer", {"postcode": "9999"}, "postcode", "unknown_postcode"),
        (
            "worker",
            {**section_payloads("single-permit")["worker"], "nationality": "I1"},
            "nationality",
            "nationality_format",
        ),
        (
            "worker",
            {**section_payloads("single-permit")["worker"], "insz": "12345678901"},
            "insz",
            None,
        ),
        ("stay", {"in_belgium": "yes"}, "residence_postcode", "residence_postcode_required"),
    ],
)
def test_invalid_section_data_is_refused_with_a_field_error(section, data, field, code):
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = services.start_file(procedure_code="single-permit", employer=employer, actor=user)
    version = file.version
    with pytest.raises(ValidationError) as raised:
        services.save_section(
            file=file, section=section, data=data, actor=user, expected_version=version
        )
    errors = raised.value.error_dict
    assert field in errors
    if code:
        assert errors[field][0].code == code
    assert File.objects.get(pk=file.pk).version == version


def test_short_stay_longer_than_90_days_is_refused():
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = services.start_file(
        procedure_code="short-stay-work-authorisation", employer=employer, actor=user
    )
    data = dict(
        section_payloads("short-stay-work-authorisation")["employment"], end_date="2026-12-31"
    )
    with pytest.raises(ValidationError) as raised:
        services.save_section(
            file=file, section="employment", data=data, actor=user, expected_version=file.version
        )
    assert raised.value.error_dict["end_date"][0].code == "short_stay_too_long"


def test_salary_below_the_regions_threshold_is_refused():
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = services.start_file(procedure_code="single-permit", employer=employer, actor=user)
    file = services.save_section(
        file=file,
        section="employer",
        data={"postcode": "1000"},
        actor=user,
        expected_version=file.version,
    )
    data = dict(
        section_payloads("single-permit")["employment"],
        category="highly-qualified",
        gross_salary="3000",
        salary_period="monthly",
        start_date="2026-01-05",
    )
    with pytest.raises(ValidationError) as raised:
        services.save_section(
            file=file, section="employment", data=data, actor=user, expected_version=file.version
        )
    assert raised.value.error_dict["gross_salary"][0].code == "salary_below_threshold"
    data["gross_salary"] = "4000"
    file = services.save_section(
        file=file, section="employment", data=data, actor=user, expected_version=file.version
    )
    assert file.category == "highly-qualified"


def test_only_employers_or_mandataries_start_an_employers_procedure():
    employer = EnterpriseFactory()
    with pytest.raises(PermissionDenied):
        services.start_file(
            procedure_code="single-permit", employer=employer, actor=employer_user()
        )
    with pytest.raises(PermissionDenied):
        services.start_file(
            procedure_code="single-permit", employer=employer, actor=official("flanders")
        )
    MandateFactory(employer=employer)
    assert File.objects.count() == 0
