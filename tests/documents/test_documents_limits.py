"""A request body over the limit gets a clear, translated 413 page, never a 400 or 500."""

import pytest
from django.test import Client

from wib.documents.limits import megabytes

pytestmark = pytest.mark.django_db


def test_a_claimed_200_megabyte_upload_is_refused_before_it_is_read(client: Client):
    response = client.post(
        "/en/",
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "larger than 32 MB" in body
    assert "Each document may be at most 10 MB" in body
    assert "web/base.html" in [t.name for t in response.templates]


def test_a_real_body_over_the_multipart_limit_is_refused(client: Client, settings):
    settings.WIB_REQUEST_MAX_BYTES = 50_000
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/nl/", {"document": SimpleUploadedFile("big.pdf", b"%PDF-" + bytes(60_000))}
    )
    assert response.status_code == 413
    assert "groter dan" in response.content.decode()


def test_too_much_form_data_is_a_413_not_a_400(client: Client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/fr/", {"note": "x" * 5000, "other": "y"}, format="multipart")
    assert response.status_code == 413
    assert "Ce que vous avez envoyé" in response.content.decode()


def test_a_large_urlencoded_body_is_refused(client: Client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/de/", data="note=" + "x" * 5000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "größer als" in response.content.decode()


def test_an_api_client_gets_json(client: Client):
    response = client.post(
        "/api/v1/anything",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_body_within_the_limits_passes_through(client: Client):
    response = client.post("/en/", {"note": "small"})
    assert response.status_code != 413


def test_megabytes_are_shown_in_the_active_language():
    from django.utils import translation

    with translation.override("nl"):
        assert megabytes(10 * 1024 * 1024) == "10"
        assert megabytes(int(2.5 * 1024 * 1024)) == "2,5"
    with translation.override("en"):
        assert megabytes(int(2.5 * 1024 * 1024)) == "2.5"
