"""Storing uploads: the content decides the type, the size is capped, the hash is recorded."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation

from wib.documents import DocumentRejected, StoredDocument, store_upload
from wib.documents.services import document_response, open_document, verify_document

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40) + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploader():
    return get_user_model().objects.create_user(username="uploader", password="x" * 16)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("passport.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("scan.jpg", JPEG, "image/jpeg"),
        # The browser's claim and the name are ignored: the bytes say it is a PDF.
        ("contract.txt", PDF, "application/pdf"),
    ],
)
def test_each_allowed_type_is_stored_with_the_type_its_content_has(
    uploader, name, content, content_type
):
    document = store_upload(uploaded_file=upload(name, content, "text/plain"), uploaded_by=uploader)
    document.refresh_from_db()
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == name
    assert document.uploaded_by == uploader
    with open_document(document) as stored:
        assert stored.read() == content


def test_the_storage_name_is_random_and_never_the_users_file_name(uploader):
    first = store_upload(uploaded_file=upload("../../etc/passwd.pdf", PDF), uploaded_by=uploader)
    second = store_upload(uploaded_file=upload("../../etc/passwd.pdf", PDF), uploaded_by=uploader)
    assert "passwd" not in first.file.name
    assert ".." not in first.file.name
    assert first.file.name.startswith("documents/")
    assert first.file.name.endswith(f"{first.id.hex}.pdf")
    assert first.file.name != second.file.name
    assert first.original_name == "passwd.pdf"


def test_a_renamed_executable_is_rejected_and_nothing_is_stored(uploader):
    with pytest.raises(DocumentRejected) as caught:
        store_upload(
            uploaded_file=upload("passport.pdf", EXE, "application/pdf"), uploaded_by=uploader
        )
    assert caught.value.code == "type_not_allowed"
    assert StoredDocument.objects.count() == 0


def test_a_pdf_without_its_end_marker_is_rejected(uploader):
    truncated = PDF.replace(b"%%EOF", b"")
    with pytest.raises(DocumentRejected) as caught:
        store_upload(uploaded_file=upload("cut.pdf", truncated), uploaded_by=uploader)
    assert caught.value.code == "type_not_allowed"


def test_an_end_marker_far_before_the_end_does_not_count(uploader):
    padded = PDF + bytes(4096)
    with pytest.raises(DocumentRejected):
        store_upload(uploaded_file=upload("padded.pdf", padded), uploaded_by=uploader)


def test_an_empty_file_is_rejected(uploader):
    with pytest.raises(DocumentRejected) as caught:
        store_upload(uploaded_file=upload("empty.pdf", b""), uploaded_by=uploader)
    assert caught.value.code == "empty"
    assert StoredDocument.objects.count() == 0


def test_a_too_large_file_is_rejected_with_the_limit_in_megabytes(uploader, settings):
    settings.WIB_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    big = PDF[:-7] + bytes(2 * 1024 * 1024) + b"%%EOF\n"
    with translation.override("en"), pytest.raises(DocumentRejected) as caught:
        store_upload(uploaded_file=upload("big.pdf", big), uploaded_by=uploader)
    assert caught.value.code == "too_large"
    with translation.override("en"):
        assert "larger than 2 MB" in caught.value.messages[0]
    assert StoredDocument.objects.count() == 0


def test_max_bytes_overrides_the_setting_and_fractions_are_shown(uploader):
    with translation.override("nl"), pytest.raises(DocumentRejected) as caught:
        store_upload(
            uploaded_file=upload("scan.jpg", JPEG), uploaded_by=uploader, max_bytes=len(JPEG) - 1
        )
    assert caught.value.code == "too_large"
    assert store_upload(
        uploaded_file=upload("scan.jpg", JPEG), uploaded_by=uploader, max_bytes=len(JPEG)
    ).size == len(JPEG)


class LyingSize(ContentFile):
    """A file whose declared size understates its content: the counted bytes must decide."""

    size = property(lambda self: 10, lambda self, value: None)


def test_the_bytes_are_counted_even_when_the_declared_size_is_wrong(uploader):
    lying = LyingSize(PDF[:-7] + bytes(5000) + b"%%EOF\n", name="lying.pdf")
    with pytest.raises(DocumentRejected) as caught:
        store_upload(uploaded_file=lying, uploaded_by=uploader, max_bytes=1000)
    assert caught.value.code == "too_large"


def test_a_large_upload_streamed_from_a_temporary_file_is_hashed_in_chunks(uploader):
    content = PDF[:-7] + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    temporary = TemporaryUploadedFile("large.pdf", "application/pdf", len(content), None)
    temporary.write(content)
    temporary.seek(0)
    document = store_upload(uploaded_file=temporary, uploaded_by=uploader)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert verify_document(document)
    temporary.close()


def test_verify_document_notices_changed_bytes(uploader):
    document = store_upload(uploaded_file=upload("a.png", PNG), uploaded_by=uploader)
    assert verify_document(document)
    path = document.file.path
    with open(path, "ab") as stored:
        stored.write(b"tampered")
    assert not verify_document(document)


def test_the_download_is_an_attachment_with_the_checked_type_and_nosniff(uploader):
    document = store_upload(
        uploaded_file=upload("Paspoort Jan.png", PDF, "image/png"), uploaded_by=uploader
    )
    response = document_response(document)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # The name keeps what the user called it, with the extension of what it really is.
    assert 'filename="Paspoort Jan.png.pdf"' in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_a_download_keeps_a_name_whose_extension_already_fits(uploader):
    document = store_upload(uploaded_file=upload("scan.JPEG", JPEG), uploaded_by=uploader)
    response = document_response(document)
    assert 'filename="scan.JPEG"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/jpeg"
    response.close()
