"""The API v1 endpoints, each allowed and refused, through session and token."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from factories import FileFactory

from wib.api.models import ApiToken
from wib.api.tokens import revoke_api_token
from wib.audit.models import AuditRecord
from wib.files.models import File

pytestmark = pytest.mark.django_db


def test_files_list_shows_only_the_callers_files(client, world):
    client.force_login(world["user"])
    response = client.get("/api/v1/files")
    assert response.status_code == 200
    body = response.json()
    ids = {row["public_id"] for row in body["results"]}
    assert ids == {str(world["own"].public_id), str(world["draft"].public_id)}
    assert body["count"] == 2
    assert str(world["foreign"].public_id) not in ids


def test_files_list_filters_and_pages(client, world):
    client.force_login(world["user"])
    body = client.get("/api/v1/files", {"state": "draft"}).json()
    assert [row["public_id"] for row in body["results"]] == [str(world["draft"].public_id)]
    body = client.get("/api/v1/files", {"q": "Li Wei"}).json()
    assert body["count"] == 1
    first = client.get("/api/v1/files", {"page_size": 1, "page": 1}).json()
    second = client.get("/api/v1/files", {"page_size": 1, "page": 2}).json()
    assert first["pages"] == 2
    assert first["results"][0]["public_id"] != second["results"][0]["public_id"]
    beyond = client.get("/api/v1/files", {"page_size": 1, "page": 9}).json()
    assert beyond["results"] == [] and beyond["count"] == 2


def test_anonymous_caller_gets_401_json(client, world):
    response = client.get("/api/v1/files")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"
    assert client.get(f"/api/v1/files/{world['own'].public_id}").status_code == 401


def test_file_detail_own_and_foreign_is_404_like_missing(client, world):
    client.force_login(world["user"])
    own = client.get(f"/api/v1/files/{world['own'].public_id}")
    assert own.status_code == 200
    assert own.json()["reference"] == world["own"].reference
    assert own.json()["version"] == world["own"].version
    foreign = client.get(f"/api/v1/files/{world['foreign'].public_id}")
    missing = client.get(f"/api/v1/files/{uuid.uuid4()}")
    malformed = client.get("/api/v1/files/not-a-uuid")
    assert foreign.status_code == missing.status_code == malformed.status_code == 404
    assert foreign.content == missing.content == malformed.content


def test_timeline_own_and_foreign(client, world):
    from wib.files.services import withdraw_file

    withdraw_file(file=world["draft"], actor=world["user"], reason="Changed plans")
    client.force_login(world["user"])
    response = client.get(f"/api/v1/files/{world['draft'].public_id}/timeline")
    assert response.status_code == 200
    entries = response.json()
    assert [entry["action"] for entry in entries] == ["withdraw"]
    assert entries[0]["message"] == "Changed plans"
    assert "internal_note" not in entries[0]
    assert client.get(f"/api/v1/files/{world['foreign'].public_id}/timeline").status_code == 404


def test_withdraw_with_expected_version(client, world):
    client.force_login(world["user"], backend=None)
    file = world["own"]
    csrf_client = Client(enforce_csrf_checks=False)
    csrf_client.force_login(world["user"])
    response = csrf_client.post(
        f"/api/v1/files/{file.public_id}/withdraw",
        {"expected_version": file.version, "reason": "No longer needed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    file.refresh_from_db()
    assert file.state == "withdrawn"
    assert AuditRecord.objects.filter(
        action="file.withdraw", target_id=str(file.public_id)
    ).exists()


def test_withdraw_with_stale_version_is_409_and_changes_nothing(client, world):
    client.force_login(world["user"])
    file = world["own"]
    response = client.post(
        f"/api/v1/files/{file.public_id}/withdraw",
        {"expected_version": file.version + 5},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_change"
    file.refresh_from_db()
    assert file.state == "submitted"


def test_withdraw_of_a_closed_file_is_409(client, world):
    closed = FileFactory(employer=world["employer"], state="granted")
    client.force_login(world["user"])
    response = client.post(
        f"/api/v1/files/{closed.public_id}/withdraw",
        {"expected_version": closed.version},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_possible"


def test_withdraw_of_a_foreign_file_is_404_and_changes_nothing(client, world):
    client.force_login(world["user"])
    foreign = world["foreign"]
    response = client.post(
        f"/api/v1/files/{foreign.public_id}/withdraw",
        {"expected_version": foreign.version},
        content_type="application/json",
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "submitted"


def test_session_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["user"])
    response = client.post(
        f"/api/v1/files/{world['own'].public_id}/withdraw",
        {"expected_version": world["own"].version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    world["own"].refresh_from_db()
    assert world["own"].state == "submitted"


def test_session_post_with_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["user"])
    client.get("/nl/")  # sets the CSRF cookie through the page's form
    token = client.cookies.get("csrftoken")
    if token is None:
        from django.middleware.csrf import _get_new_csrf_string

        token_value = _get_new_csrf_string()
        client.cookies["csrftoken"] = token_value
    else:
        token_value = token.value
    response = client.post(
        f"/api/v1/files/{world['own'].public_id}/withdraw",
        {"expected_version": world["own"].version},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token_value,
    )
    assert response.status_code == 200, response.content


def test_token_reaches_its_enterprise_files_without_csrf(world, token_for):
    client = Client(enforce_csrf_checks=True)
    headers = token_for(world["user"], world["employer"])
    body = client.get("/api/v1/files", **headers).json()
    assert body["count"] == 2
    response = client.post(
        f"/api/v1/files/{world['own'].public_id}/withdraw",
        {"expected_version": world["own"].version},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(owner=world["user"])
    assert token.last_used_at is not None


def test_token_is_limited_to_its_acting_enterprise(world, token_for):
    # The same person also belongs to a second enterprise with a file of its own.
    from factories import EnterpriseFactory, MembershipFactory

    second = EnterpriseFactory()
    MembershipFactory(user=world["user"], enterprise=second)
    other_file = FileFactory(employer=second, state="submitted")
    headers = token_for(world["user"], world["employer"])
    client = Client()
    ids = {row["public_id"] for row in client.get("/api/v1/files", **headers).json()["results"]}
    assert str(other_file.public_id) not in ids
    assert client.get(f"/api/v1/files/{other_file.public_id}", **headers).status_code == 404
    # The session, which carries all the person's rights, sees it.
    client.force_login(world["user"])
    assert client.get(f"/api/v1/files/{other_file.public_id}").status_code == 200


def test_mandatary_token_reaches_the_mandating_employers_files(world, mandated, token_for):
    user, firm = mandated
    headers = token_for(user, firm)
    response = Client().get(f"/api/v1/files/{world['own'].public_id}", **headers)
    assert response.status_code == 200
    assert Client().get(f"/api/v1/files/{world['foreign'].public_id}", **headers).status_code == 404


def test_revoked_token_and_lost_membership_stop_working(world, token_for):
    headers = token_for(world["user"], world["employer"])
    client = Client()
    assert client.get("/api/v1/files", **headers).status_code == 200
    world["user"].enterprise_memberships.filter(enterprise=world["employer"]).update(
        has_single_window_role=False
    )
    assert client.get("/api/v1/files", **headers).status_code == 401
    world["user"].enterprise_memberships.filter(enterprise=world["employer"]).update(
        has_single_window_role=True
    )
    assert client.get("/api/v1/files", **headers).status_code == 200
    revoke_api_token(actor=world["user"], token=ApiToken.objects.get(owner=world["user"]))
    assert client.get("/api/v1/files", **headers).status_code == 401
    assert client.get("/api/v1/files", HTTP_AUTHORIZATION="Bearer wib_guessed").status_code == 401


def test_official_sees_no_files_through_the_applicant_api(client, world):
    from factories import official

    from wib.accounts.testing import login_with_second_factor

    officer = official("flanders")
    login_with_second_factor(client, officer)
    assert client.get("/api/v1/files").json()["count"] == 0
    assert client.get(f"/api/v1/files/{world['own'].public_id}").status_code == 404


def test_authority_is_public_and_explains(client, db):
    response = client.get("/api/v1/authority", {"postcode": "1630"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["authority"] == "flanders"
    assert body["municipality"]["refnis"]
    assert body["explanation"]
    assert client.get("/api/v1/authority", {"postcode": "1180"}).json()["authority"] == "brussels"
    assert client.get("/api/v1/authority", {"postcode": "4700"}).json()["authority"] == (
        "german-speaking-community"
    )
    residence = client.get("/api/v1/authority", {"postcode": "1410", "basis": "residence"})
    assert residence.json()["authority"] == "wallonia"
    assert residence.json()["basis"] == "residence"


def test_authority_for_a_spanning_postcode_lists_both_municipalities(client, db):
    body = client.get("/api/v1/authority", {"postcode": "1040"}).json()
    assert body["authority"] == "brussels"
    assert body["municipality"] is None
    assert len(body["municipalities"]) == 2
    chosen = body["municipalities"][0]["refnis"]
    picked = client.get("/api/v1/authority", {"postcode": "1040", "municipality": chosen}).json()
    assert picked["municipality"]["refnis"] == chosen


def test_enterprise_lookup_requires_sign_in(client, world):
    number = world["employer"].number
    assert client.get(f"/api/v1/enterprises/{number}").status_code == 401
    client.force_login(world["stranger"])
    response = client.get(f"/api/v1/enterprises/{number[:4]}.{number[4:7]}.{number[7:]}")
    assert response.status_code == 200
    assert response.json()["number"] == number


def test_enterprise_lookup_unknown_number_is_404(client, world):
    from wib.core.identifiers import make_enterprise_number

    client.force_login(world["user"])
    response = client.get(f"/api/v1/enterprises/{make_enterprise_number(7_777_777)}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_document_is_public(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_docs_page_only_in_debug(client, db, settings):
    settings.DEBUG = False
    assert client.get("/api/v1/docs").status_code == 404
    settings.DEBUG = True
    assert client.get("/api/v1/docs").status_code == 200


def test_file_model_untouched_by_reads(client, world):
    client.force_login(world["user"])
    before = File.objects.get(pk=world["own"].pk).updated_at
    client.get(f"/api/v1/files/{world['own'].public_id}")
    assert File.objects.get(pk=world["own"].pk).updated_at == before


def test_unknown_address_under_the_api_is_a_json_404(client, db):
    response = client.get("/api/v1/nothing/here", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Introuvable.", "errors": []}
