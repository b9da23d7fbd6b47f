"""Following a file: the overview, the file page, answers, withdrawal, copies and renewals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import (
    PDF_BYTES,
    FileFactory,
    complete_draft,
    official,
)

from wib.audit.models import AuditRecord
from wib.audit.services import record_event
from wib.files import services
from wib.files.models import File, FileEvent
from wib.geography.models import Authority

pytestmark = pytest.mark.django_db


def url(name: str, file: File, **kwargs) -> str:
    return reverse(f"web:applications:{name}", kwargs={"public_id": file.public_id, **kwargs})


def submitted_file(employer) -> File:
    file = complete_draft(actor=employer.user, employer=employer.enterprise)
    return services.submit_file(file=file, actor=employer.user, declaration_accepted=True)


def test_the_file_page_shows_status_timeline_and_records_the_view(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    page = client.get(url("detail", file))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Application submitted" in html  # the timeline, in users' words
    assert "The competent region is checking the application." in html
    assert f"enterprise {linkebeek.enterprise}" in html  # who receives the messages
    assert AuditRecord.objects.filter(
        action="file.viewed", target_id=str(file.public_id), actor=linkebeek.user
    ).exists()


def test_the_file_page_shows_which_official_viewed_it(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    clerk = official("flanders")
    clerk.first_name, clerk.last_name = "Els", "Peeters"
    clerk.save()
    record_event(
        actor=clerk,
        action="file.viewed",
        target_type="file",
        target_id=str(file.public_id),
        authority_code="flanders",
    )
    html = client.get(url("detail", file)).content.decode()
    assert "Els Peeters" in html
    assert Authority.objects.get(code="flanders").display_name in html


def test_an_information_request_is_answered_with_a_message_and_a_document(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    services.request_information(
        file=file, actor=official("flanders"), message="Send the signed contract."
    )
    file.refresh_from_db()
    page = client.get(url("detail", file)).content.decode()
    assert "Send the signed contract." in page
    assert "Send the answer" in page

    empty = client.post(url("answer", file), {"version": file.version, "answer": ""})
    assert empty.status_code == 400
    assert empty.context["answer_form"].has_error("answer", "required")

    response = client.post(
        url("answer", file),
        {
            "version": file.version,
            "answer": "Here it is.",
            "kind": "employment-contract",
            "documents": [SimpleUploadedFile("contract.pdf", PDF_BYTES)],
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.state == "submitted"  # back with the official
    request = file.information_requests.get()
    assert request.answer == "Here it is."
    assert request.documents.get().kind == "employment-contract"


def test_withdrawal_asks_for_confirmation(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    assert client.get(url("withdraw", file)).status_code == 200
    refused = client.post(url("withdraw", file), {"version": file.version})
    assert refused.context["form"].has_error("confirm")
    file.refresh_from_db()
    assert file.state == "submitted"
    response = client.post(
        url("withdraw", file), {"version": file.version, "confirm": "on", "reason": "Hired later"}
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.state == "withdrawn"
    # After that, no more withdraw button nor page.
    assert url("withdraw", file) not in client.get(url("detail", file)).content.decode()
    assert client.get(url("withdraw", file)).status_code == 302


def test_a_new_file_is_started_from_an_existing_one(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    response = client.post(
        url("duplicate", file), {"include_worker": "on", "include_documents": "on"}
    )
    copy = File.objects.exclude(pk=file.pk).get()
    assert response["Location"] == url("tasks", copy)
    assert copy.state == "draft" and copy.origin == file
    assert copy.worker_name == file.worker_name
    assert copy.documents.count() == file.documents.count()

    without_worker = client.post(url("duplicate", file), {})
    second = File.objects.exclude(pk__in=[file.pk, copy.pk]).get()
    assert without_worker["Location"] == url("tasks", second)
    assert second.worker_name == "" and "worker" not in second.sections


def test_a_granted_single_permit_can_be_renewed(linkebeek, sign_in):
    client = sign_in(linkebeek)
    granted = FileFactory(employer=linkebeek.enterprise, state="granted")
    page = client.get(url("detail", granted)).content.decode()
    assert url("renew", granted) in page
    response = client.post(url("renew", granted))
    renewal = File.objects.exclude(pk=granted.pk).get()
    assert response["Location"] == url("tasks", renewal)
    assert renewal.procedure_code == "single-permit-renewal"
    assert renewal.origin == granted
    assert FileEvent.objects.filter(file=granted, action="start_renewal").exists()


def test_a_file_still_under_review_cannot_be_renewed(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    assert url("renew", file) not in client.get(url("detail", file)).content.decode()
    client.post(url("renew", file))
    assert File.objects.count() == 1


def test_the_overview_lists_searches_and_filters_every_file(linkebeek, sign_in):
    client = sign_in(linkebeek)
    enterprise = linkebeek.enterprise
    wallonia = Authority.objects.get(code="wallonia")
    draft = FileFactory(employer=enterprise, worker_name="Ravi Kumar")
    submitted = FileFactory(employer=enterprise, state="submitted", worker_name="Mei Chen")
    walloon = FileFactory(
        employer=enterprise, state="admissible", authority=wallonia, worker_name="Ana Souza"
    )
    FileFactory(worker_name="Somebody Else")  # another enterprise's file

    listing = client.get(reverse("web:applications:list"))
    references = {row.file.reference for row in listing.context["rows"]}
    assert references == {draft.reference, submitted.reference, walloon.reference}
    html = listing.content.decode()
    assert "continue" in html and url("tasks", draft) in html
    assert "Somebody Else" not in html

    def found(**query):
        page = client.get(reverse("web:applications:list"), query)
        return {row.file.reference for row in page.context["rows"]}

    assert found(q=submitted.reference) == {submitted.reference}
    assert found(q="kumar") == {draft.reference}
    assert found(state="admissible") == {walloon.reference}
    assert found(authority="wallonia") == {walloon.reference}
    assert found(procedure="short-stay-work-authorisation") == set()


def test_the_overview_marks_overdue_deadlines(linkebeek, sign_in):
    import datetime

    client = sign_in(linkebeek)
    FileFactory(
        employer=linkebeek.enterprise,
        state="submitted",
        decision_due_on=datetime.date(2020, 1, 1),
    )
    html = client.get(reverse("web:applications:list")).content.decode()
    assert "Overdue" in html


def test_the_overview_pages_through_many_files(linkebeek, sign_in):
    client = sign_in(linkebeek)
    for _ in range(23):
        FileFactory(employer=linkebeek.enterprise)
    first = client.get(reverse("web:applications:list"))
    second = client.get(reverse("web:applications:list"), {"page": 2})
    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 3


@pytest.mark.parametrize(
    "name", ["detail", "tasks", "check", "documents", "withdraw", "duplicate", "receipt"]
)
def test_another_enterprises_file_answers_not_found(linkebeek, waterloo, sign_in, name):
    foreign = submitted_file(waterloo)
    client = sign_in(linkebeek)
    assert client.get(url(name, foreign)).status_code == 404


def test_another_enterprises_document_answers_not_found(linkebeek, waterloo, sign_in):
    foreign = submitted_file(waterloo)
    client = sign_in(linkebeek)
    document = foreign.documents.first()
    assert (
        client.get(url("document", foreign, document_id=document.stored_document_id)).status_code
        == 404
    )


def test_a_document_download_is_an_attachment_and_audited(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    document = file.documents.first()
    response = client.get(url("document", file, document_id=document.stored_document_id))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditRecord.objects.filter(
        action="document.downloaded", target_id=str(file.public_id)
    ).exists()


def test_a_submitted_file_no_longer_accepts_changes(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = submitted_file(linkebeek)
    response = client.post(
        url("section", file, section="worker"), {"first_name": "X", "version": file.version}
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", file)


def test_signing_in_is_required(client, linkebeek):
    file = submitted_file(linkebeek)
    response = client.get(url("detail", file))
    assert response.status_code == 302
    assert "login" in response["Location"]
