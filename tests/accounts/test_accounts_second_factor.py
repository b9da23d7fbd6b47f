"""The second factor: officials and administrators enrol, then confirm a code on every login."""

import datetime
import re

import pytest
import time_machine
from accounts_helpers import PASSWORD
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wib.accounts.testing import login_with_second_factor

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def test_an_official_must_enrol_then_verify_on_every_login(world):
    official = world["flanders"]
    admin_url = reverse("admin:index")
    with time_machine.travel(MOMENT, tick=False) as clock:
        client = Client()
        response = log_in(client, official)
        assert client.get(response["Location"])["Location"].startswith(
            reverse("accounts:otp-enrol")
        )
        # Every protected page sends the official back to the enrolment.
        assert client.get(admin_url)["Location"].startswith(reverse("accounts:otp-enrol"))
        page = client.get(reverse("accounts:otp-enrol")).content.decode()
        assert "otpauth://totp/" in page
        assert "<svg" in page and "style=" not in page and "<script" not in page
        device = TOTPDevice.objects.get(user=official, confirmed=False)
        secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
        assert len(secret) >= 32

        wrong = client.post(reverse("accounts:otp-enrol"), {"token": "000000"})
        assert wrong.status_code == 200
        device.refresh_from_db()
        assert not device.confirmed
        clock.shift(datetime.timedelta(seconds=5))  # django-otp slows down after a wrong code

        response = client.post(reverse("accounts:otp-enrol"), {"token": code_for(device)})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed

        # Next login: a password alone is not enough, and no second device can be enrolled.
        clock.shift(datetime.timedelta(minutes=1))
        second = Client()
        log_in(second, official)
        assert second.get(admin_url)["Location"].startswith(reverse("accounts:otp-verify"))
        assert second.get(reverse("accounts:otp-enrol"))["Location"].startswith(
            reverse("accounts:otp-verify")
        )
        assert second.post(reverse("accounts:otp-verify"), {"token": "123456"}).status_code == 200
        assert second.get(admin_url).status_code == 302
        clock.shift(datetime.timedelta(seconds=5))
        response = second.post(reverse("accounts:otp-verify"), {"token": code_for(device)})
        assert response.status_code == 302
        assert TOTPDevice.objects.filter(user=official).count() == 1


def test_an_administrator_reaches_the_admin_only_after_the_second_factor(world):
    admin = world["admin"]
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp-enrol"))
    verified = Client()
    login_with_second_factor(verified, admin)
    assert verified.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_form_is_replaced_by_the_throttled_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_employer_users_need_no_second_factor(world, client):
    client.force_login(world["employee"])
    assert client.get(reverse("accounts:choose-enterprise")).status_code == 200
    assert client.get(reverse("accounts:otp-enrol"))["Location"] == reverse("accounts:start")


def test_guessing_codes_is_limited(world):
    official = world["wallonia"]
    client = Client()
    device = TOTPDevice.objects.create(user=official, name="app", confirmed=True)
    client.force_login(official)
    with time_machine.travel(MOMENT, tick=False):
        for _guess in range(10):
            client.post(reverse("accounts:otp-verify"), {"token": "111111"})
        response = client.post(reverse("accounts:otp-verify"), {"token": code_for(device)})
        assert response.status_code == 200
        assert "Too many attempts" in response.content.decode()
