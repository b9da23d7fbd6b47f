"""Viewing a document in the browser, for officials and applicants: sandboxed, scoped, audited."""

from __future__ import annotations

import datetime
import struct
import zlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from factories import EnterpriseFactory, complete_draft, employer_user

from wib.accounts.testing import act_for
from wib.audit.models import AuditRecord
from wib.files import services
from wib.files.models import File

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC)
INLINE_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def _png() -> bytes:
    """A valid one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def applicant():
    employer = EnterpriseFactory()
    return employer, employer_user(employer)


@pytest.fixture
def submitted(applicant) -> File:
    """A complete single-permit application for Flanders with a PNG among its documents."""
    employer, user = applicant
    with time_machine.travel(NOON, tick=False):
        draft = complete_draft(actor=user, employer=employer)
        services.attach_document(
            file=draft,
            kind="other",
            # The name lies about the type: the checked content decides what is served.
            uploaded_file=SimpleUploadedFile("photo.pdf", _png(), content_type="application/pdf"),
            actor=user,
        )
        return services.submit_file(file=draft, actor=user, declaration_accepted=True)


@pytest.fixture
def applicant_client(client, applicant) -> Client:
    employer, user = applicant
    client.force_login(user)
    act_for(client, employer)
    return client


def _inline_url(file: File, item) -> str:
    return reverse("backoffice:document-inline", args=[file.public_id, item.stored_document_id])


def _item(file: File, kind: str):
    return file.documents.select_related("stored_document").filter(kind=kind).first()


def _assert_inline(response, content_type: str, magic: bytes) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == INLINE_POLICY
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(magic)


def _viewed(file: File, user) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(
            action="document.viewed",
            actor=user,
            target_type="file",
            target_id=str(file.public_id),
        )
    )


def test_an_official_views_a_pdf_inline_and_it_is_audited(official_client, submitted):
    client, user = official_client("flanders")
    item = _item(submitted, "passport")
    url = _inline_url(submitted, item)

    _assert_inline(client.get(url), "application/pdf", b"%PDF")

    [record] = _viewed(submitted, user)
    assert record.authority_code == "flanders"
    assert record.data["document"] == str(item.stored_document_id)
    assert record.data["sha256"] == item.stored_document.sha256


def test_an_official_views_an_image_with_its_checked_type(official_client, submitted):
    client, _user = official_client("flanders")
    item = _item(submitted, "other")
    url = _inline_url(submitted, item)

    response = client.get(url)

    _assert_inline(response, "image/png", b"\x89PNG")
    assert 'filename="photo.pdf.png"' in response["Content-Disposition"]


def test_the_official_file_page_offers_view_next_to_download(official_client, submitted):
    client, _user = official_client("flanders")
    page = client.get(reverse("backoffice:file", args=[submitted.public_id])).content.decode()
    item = _item(submitted, "passport")
    view = reverse(
        "backoffice:document-inline", args=[submitted.public_id, item.stored_document_id]
    )
    download = reverse("backoffice:document", args=[submitted.public_id, item.stored_document_id])
    assert f'href="{view}"' in page
    assert f'href="{download}"' in page
    assert "View document.pdf" in page


def test_an_official_of_another_authority_gets_404_and_nothing_is_recorded(
    official_client, submitted
):
    client, user = official_client("brussels")
    item = _item(submitted, "passport")
    url = _inline_url(submitted, item)
    assert client.get(url).status_code == 404
    assert _viewed(submitted, user) == []


def test_a_document_of_another_file_is_not_viewable_through_this_one(official_client, submitted):
    client, _user = official_client("flanders")
    other_employer = EnterpriseFactory()
    other_user = employer_user(other_employer)
    with time_machine.travel(NOON, tick=False):
        other = services.submit_file(
            file=complete_draft(actor=other_user, employer=other_employer),
            actor=other_user,
            declaration_accepted=True,
        )
    foreign = _item(other, "passport")
    url = reverse(
        "backoffice:document-inline", args=[submitted.public_id, foreign.stored_document_id]
    )
    assert client.get(url).status_code == 404


def test_an_applicant_views_a_document_inline_and_sees_the_official_view_listed(
    applicant_client, applicant, official_client, submitted
):
    _employer, user = applicant
    item = _item(submitted, "other")
    url = reverse(
        "web:applications:document-inline",
        kwargs={"public_id": submitted.public_id, "document_id": item.stored_document_id},
    )

    _assert_inline(applicant_client.get(url), "image/png", b"\x89PNG")
    [record] = _viewed(submitted, user)
    assert record.data["document"] == str(item.stored_document_id)

    official, official_user = official_client("flanders")
    passport = _item(submitted, "passport")
    official.get(
        reverse(
            "backoffice:document-inline", args=[submitted.public_id, passport.stored_document_id]
        )
    )
    detail = applicant_client.get(
        reverse("web:applications:detail", kwargs={"public_id": submitted.public_id})
    ).content.decode()
    assert url in detail  # the "view" link next to the download
    assert official_user.get_full_name() in detail or official_user.get_username() in detail
    assert "viewed a document" in detail


def test_an_applicant_cannot_view_a_document_of_another_enterprise(applicant_client, applicant):
    other_employer = EnterpriseFactory()
    other_user = employer_user(other_employer)
    foreign = complete_draft(actor=other_user, employer=other_employer)
    item = foreign.documents.first()
    url = reverse(
        "web:applications:document-inline",
        kwargs={"public_id": foreign.public_id, "document_id": item.stored_document_id},
    )
    assert applicant_client.get(url).status_code == 404
    assert not AuditRecord.objects.filter(action="document.viewed").exists()


def test_an_applicant_cannot_view_another_files_document_through_their_own_file(
    applicant_client, applicant, submitted
):
    other_employer = EnterpriseFactory()
    other_user = employer_user(other_employer)
    foreign = complete_draft(actor=other_user, employer=other_employer)
    url = reverse(
        "web:applications:document-inline",
        kwargs={
            "public_id": submitted.public_id,
            "document_id": foreign.documents.first().stored_document_id,
        },
    )
    assert applicant_client.get(url).status_code == 404
