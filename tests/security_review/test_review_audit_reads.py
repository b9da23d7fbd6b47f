"""Security review: every read of a file's personal data leaves a record in the audit trail.

Walks each page, download and API endpoint that shows a file's data, as the applicant and as
the official, and checks that the audit table grew by a consultation of that very file.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories import EnterpriseFactory, complete_draft, employer_user, official

from wib.accounts.testing import act_for, login_with_second_factor
from wib.audit.models import AuditRecord
from wib.files import services
from wib.files.models import File
from wib.procedures.registry import get_procedure

pytestmark = pytest.mark.django_db


def _web(name: str, file: File, **kwargs) -> str:
    return reverse(f"web:applications:{name}", kwargs={"public_id": file.public_id, **kwargs})


def _consultations(file: File) -> int:
    return AuditRecord.objects.filter(target_type="file", target_id=str(file.public_id)).count()


@pytest.fixture
def decided_file_and_draft():
    """A submitted file with a work decision letter, and a second file still in draft."""
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = complete_draft(actor=user, employer=employer)
    file = services.submit_file(file=file, actor=user, declaration_accepted=True)
    clerk = official("flanders")
    file = services.declare_admissible(file=file, actor=clerk)
    file = services.decide_work_part(file=file, actor=clerk, approve=True)
    draft = complete_draft(actor=user, employer=employer)
    return user, employer, file, draft


def test_every_read_of_a_files_personal_data_is_audited(decided_file_and_draft):
    user, employer, file, draft = decided_file_and_draft
    file.refresh_from_db()
    document = file.documents.first()
    letter = file.decisions.exclude(letter=None).first()
    assert document is not None and letter is not None and file.receipt_id is not None

    applicant = Client()
    applicant.force_login(user)
    act_for(applicant, employer)
    clerk = Client()
    login_with_second_factor(clerk, official("flanders"))

    with translation.override("en"):
        reads = [
            (applicant, draft, _web("section", draft, section=code))
            for code in get_procedure(draft.procedure_code).section_codes()
        ]
        reads += [
            (applicant, draft, _web("check", draft)),
            (applicant, file, _web("detail", file)),
            (applicant, file, _web("document", file, document_id=document.stored_document_id)),
            (
                applicant,
                file,
                _web("document-inline", file, document_id=document.stored_document_id),
            ),
            (applicant, file, _web("receipt", file)),
            (applicant, file, _web("letter", file, letter_id=letter.letter_id)),
            (applicant, file, f"/api/v1/files/{file.public_id}"),
            (applicant, file, f"/api/v1/files/{file.public_id}/timeline"),
        ]
        office = {"public_id": file.public_id}
        document_kwargs = {**office, "document_id": document.stored_document_id}
        reads += [
            (clerk, file, reverse("backoffice:file", kwargs=office)),
            (clerk, file, reverse("backoffice:document", kwargs=document_kwargs)),
            (clerk, file, reverse("backoffice:document-inline", kwargs=document_kwargs)),
        ]

    unaudited = []
    for client, target, url in reads:
        before = _consultations(target)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if _consultations(target) <= before:
            unaudited.append(url)
    assert unaudited == []


def test_an_api_read_records_who_read_and_for_which_employer(decided_file_and_draft):
    user, employer, file, _draft = decided_file_and_draft
    client = Client()
    client.force_login(user)
    client.get(f"/api/v1/files/{file.public_id}")
    record = AuditRecord.objects.filter(target_id=str(file.public_id)).order_by("sequence").last()
    assert record is not None
    assert (record.action, record.actor, record.on_behalf_of) == (
        "file.viewed",
        user,
        employer.number,
    )
