"""Password login: throttling and lockout, logout by POST, log out everywhere, safe redirects."""

import datetime

import pytest
import time_machine
from accounts_helpers import PASSWORD
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wib.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def login_url():
    with translation.override("en"):
        return reverse("accounts:login")


def post_login(client, url, username, password, ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_a_correct_password_logs_in_and_is_recorded(world, client, login_url):
    response = post_login(client, login_url, world["employee"].username, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)
    assert LoginAttempt.objects.get().outcome == "succeeded"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(world, client, login_url):
    wrong = post_login(client, login_url, world["employee"].username, "not the password at all")
    unknown = post_login(client, login_url, "nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    assert "The username or password is incorrect." in wrong.content.decode()
    assert wrong.content.decode().replace(world["employee"].username, "X").count(
        "incorrect"
    ) == unknown.content.decode().replace("nobody-here", "X").count("incorrect")
    assert not is_logged_in(client)


@pytest.mark.parametrize("exists", [True, False])
def test_five_failures_lock_the_username_for_fifteen_minutes(world, client, login_url, exists):
    username = world["employee"].username if exists else "ghost-account"
    with time_machine.travel(MOMENT, tick=False) as clock:
        for _attempt in range(5):
            post_login(client, login_url, username, "wrong password 123")
            clock.shift(datetime.timedelta(seconds=30))
        response = post_login(client, login_url, username, PASSWORD)
        body = response.content.decode()
        assert "Too many failed login attempts" in body
        assert not is_logged_in(client)
        # Hammering a locked account does not extend the lock.
        for _attempt in range(10):
            post_login(client, login_url, username, "wrong password 123")
        clock.shift(datetime.timedelta(minutes=14))
        assert (
            "Too many failed" in post_login(client, login_url, username, PASSWORD).content.decode()
        )
        clock.shift(datetime.timedelta(minutes=2))
        response = post_login(client, login_url, username, PASSWORD)
        if exists:
            assert response.status_code == 302
            assert is_logged_in(client)
        else:
            assert "The username or password is incorrect." in response.content.decode()


def test_failures_spread_beyond_the_window_do_not_lock(world, client, login_url):
    username = world["employee"].username
    with time_machine.travel(MOMENT, tick=False) as clock:
        for _attempt in range(5):
            post_login(client, login_url, username, "wrong password 123")
            clock.shift(datetime.timedelta(minutes=4))
        response = post_login(client, login_url, username, PASSWORD)
    assert response.status_code == 302


def test_a_success_resets_the_count(world, client, login_url):
    username = world["employee"].username
    with time_machine.travel(MOMENT, tick=False):
        for _attempt in range(4):
            post_login(client, login_url, username, "wrong password 123")
        assert post_login(Client(), login_url, username, PASSWORD).status_code == 302
        for _attempt in range(4):
            post_login(client, login_url, username, "wrong password 123")
        assert post_login(Client(), login_url, username, PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address(world, client, login_url, settings):
    settings.WIB_LOGIN_MAX_FAILURES_PER_IP = 6
    with time_machine.travel(MOMENT, tick=False):
        for index in range(6):
            post_login(client, login_url, f"someone-{index}", "wrong password 123", ip="10.9.9.9")
        blocked = post_login(client, login_url, world["employee"].username, PASSWORD, ip="10.9.9.9")
        allowed = post_login(
            Client(), login_url, world["employee"].username, PASSWORD, ip="10.1.1.1"
        )
    assert "Too many failed login attempts" in blocked.content.decode()
    assert allowed.status_code == 302


def test_logout_only_by_post(world, client):
    client.force_login(world["employee"])
    url = reverse("accounts:logout")
    assert client.get(url).status_code == 405
    assert is_logged_in(client)
    assert client.post(url).status_code == 302
    assert not is_logged_in(client)


def test_log_out_everywhere_ends_every_session(world):
    laptop, phone = Client(), Client()
    laptop.force_login(world["employee"])
    phone.force_login(world["employee"])
    url = reverse("accounts:choose-enterprise")
    assert phone.get(url).status_code == 200
    response = laptop.post(reverse("accounts:logout-everywhere"))
    assert response.status_code == 302
    assert phone.get(url).status_code == 302  # back to the login page
    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(world):
    here, elsewhere = Client(), Client()
    here.force_login(world["employee"])
    elsewhere.force_login(world["employee"])
    response = here.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new long passphrase 7",
            "new_password2": "a brand new long passphrase 7",
        },
    )
    assert response.status_code == 302
    url = reverse("accounts:choose-enterprise")
    assert here.get(url).status_code == 200
    assert elsewhere.get(url).status_code == 302


def test_the_login_refuses_to_redirect_elsewhere(world, client, login_url):
    response = client.post(
        login_url + "?next=https://evil.example/",
        {"username": world["employee"].username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_login_form_carries_a_csrf_token_and_is_enforced(world, login_url):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(login_url)
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = strict.post(
        login_url, {"username": world["employee"].username, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_the_login_page_links_to_federated_login_only_when_configured(client, login_url, settings):
    settings.WIB_OIDC_CLIENT_ID = ""
    assert "/oidc/authenticate/" not in client.get(login_url).content.decode()
    settings.WIB_OIDC_CLIENT_ID = "wib"
    assert "/oidc/authenticate/" in client.get(login_url).content.decode()
