"""Malformed API calls answer 4xx JSON (translated), never a 500; rate limits answer 429."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

pytestmark = pytest.mark.django_db


def _withdraw(client, file, body, **extra):
    return client.post(
        f"/api/v1/files/{file.public_id}/withdraw", body, content_type="application/json", **extra
    )


@pytest.fixture
def signed_in(client, world):
    client.force_login(world["user"])
    return client


def test_bad_json_is_400(signed_in, world):
    response = _withdraw(signed_in, world["own"], "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


@pytest.mark.parametrize(
    ("body", "location", "kind"),
    [
        ({"expected_version": "three"}, ["body", "payload", "expected_version"], "int_parsing"),
        ({}, ["body", "payload", "expected_version"], "missing"),
        (
            {"expected_version": 1, "state": "granted"},
            ["body", "payload", "state"],
            "extra_forbidden",
        ),
        ({"expected_version": 0}, ["body", "payload", "expected_version"], "greater_than_equal"),
        ({"expected_version": 1, "reason": ["a"]}, ["body", "payload", "reason"], "string_type"),
    ],
    ids=["wrong-type", "missing", "unknown-field", "out-of-range", "list-for-text"],
)
def test_malformed_withdraw_body_is_422_and_changes_nothing(signed_in, world, body, location, kind):
    response = _withdraw(signed_in, world["own"], body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["code"] == "invalid_request"
    assert any(e["loc"] == location and e["type"] == kind for e in payload["errors"]), payload
    world["own"].refresh_from_db()
    assert world["own"].state == "submitted"


def test_json_array_instead_of_object_is_422(signed_in, world):
    response = _withdraw(signed_in, world["own"], [1, 2])
    assert response.status_code == 422


def test_wrong_query_types_are_422(signed_in):
    for params in ({"page": "x"}, {"page": 0}, {"page_size": 1000}, {"open_only": "maybe"}):
        response = signed_in.get("/api/v1/files", params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["loc"][0] == "query"


@pytest.mark.parametrize("number", ["0123.456.789", "12345", "BE-abc", "9" * 30])
def test_invalid_enterprise_number_is_422(signed_in, number):
    response = signed_in.get(f"/api/v1/enterprises/{number}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_value"
    assert body["errors"][0]["loc"] == ["number"]
    assert body["detail"]


@pytest.mark.parametrize("postcode", ["9999", "12", "abcd", ""])
def test_invalid_postcode_is_422(client, db, postcode):
    response = client.get("/api/v1/authority", {"postcode": postcode})
    assert response.status_code == 422
    assert response.json()["code"] in {"invalid_value", "invalid_request"}


def test_missing_postcode_and_unknown_basis_are_422(client, db):
    assert client.get("/api/v1/authority").json()["errors"][0]["type"] == "missing"
    response = client.get("/api/v1/authority", {"postcode": "1630", "basis": "holiday"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "literal_error"


def test_municipality_outside_the_postcode_is_422(client, db):
    response = client.get("/api/v1/authority", {"postcode": "1040", "municipality": "11002"})
    assert response.status_code == 422


def test_errors_are_translated_by_accept_language(client, db):
    english = client.get("/api/v1/authority", {"postcode": "9999"}, HTTP_ACCEPT_LANGUAGE="en")
    dutch = client.get("/api/v1/authority", {"postcode": "9999"}, HTTP_ACCEPT_LANGUAGE="nl")
    french = client.get("/api/v1/authority", HTTP_ACCEPT_LANGUAGE="fr")
    german = client.get("/api/v1/files", HTTP_ACCEPT_LANGUAGE="de")
    assert english.json()["detail"] != dutch.json()["detail"]
    assert "postcode" in english.json()["detail"].lower()
    assert french.json()["detail"] == "La demande n’est pas valable."
    assert french.json()["errors"][0]["message"] == "Ce champ est obligatoire."
    assert german.json()["detail"].startswith("Melden Sie sich an")


def test_rate_limit_per_caller_gives_429_with_retry_after(signed_in, settings):
    settings.WIB_API_RATE_LIMIT_PER_CALLER = 3
    with time_machine.travel("2026-03-02 10:00:05+00:00", tick=False):
        statuses = [signed_in.get("/api/v1/files").status_code for _ in range(4)]
        refused = signed_in.get("/api/v1/files")
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["Retry-After"] == "55"
    with time_machine.travel("2026-03-02 10:01:01+00:00", tick=False):
        assert signed_in.get("/api/v1/files").status_code == 200


def test_rate_limit_per_token_is_separate_from_the_session(world, token_for, settings):
    settings.WIB_API_RATE_LIMIT_PER_CALLER = 2
    headers = token_for(world["user"], world["employer"])
    session = Client()
    session.force_login(world["user"])
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        assert [Client().get("/api/v1/files", **headers).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        assert session.get("/api/v1/files").status_code == 200


def test_rate_limit_per_ip_covers_the_public_endpoint(client, db, settings):
    settings.WIB_API_RATE_LIMIT_PER_IP = 2
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        codes = [
            client.get("/api/v1/authority", {"postcode": "1630"}).status_code for _ in range(3)
        ]
        other_address = client.get(
            "/api/v1/authority", {"postcode": "1630"}, REMOTE_ADDR="192.0.2.9"
        )
    assert codes == [200, 200, 429]
    assert other_address.status_code == 200


def test_guessing_tokens_is_rate_limited_by_address(client, db, settings):
    settings.WIB_API_RATE_LIMIT_PER_IP = 2
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        codes = [
            client.get("/api/v1/files", HTTP_AUTHORIZATION=f"Bearer wib_guess{n}").status_code
            for n in range(3)
        ]
    assert codes == [401, 401, 429]
