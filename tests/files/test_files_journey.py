"""A file's life through the services: submission, decisions, messages, letters, concurrency."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from factories import (
    EnterpriseFactory,
    WorkerUserFactory,
    complete_draft,
    employer_user,
    mandatary_user,
    official,
    pdf_metadata_and_objects,
    pdf_upload,
    section_payloads,
)

from wib.deliveries.models import OutboxMessage
from wib.files import services
from wib.files.errors import ConcurrentChange, IncompleteFile, InvalidTransition
from wib.files.models import Decision, File, FileDocument, FileEvent, InformationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


NOON = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC)


def outbox_types(file: File) -> Counter:
    return Counter(
        (message.channel, message.message_type)
        for message in OutboxMessage.objects.filter(related_file_id=str(file.public_id))
    )


def snapshot(file: File) -> tuple:
    file.refresh_from_db()
    return (
        file.state,
        file.version,
        file.submitted_at,
        file.receipt_id,
        FileEvent.objects.filter(file=file).count(),
        OutboxMessage.objects.filter(related_file_id=str(file.public_id)).count(),
        FileDocument.objects.filter(file=file).count(),
    )


@pytest.fixture
def employer():
    return EnterpriseFactory()


@pytest.fixture
def applicant(employer):
    return employer_user(employer)


@pytest.fixture
def draft(applicant, employer):
    return complete_draft(actor=applicant, employer=employer)


@time_machine.travel(NOON, tick=False)
def test_submitting_a_complete_draft_routes_it_and_sends_the_receipt(draft, applicant):
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)

    assert file.state == "submitted"
    assert file.authority.code == "flanders"
    assert file.submitted_by == applicant
    assert file.submitted_at == NOON
    assert file.decision_due_on == datetime.date(2026, 3, 2) + datetime.timedelta(days=90)
    assert file.receipt.content_type == "application/pdf"
    assert outbox_types(file) == Counter(
        {("ebox", "file-submitted"): 1, ("authority-system", "file-submitted"): 1}
    )
    ebox = OutboxMessage.objects.get(channel="ebox", related_file_id=str(file.public_id))
    assert ebox.recipient == file.employer.number
    assert file.reference in ebox.subject["nl"]
    assert set(ebox.subject) >= {"nl", "fr", "de", "en"}
    assert ebox.subject["nl"] != ebox.subject["fr"]
    assert ebox.attachments.count() == 1


def test_the_receipt_is_a_pdf_carrying_the_reference(draft, applicant):
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
    with file.receipt.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    # The reference is the PDF's title, which WeasyPrint writes uncompressed in the metadata.
    assert f"/Title ({file.reference})".encode() in pdf_metadata_and_objects(content)


def test_a_missing_document_leaves_the_draft_untouched(draft, applicant):
    FileDocument.objects.filter(file=draft, kind="passport").delete()
    before = snapshot(draft)

    with pytest.raises(IncompleteFile) as raised:
        services.submit_file(file=draft, actor=applicant, declaration_accepted=True)

    assert any("passport" in problem.lower() for problem in raised.value.problems)
    assert snapshot(draft) == before
    assert draft.state == "draft"


def test_submission_needs_the_declaration(draft, applicant):
    before = snapshot(draft)
    with pytest.raises(IncompleteFile):
        services.submit_file(file=draft, actor=applicant, declaration_accepted=False)
    assert snapshot(draft) == before


def test_an_incomplete_section_blocks_submission(draft, applicant):
    sections = dict(draft.sections)
    sections.pop("employment")
    File.objects.filter(pk=draft.pk).update(sections=sections)
    with pytest.raises(IncompleteFile) as raised:
        services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
    assert any("employment" in problem.lower() for problem in raised.value.problems)


def test_brussels_requires_an_organisation_chart(applicant, employer):
    file = complete_draft(actor=applicant, employer=employer, authority_code="brussels")
    assert FileDocument.objects.filter(file=file, kind="organisation-chart").exists()
    FileDocument.objects.filter(file=file, kind="organisation-chart").delete()
    with pytest.raises(IncompleteFile):
        services.submit_file(file=file, actor=applicant, declaration_accepted=True)


def test_someone_without_access_cannot_submit(draft):
    stranger = employer_user()
    before = snapshot(draft)
    with pytest.raises(PermissionDenied):
        services.submit_file(file=draft, actor=stranger, declaration_accepted=True)
    assert snapshot(draft) == before


def test_single_permit_from_submission_to_granted_sends_each_milestone(draft, applicant):
    flemish = official("flanders")
    immigration = official("immigration-office")
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)

    file = services.request_information(file=file, actor=flemish, message="Add the diploma.")
    assert file.state == "information_requested"
    request = InformationRequest.objects.get(file=file)
    assert request.due_on == file.information_due_on

    file = services.answer_information_request(
        file=file, actor=applicant, answer="Attached.", documents=[("diploma", pdf_upload())]
    )
    assert file.state == "submitted"
    request.refresh_from_db()
    assert request.answered_at is not None
    assert FileDocument.objects.filter(file=file, information_request=request).count() == 1

    file = services.declare_admissible(file=file, actor=flemish)
    file = services.decide_work_part(file=file, actor=flemish, approve=True, motivation="OK")
    # Approval forwards the file to the Immigration Office by itself.
    assert file.state == "residence_review"
    assert file.stage == "residence"
    assert file.forwarded_at is not None
    system_event = FileEvent.objects.get(file=file, action="forward_to_immigration_office")
    assert system_event.capacity == "system" and system_event.actor is None

    file = services.decide_residence_part(file=file, actor=immigration, grant=True)
    assert file.state == "granted"
    assert file.closed_at is not None
    decisions = {d.stage: d for d in Decision.objects.filter(file=file)}
    assert decisions["work"].outcome == "approved"
    assert decisions["residence"].annex == "46"

    assert outbox_types(file) == Counter(
        {
            ("ebox", "file-submitted"): 1,
            ("authority-system", "file-submitted"): 1,
            ("ebox", "information-requested"): 1,
            ("ebox", "file-admissible"): 1,
            ("ebox", "work-approved"): 1,
            ("authority-system", "file-forwarded"): 1,
            ("ebox", "permit-granted"): 1,
        }
    )
    granted = OutboxMessage.objects.get(message_type="permit-granted")
    assert granted.attachments.count() == 1


def test_worker_with_insz_receives_the_final_decision_in_the_citizen_ebox(applicant, employer):
    file = complete_draft(actor=applicant, employer=employer)
    worker = dict(section_payloads("single-permit")["worker"], insz="92030412345")
    from wib.core.identifiers import make_insz

    insz = make_insz(datetime.date(1992, 3, 4), 123)
    worker["insz"] = insz
    file = services.save_section(
        file=file, section="worker", data=worker, actor=applicant, expected_version=file.version
    )
    file = services.submit_file(file=file, actor=applicant, declaration_accepted=True)
    flemish = official("flanders")
    file = services.declare_admissible(file=file, actor=flemish)
    services.decide_work_part(file=file, actor=flemish, approve=False, motivation="Salary too low")
    recipients = set(
        OutboxMessage.objects.filter(message_type="work-refused").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {employer.number, insz}


def test_decision_letters_are_pdfs_with_the_reference(draft, applicant):
    flemish, immigration = official("flanders"), official("immigration-office")
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
    file = services.declare_admissible(file=file, actor=flemish)
    file = services.decide_work_part(file=file, actor=flemish, approve=True)
    file = services.decide_residence_part(
        file=file, actor=immigration, grant=False, motivation="Means of subsistence"
    )
    assert file.state == "refused"
    for decision in Decision.objects.filter(file=file):
        with decision.letter.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF")
        assert f"/Title ({file.reference})".encode() in pdf_metadata_and_objects(content)
    assert Decision.objects.get(file=file, stage="residence").annex == "47"


def test_short_stay_ends_with_the_authorisation_and_no_immigration_office(applicant, employer):
    file = complete_draft(
        actor=applicant,
        employer=employer,
        procedure_code="short-stay-work-authorisation",
        authority_code="wallonia",
    )
    file = services.submit_file(file=file, actor=applicant, declaration_accepted=True)
    walloon = official("wallonia")
    file = services.declare_admissible(file=file, actor=walloon)
    file = services.decide_work_part(file=file, actor=walloon, approve=True)
    assert file.state == "authorised"
    assert file.forwarded_at is None
    types = outbox_types(file)
    assert types[("ebox", "authorisation-granted")] == 1
    assert ("authority-system", "file-forwarded") not in types


def test_a_refusal_needs_reasons(draft, applicant):
    flemish = official("flanders")
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
    file = services.declare_admissible(file=file, actor=flemish)
    with pytest.raises(ValidationError):
        services.decide_work_part(file=file, actor=flemish, approve=False, motivation=" ")
    file.refresh_from_db()
    assert file.state == "admissible"


def test_two_officials_at_once_exactly_one_wins(draft, applicant):
    first, second = official("flanders"), official("flanders")
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
    seen_by_both = file.version

    services.declare_admissible(file=file, actor=first, expected_version=seen_by_both)
    events_after_first = FileEvent.objects.filter(file=file).count()
    with pytest.raises(ConcurrentChange) as raised:
        services.request_information(
            file=file, actor=second, message="Salary?", expected_version=seen_by_both
        )

    assert "Admissible" in raised.value.messages[0]
    file.refresh_from_db()
    assert file.state == "admissible"
    assert FileEvent.objects.filter(file=file).count() == events_after_first
    assert not InformationRequest.objects.filter(file=file).exists()


def test_a_stale_section_form_is_refused(draft, applicant):
    stale = draft.version
    services.save_section(
        file=draft,
        section="worker",
        data=section_payloads("single-permit")["worker"],
        actor=applicant,
        expected_version=stale,
    )
    with pytest.raises(ConcurrentChange):
        services.save_section(
            file=draft,
            section="worker",
            data=section_payloads("single-permit")["worker"],
            actor=applicant,
            expected_version=stale,
        )


def test_the_deadline_can_be_extended_once(draft, applicant):
    flemish = official("flanders")
    with time_machine.travel(NOON, tick=False):
        file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
        file = services.declare_admissible(file=file, actor=flemish)
        due = file.decision_due_on
        file = services.extend_deadline(file=file, actor=flemish, reason="Complex case")
    assert file.extended
    assert file.decision_due_on == due + datetime.timedelta(days=30)
    with pytest.raises(services.AlreadyExtended):
        services.extend_deadline(file=file, actor=flemish, reason="Again")
    assert OutboxMessage.objects.filter(message_type="deadline-extended").count() == 1


def test_withdrawal_by_the_applicant_closes_the_file(draft, applicant):
    file = services.submit_file(file=draft, actor=applicant, declaration_accepted=True)
    file = services.withdraw_file(file=file, actor=applicant, reason="Worker stays home")
    assert file.state == "withdrawn"
    with pytest.raises(InvalidTransition):
        services.withdraw_file(file=file, actor=applicant)


def test_a_mandatary_applies_and_is_recorded_as_such(employer):
    user, mandatary = mandatary_user(employer)
    file = complete_draft(actor=user, employer=employer)
    assert file.mandatary == mandatary
    file = services.submit_file(file=file, actor=user, declaration_accepted=True)
    event = FileEvent.objects.get(file=file, action="submit")
    assert (event.capacity, event.capacity_detail) == ("mandatary", mandatary.number)
    recipients = set(
        OutboxMessage.objects.filter(channel="ebox").values_list("recipient", flat=True)
    )
    assert recipients == {employer.number, mandatary.number}


def test_a_worker_applies_for_the_indefinite_permit_in_the_region_of_residence():
    worker = WorkerUserFactory()
    file = complete_draft(
        actor=worker,
        employer=None,
        procedure_code="single-permit-indefinite",
        authority_code="german-speaking-community",
    )
    assert file.worker_user == worker
    assert file.authority.code == "german-speaking-community"
    assert file.authority_rule
    file = services.submit_file(file=file, actor=worker, declaration_accepted=True)
    assert file.state == "submitted"


def test_duplicate_without_worker_keeps_employer_data_only(draft, applicant):
    copy = services.duplicate_file(
        file=draft, actor=applicant, include_worker=False, include_documents=True
    )
    assert copy.state == "draft" and copy.origin == draft
    assert copy.reference != draft.reference
    assert "worker" not in copy.sections and "employer" in copy.sections
    assert copy.worker_name == ""
    kinds = set(copy.documents.values_list("kind", flat=True))
    assert kinds == {"job-description", "regional-form"}
    assert FileEvent.objects.filter(file=draft, action="duplicated").exists()


def test_renewal_starts_from_a_granted_permit_only(draft, applicant):
    with pytest.raises(InvalidTransition):
        services.start_renewal(file=draft, actor=applicant)
    File.objects.filter(pk=draft.pk).update(state="granted", stage="residence")
    renewal = services.start_renewal(file=draft, actor=applicant)
    assert renewal.procedure_code == "single-permit-renewal"
    assert renewal.origin_id == draft.pk
    assert renewal.worker_name == draft.worker_name
    assert FileEvent.objects.filter(file=renewal, action="renewal").exists()
    assert FileEvent.objects.filter(file=draft, action="start_renewal").exists()
