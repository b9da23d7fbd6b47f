"""A session still waiting for its second factor gets the API's JSON 401, never an HTML redirect."""

import pytest
from django.test import Client
from django.urls import reverse
from factories import official

from wib.accounts.testing import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_unverified():
    client = Client()
    client.force_login(official("flanders"))
    return client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/files"),
        ("get", "/api/v1/files/does-not-exist"),
        ("post", "/api/v1/files/does-not-exist/withdraw"),
        ("get", "/api/v1/no-such-endpoint"),
    ],
)
def test_an_unverified_official_gets_a_json_401_on_the_api(client_unverified, method, path):
    response = getattr(client_unverified, method)(
        path, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Location" not in response
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "second_factor_required"
    assert body["errors"] == []
    assert "authenticator app" in body["detail"]


def test_the_refusal_speaks_the_callers_language(client_unverified):
    english = client_unverified.get("/api/v1/files", HTTP_ACCEPT_LANGUAGE="en").json()
    french = client_unverified.get("/api/v1/files", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["code"] == english["code"] == "second_factor_required"
    assert french["detail"] != english["detail"]
    assert "authentification" in french["detail"]


def test_pages_still_redirect_to_the_second_factor(client_unverified):
    response = client_unverified.get(reverse("backoffice:queue"))
    assert response.status_code == 302
    assert "/second-factor/" in response["Location"]


def test_a_verified_official_passes_the_second_factor_check_on_the_api():
    client = Client()
    login_with_second_factor(client, official("flanders"))
    response = client.get("/api/v1/files", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code != 401 or response.json()["code"] != "second_factor_required"
    assert response["Content-Type"].startswith("application/json")


def test_an_unverified_administrator_is_refused_too():
    from factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.get("/api/v1/files", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"
