"""A file's page for officials, its actions by status, concurrent decisions and the audit trail."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from factories import (
    EnterpriseFactory,
    FileFactory,
    complete_draft,
    employer_user,
)

from wib.accounts.testing import login_with_second_factor
from wib.audit.models import AuditRecord
from wib.files import services
from wib.files.models import Decision, File, FileEvent, InformationRequest
from wib.geography.models import Authority

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC)


def file_url(file: File) -> str:
    return reverse("backoffice:file", args=[file.public_id])


def act(client: Client, file: File, action: str, version: int | None = None, **fields):
    data = {f"{action}-version": file.version if version is None else version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(reverse("backoffice:action", args=[file.public_id, action]), data)


def offered(response) -> list[str]:
    return [action.code for action, _form in response.context["action_forms"]]


def fingerprint(file: File) -> tuple:
    file.refresh_from_db()
    return (file.state, file.version, FileEvent.objects.filter(file=file).count())


@pytest.fixture
def submitted():
    """A complete single-permit application for Antwerp, submitted through the services."""
    employer = EnterpriseFactory()
    applicant = employer_user(employer)
    with time_machine.travel(NOON, tick=False):
        draft = complete_draft(actor=applicant, employer=employer)
        return services.submit_file(file=draft, actor=applicant, declaration_accepted=True)


def test_the_file_page_shows_data_authority_deadlines_documents_and_history(
    official_client, submitted
):
    client, _user = official_client("flanders")
    response = client.get(file_url(submitted))
    page = response.content.decode()

    assert response.status_code == 200
    assert submitted.reference in page
    assert "Asha Rao" in page  # worker section
    assert "Engineer" in page  # employment section
    assert submitted.authority_explanation and submitted.authority_explanation in page
    assert 'datetime="2026-05-31"' in page  # decision due: 90 days after 2 March
    assert "Copy of the passport" in page
    assert "Receipt" in page
    assert "Application submitted" in page
    assert offered(response) == [
        "request_information",
        "declare_admissible",
        "declare_inadmissible",
    ]
    assert 'name="request_information-version"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_file_of_another_authority_answers_404_like_a_missing_one(official_client, submitted):
    client, _user = official_client("brussels")
    assert client.get(file_url(submitted)).status_code == 404
    assert act(client, submitted, "declare_admissible").status_code == 404
    document = submitted.documents.first()
    url = reverse("backoffice:document", args=[submitted.public_id, document.stored_document_id])
    assert client.get(url).status_code == 404
    assert fingerprint(submitted)[0] == "submitted"


def test_viewing_a_file_and_downloading_a_document_are_audited(official_client, submitted):
    client, user = official_client("flanders")
    client.get(file_url(submitted))
    document = submitted.documents.select_related("stored_document").first()

    response = client.get(
        reverse("backoffice:document", args=[submitted.public_id, document.stored_document_id])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    records = AuditRecord.objects.filter(target_type="file", target_id=str(submitted.public_id))
    viewed = records.get(action="file.viewed", actor=user)
    assert viewed.authority_code == "flanders"
    downloaded = records.get(action="document.downloaded", actor=user)
    assert downloaded.data["document"] == str(document.stored_document_id)
    assert downloaded.data["sha256"] == document.stored_document.sha256


def test_a_document_of_another_file_is_not_served_through_this_one(official_client, submitted):
    client, _user = official_client("flanders")
    other = FileFactory(state="submitted")
    document = submitted.documents.first()
    url = reverse("backoffice:document", args=[other.public_id, document.stored_document_id])
    assert client.get(url).status_code == 404


@time_machine.travel(NOON, tick=False)
def test_requesting_information_with_the_default_or_a_chosen_date(official_client):
    client, _user = official_client("flanders")
    first = FileFactory(state="submitted")
    form = client.get(file_url(first)).context["action_forms"][0][1]
    assert form.initial["due_on"] == datetime.date(2026, 3, 17)  # 15 days

    response = act(
        client, first, "request_information", message="Send the diploma.", due_on="2026-03-17"
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "information_requested"
    assert first.information_due_on == datetime.date(2026, 3, 17)
    request = InformationRequest.objects.get(file=first)
    assert (request.message, request.due_on) == ("Send the diploma.", datetime.date(2026, 3, 17))

    second = FileFactory(state="submitted")
    act(client, second, "request_information", message="Passport, please.", due_on="2026-04-01")
    second.refresh_from_db()
    assert second.information_due_on == datetime.date(2026, 4, 1)
    page = client.get(file_url(second)).content.decode()
    assert "Passport, please." in page
    assert "Not answered yet." in page


@time_machine.travel(NOON, tick=False)
def test_an_invalid_form_shows_errors_and_changes_nothing(official_client):
    client, _user = official_client("flanders")
    file = FileFactory(state="submitted")
    before = fingerprint(file)

    missing = act(client, file, "request_information", message="", due_on="2026-03-01")
    assert missing.status_code == 400
    page = missing.content.decode()
    assert "There is a problem" in page
    assert "Describe the information you need." in page
    assert "The answer date must be after today." in page
    assert 'href="#id_request_information-message"' in page

    no_motivation = act(client, file, "declare_inadmissible", motivation="  ")
    assert "Give the reasons for the decision." in no_motivation.content.decode()
    assert fingerprint(file) == before
    assert not InformationRequest.objects.filter(file=file).exists()


def test_declaring_admissible_and_inadmissible(official_client):
    client, _user = official_client("flanders")
    admissible = FileFactory(state="submitted")
    response = act(client, admissible, "declare_admissible", note="All documents present.")
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert "The application was declared admissible." in followed.content.decode()
    admissible.refresh_from_db()
    assert admissible.state == "admissible"
    assert offered(followed) == ["refuse_work", "extend_deadline", "approve_work"]

    rejected = FileFactory(state="information_requested")
    act(client, rejected, "declare_inadmissible", motivation="No answer within 15 days.")
    rejected.refresh_from_db()
    assert rejected.state == "inadmissible"
    decision = Decision.objects.get(file=rejected)
    assert (decision.outcome, decision.motivation) == ("inadmissible", "No answer within 15 days.")
    assert offered(client.get(file_url(rejected))) == []


def test_an_action_not_allowed_in_the_status_is_refused_and_changes_nothing(official_client):
    client, _user = official_client("flanders")
    file = FileFactory(state="submitted")
    before = fingerprint(file)

    response = act(client, file, "approve_work", motivation="")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "is not possible while the application is" in page
    assert fingerprint(file) == before
    assert act(client, file, "no_such_action").status_code == 404


def test_the_deadline_is_extended_once(official_client):
    client, _user = official_client("flanders")
    file = FileFactory(state="admissible", decision_due_on=datetime.date(2026, 6, 1))

    act(client, file, "extend_deadline", reason="Complex case.")
    file.refresh_from_db()
    assert (file.decision_due_on, file.extended) == (datetime.date(2026, 7, 1), True)
    assert "extend_deadline" not in offered(client.get(file_url(file)))

    before = fingerprint(file)
    again = act(client, file, "extend_deadline", reason="Still complex.")
    assert "already been extended once" in client.get(again["Location"]).content.decode()
    assert fingerprint(file) == before


def test_approving_the_work_part_moves_the_file_to_the_immigration_office(
    official_client, submitted
):
    region, _user = official_client("flanders")
    office, _office_user = official_client("immigration-office")
    act(region, submitted, "declare_admissible")
    submitted.refresh_from_db()
    assert office.get(reverse("backoffice:queue")).context["rows"] == []

    response = act(region, submitted, "approve_work", motivation="Conditions met.")

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "residence_review"
    assert Decision.objects.get(file=submitted, stage="work").outcome == "approved"
    assert region.get(reverse("backoffice:queue")).context["rows"] == []
    rows = office.get(reverse("backoffice:queue")).context["rows"]
    assert [row.file.pk for row in rows] == [submitted.pk]
    # The region still reads the file but may no longer act on it.
    assert offered(region.get(file_url(submitted))) == []
    assert offered(office.get(file_url(submitted))) == [
        "request_residence_information",
        "grant_residence",
        "refuse_residence",
        "extend_deadline",
    ]
    refused = act(region, submitted, "grant_residence")
    assert (
        "does not handle this file at this stage"
        in region.get(refused["Location"]).content.decode()
    )


def test_the_immigration_office_grants_or_refuses_the_residence_part(official_client):
    office, _user = official_client("immigration-office")
    wallonia = Authority.objects.get(code="wallonia")
    granted = FileFactory(state="residence_review", authority=wallonia)
    refused = FileFactory(state="residence_information_requested", authority=wallonia)
    asked = FileFactory(state="residence_review", authority=wallonia)

    act(office, granted, "grant_residence")
    act(office, refused, "refuse_residence", motivation="No proof of means.")
    act(
        office,
        asked,
        "request_residence_information",
        message="Medical certificate.",
        due_on=(datetime.date.today() + datetime.timedelta(days=10)).isoformat(),
    )

    granted.refresh_from_db()
    refused.refresh_from_db()
    asked.refresh_from_db()
    assert (granted.state, granted.decisions.get().annex) == ("granted", "46")
    assert (refused.state, refused.decisions.get().annex) == ("refused", "47")
    assert asked.state == "residence_information_requested"
    assert InformationRequest.objects.get(file=asked).stage == "residence"


def test_two_officials_acting_at_once_only_one_takes_effect(official_client):
    first, _first_user = official_client("flanders")
    second, _second_user = official_client("flanders")
    file = FileFactory(state="submitted")
    seen_version = file.version
    # Both loaded the page with the same version.
    assert first.get(file_url(file)).status_code == 200
    assert second.get(file_url(file)).status_code == 200

    act(first, file, "declare_admissible", version=seen_version)
    late = act(second, file, "declare_inadmissible", version=seen_version, motivation="Late.")

    file.refresh_from_db()
    assert file.state == "admissible"
    assert not Decision.objects.filter(file=file).exists()
    assert FileEvent.objects.filter(file=file, action__startswith="declare_").count() == 1
    page = second.get(late["Location"]).content.decode()
    assert "changed by someone else in the meantime (now: Admissible)" in page

    # The same action with the old version (still allowed in the new status) is refused too.
    file = FileFactory(state="admissible", decision_due_on=datetime.date(2026, 6, 1))
    old = file.version
    act(first, file, "extend_deadline", version=old, reason="Complex.")
    file.refresh_from_db()
    before = fingerprint(file)
    stale = act(second, file, "request_information", version=old, message="x", due_on="2099-01-01")
    assert "changed by someone else" in second.get(stale["Location"]).content.decode()
    assert fingerprint(file) == before


def test_a_supervisor_acts_like_an_official_of_the_authority(official_client):
    supervisor, _user = official_client("flanders", role="supervisor")
    file = FileFactory(state="submitted")
    act(supervisor, file, "declare_admissible")
    file.refresh_from_db()
    assert file.state == "admissible"


def test_an_official_without_second_factor_cannot_act():
    from factories import official

    user = official("flanders")
    client = Client()
    client.force_login(user)
    file = FileFactory(state="submitted")
    response = act(client, file, "declare_admissible")
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.state == "submitted"
    login_with_second_factor(client, user)
    act(client, file, "declare_admissible")
    file.refresh_from_db()
    assert file.state == "admissible"


def test_the_official_sees_the_declared_salary_against_the_threshold(official_client):
    client, _user = official_client("wallonia")
    employment = {
        "category": "highly-qualified",
        "gross_salary": "45000",
        "salary_period": "yearly",
        "start_date": "2026-09-01",
    }
    file = FileFactory(
        state="submitted",
        authority=Authority.objects.get(code="wallonia"),
        category="highly-qualified",
        sections={"employment": {"data": employment, "complete": True}},
    )

    response = client.get(file_url(file))
    page = response.content.decode()

    assessment = response.context["salary_assessment"]
    assert (assessment.outcome, assessment.declared_meets) == ("not_met", False)
    assert "Salary and threshold" in page
    assert "53,220.00" in page or "53.220,00" in page
    assert "below the threshold" in page
