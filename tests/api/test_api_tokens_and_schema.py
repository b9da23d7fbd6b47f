"""Personal API tokens (page, hashing, revocation) and the structure of the OpenAPI document."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from factories import EnterpriseFactory, official

from wib.accounts.testing import login_with_second_factor
from wib.api.models import ApiToken
from wib.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

PAGE = "/en/account/api-tokens/"


def test_token_page_creates_a_token_shown_once(client, world):
    client.force_login(world["user"])
    response = client.post(PAGE, {"name": "Payroll sync", "enterprise": world["employer"].number})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r"wib_[A-Za-z0-9_\-]{40,}", response.content.decode()).group(0)
    token = ApiToken.objects.get(owner=world["user"])
    assert secret not in token.token_hash and token.token_hash != secret
    assert secret.startswith(token.prefix)
    assert AuditRecord.objects.filter(action="api_token.create", target_id=str(token.pk)).exists()
    again = client.get(PAGE).content.decode()
    assert secret not in again and token.prefix in again
    api = Client().get("/api/v1/files", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200


def test_token_page_refuses_a_foreign_enterprise_and_a_blank_name(client, world):
    client.force_login(world["user"])
    response = client.post(PAGE, {"name": "x", "enterprise": world["stranger_employer"].number})
    assert response.status_code == 200
    assert ApiToken.objects.count() == 0
    response = client.post(PAGE, {"name": "  ", "enterprise": world["employer"].number})
    assert ApiToken.objects.count() == 0
    assert b"error-summary" in response.content


def test_token_revocation_by_owner_only(client, world, token_for):
    headers = token_for(world["user"], world["employer"])
    token = ApiToken.objects.get(owner=world["user"])
    client.force_login(world["stranger"])
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(world["user"])
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/files", **headers).status_code == 401


def test_token_page_for_anonymous_official_and_worker(client, db):
    assert client.get(PAGE).status_code == 302
    officer = official("flanders")
    login_with_second_factor(client, officer)
    assert client.get(PAGE).status_code == 403
    EnterpriseFactory()
    from factories import WorkerUserFactory

    client.force_login(WorkerUserFactory())
    assert client.get(PAGE).status_code == 403


# --- OpenAPI ---------------------------------------------------------------------------------


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/openapi.json").json()


def test_openapi_document_structure(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] and schema["info"]["version"] == "1"
    expected = {
        ("/api/v1/files", "get"),
        ("/api/v1/files/{public_id}", "get"),
        ("/api/v1/files/{public_id}/timeline", "get"),
        ("/api/v1/files/{public_id}/withdraw", "post"),
        ("/api/v1/authority", "get"),
        ("/api/v1/enterprises/{number}", "get"),
    }
    found = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert expected <= found
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for path, item in schema["paths"].items():
        placeholders = set(re.findall(r"{(\w+)}", path))
        for operation in item.values():
            assert "200" in operation["responses"], path
            path_params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert path_params == placeholders, path
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "path", "header", "cookie"}
                assert "schema" in parameter


def test_openapi_references_all_resolve(schema):
    components = schema.get("components", {})
    for reference in set(_refs(schema)):
        assert reference.startswith("#/components/"), reference
        _hash, _components, section, name = reference.split("/")
        assert name in components[section], reference


def test_openapi_declares_security_and_public_authority(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} >= {"http", "apiKey"}
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())
    assert "security" not in schema["paths"]["/api/v1/authority"]["get"]
    assert schema["paths"]["/api/v1/files"]["get"]["security"]
    body = schema["paths"]["/api/v1/files/{public_id}/withdraw"]["post"]["requestBody"]
    reference = body["content"]["application/json"]["schema"]["$ref"]
    withdraw = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert withdraw["additionalProperties"] is False
    assert "expected_version" in withdraw["required"]
