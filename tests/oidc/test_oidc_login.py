"""The authorization-code flow against a real OpenID provider, over real HTTP redirects."""

import re
from html import unescape
from urllib.parse import urljoin

import httpx
import pytest
from django.contrib.auth import get_user_model
from oidc_test_settings import CLIENT_ID, CLIENT_SECRET, TEST_NRN

from wib.accounts import oidc

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def configured(settings, oidc_provider):
    settings.WIB_OIDC_ISSUER = oidc_provider
    settings.WIB_OIDC_CLIENT_ID = CLIENT_ID
    settings.WIB_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.WIB_OIDC_SCOPES = "openid profile email nrn"
    settings.WIB_OIDC_NRN_CLAIM = "nrn"
    oidc._discovery_cache.clear()
    yield
    oidc._discovery_cache.clear()


def submit_form(client, response, **values):
    """Submit the first form of a page as a browser would, with its hidden fields."""
    html = response.text
    form = re.search(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", html, re.S)
    assert form, f"no form on {response.url}"
    action = urljoin(str(response.url), unescape(form.group(1)))
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r"<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"",
            form.group(2),
        )
    }
    fields.update(values)
    return client.post(action, data=fields)


def log_in_through_provider(live_server, oidc_provider):
    with httpx.Client(follow_redirects=True, timeout=20) as client:
        response = client.get(f"{live_server.url}/oidc/authenticate/")
        assert str(response.url).startswith(oidc_provider), response.url
        # The provider's own login form, then its consent form.
        response = submit_form(client, response, login="worker", password="any password")
        assert str(response.url).startswith(oidc_provider)
        response = submit_form(client, response)
        assert str(response.url).startswith(live_server.url), response.url
        page = client.get(f"{live_server.url}/en/account/logout-everywhere/")
        return response, page


def test_a_person_logs_in_through_the_provider_and_gets_an_account(
    live_server, oidc_provider, configured
):
    landing, page = log_in_through_provider(live_server, oidc_provider)
    assert landing.status_code == 200
    assert page.status_code == 200 and "/account/login/" not in str(page.url)
    user = get_user_model().objects.get(national_register_number=TEST_NRN)
    assert (user.first_name, user.last_name) == ("Ana", "Silva")
    assert not user.has_usable_password()
    assert "Ana Silva" in page.text


def test_an_existing_person_is_matched_by_national_register_number(
    live_server, oidc_provider, configured
):
    existing = get_user_model().objects.create_user(
        username="ana", national_register_number=TEST_NRN
    )
    _landing, page = log_in_through_provider(live_server, oidc_provider)
    assert page.status_code == 200 and "/account/login/" not in str(page.url)
    assert get_user_model().objects.filter(national_register_number=TEST_NRN).count() == 1
    assert "Ana Silva" in page.text
    existing.refresh_from_db()
    assert existing.first_name == "Ana"


def test_a_missing_national_register_number_refuses_the_login(
    live_server, oidc_provider, configured, settings
):
    settings.WIB_OIDC_NRN_CLAIM = "egovNRN"  # the provider does not send this claim
    with httpx.Client(follow_redirects=True, timeout=20) as client:
        response = client.get(f"{live_server.url}/oidc/authenticate/")
        response = submit_form(client, response, login="worker", password="any password")
        response = submit_form(client, response)
        assert "/account/login/" in str(response.url)
    assert not get_user_model().objects.filter(national_register_number=TEST_NRN).exists()


def test_federated_login_is_off_without_configuration(live_server, settings):
    settings.WIB_OIDC_CLIENT_ID = ""
    response = httpx.get(f"{live_server.url}/oidc/authenticate/")
    assert response.status_code == 404
