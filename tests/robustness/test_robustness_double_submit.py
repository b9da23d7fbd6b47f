"""A double click, a stale form, an expired session: exactly one effect, and nothing lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from robustness_helpers import EMPLOYER, OFFICIAL, build_world, client_for, state_of_the_world

from wib.accounts.testing import act_for
from wib.deliveries.models import OutboxMessage
from wib.files.models import FileEvent

pytestmark = pytest.mark.django_db

WORKER = {
    "first_name": "Asha",
    "last_name": "Rao",
    "birth_date": "1992-03-04",
    "nationality": "IN",
    "insz": "",
    "passport_number": "P7654321",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


def _url(name: str, file: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"public_id": file.public_id, **kwargs})


def _events(file: Any, action: str) -> int:
    return FileEvent.objects.filter(file=file, action=action).count()


def _page(client: Client, response: Any) -> str:
    """The page a redirect leads to (where the flash message is shown)."""
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"], follow=True).content.decode()


def test_a_section_posted_twice_from_the_same_form_is_saved_once(world):
    client = client_for(world, EMPLOYER)
    draft = world.draft
    url = _url("web:applications:section", draft, section="worker")
    form = {**WORKER, "version": draft.version}

    first = client.post(url, form)
    second = client.post(url, {**form, "passport_number": "P0000000"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Someone else changed this application" in second.content.decode()
    # The second click's input is shown again, not lost, and not saved over the first.
    assert 'value="P0000000"' in second.content.decode()
    draft.refresh_from_db()
    assert draft.version == form["version"] + 1
    assert draft.section_data("worker")["passport_number"] == "P7654321"


def test_a_submission_clicked_twice_is_submitted_once(world):
    client = client_for(world, EMPLOYER)
    draft = world.draft
    url = _url("web:applications:check", draft)
    form = {"declaration": "on", "version": draft.version}

    first = client.post(url, form)
    outbox_after_first = OutboxMessage.objects.count()
    second = client.post(url, form)

    assert first["Location"] == second["Location"] == _url("web:applications:submitted", draft)
    assert _events(draft, "submit") == 1
    assert OutboxMessage.objects.count() == outbox_after_first > 0
    draft.refresh_from_db()
    assert draft.state == "submitted"
    assert draft.reference in _page(client, second)


def test_an_official_action_clicked_twice_takes_effect_once(world):
    client = client_for(world, OFFICIAL)
    file = world.submitted
    url = _url("backoffice:action", file, action="declare_admissible")
    form = {"declare_admissible-version": file.version, "declare_admissible-note": "Complete."}

    first = client.post(url, form)
    before_second = state_of_the_world()
    second = client.post(url, form)

    assert first.status_code == second.status_code == 302
    assert _events(file, "declare_admissible") == 1
    assert state_of_the_world() == before_second
    page = _page(client, second)
    assert "changed by someone else in the meantime" in page
    file.refresh_from_db()
    assert file.state == "admissible"


def test_a_withdrawal_clicked_twice_withdraws_once(world):
    client = client_for(world, EMPLOYER)
    file = world.submitted
    url = _url("web:applications:withdraw", file)
    form = {"version": file.version, "reason": "Another job.", "confirm": "on"}

    first = client.post(url, form)
    assert "The application has been withdrawn." in _page(client, first)
    before_second = state_of_the_world()
    second = client.post(url, form)

    assert _events(file, "withdraw") == 1
    assert state_of_the_world() == before_second
    assert "This application can no longer be withdrawn." in _page(client, second)


def test_a_form_posted_after_the_session_expired_asks_to_sign_in_and_loses_nothing(world):
    client = Client()
    client.force_login(world.employer_user)
    act_for(client, world.employer)
    draft = world.draft
    url = _url("web:applications:section", draft, section="worker")
    saved_before = draft.section_data("worker")
    page = client.get(url)
    assert page.status_code == 200

    later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later, tick=False):
        before = state_of_the_world()
        response = client.post(url, {**WORKER, "version": draft.version})

        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
        # After signing in again the person comes back to this very page.
        assert "next=" in response["Location"]
        assert state_of_the_world() == before
        draft.refresh_from_db()
        assert draft.section_data("worker") == saved_before

        client.force_login(world.employer_user)
        act_for(client, world.employer)
        again = client.post(url, {**WORKER, "version": draft.version})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.section_data("worker")["passport_number"] == "P7654321"
