"""Mandates: given by the employer's access manager, revoked with immediate effect."""

import pytest
from django.test import Client
from django.urls import reverse

from wib.accounts import permissions
from wib.accounts.access import ACTING_ENTERPRISE_SESSION_KEY
from wib.accounts.models import Mandate
from wib.accounts.testing import act_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(world):
    client = Client()
    client.force_login(world["manager"])
    act_for(client, world["employer"])
    return client


def grant(client, number, starts_on="2026-01-01", ends_on=""):
    return client.post(
        reverse("accounts:mandate-grant"),
        {"mandatary_number": number, "starts_on": starts_on, "ends_on": ends_on},
    )


def test_a_mandate_is_given_by_enterprise_number_in_any_spelling(world, manager_client):
    number = world["other_employer"].number
    spelled = f"BE {number[:4]}.{number[4:7]}.{number[7:]}"
    assert grant(manager_client, spelled).status_code == 302
    mandate = Mandate.objects.get(mandatary=world["other_employer"])
    assert mandate.procedure_group == "foreign-workers" and mandate.ends_on is None
    assert world["employer"].number in set(
        permissions.employers_acted_for(world["other_manager"]).values_list("number", flat=True)
    )


@pytest.mark.parametrize(
    "number, message",
    [
        ("0123.456.700", "check"),
        ("0199.999.944", "No enterprise with this number"),
    ],
)
def test_wrong_or_unknown_numbers_are_refused(world, manager_client, number, message):
    response = grant(manager_client, number)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Mandate.objects.count() == 1


def test_a_mandate_to_oneself_or_ending_before_it_starts_is_refused(world, manager_client):
    assert grant(manager_client, world["employer"].number).status_code == 200
    assert (
        grant(
            manager_client, world["other_employer"].number, "2026-05-01", "2026-04-01"
        ).status_code
        == 200
    )
    assert Mandate.objects.count() == 1


def test_revocation_removes_the_mandatary_at_once_even_mid_session(world, manager_client):
    mandatary_client = Client()
    mandatary_client.force_login(world["mandatary_user"])
    act_for(mandatary_client, world["employer"])
    assert world["employer"].number in set(
        permissions.employers_acted_for(world["mandatary_user"]).values_list("number", flat=True)
    )
    choose = mandatary_client.get(reverse("accounts:choose-enterprise")).content.decode()
    assert "as mandatary, through" in choose

    url = reverse("accounts:mandate-revoke", args=[world["mandate"].pk])
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url).status_code == 302
    world["mandate"].refresh_from_db()
    assert world["mandate"].revoked_at is not None
    assert world["employer"].number not in set(
        permissions.employers_acted_for(world["mandatary_user"]).values_list("number", flat=True)
    )
    # The session still names the employer, but the choice page no longer offers or keeps it.
    assert mandatary_client.session[ACTING_ENTERPRISE_SESSION_KEY] == world["employer"].number
    page = mandatary_client.get(reverse("accounts:choose-enterprise")).content.decode()
    assert "as mandatary, through" not in page
    assert ACTING_ENTERPRISE_SESSION_KEY not in mandatary_client.session
    # The employer is told what happened to the drafts.
    listing = manager_client.get(reverse("accounts:mandates-given")).content.decode()
    assert "Drafts it started are yours" in listing


def test_the_mandatary_sees_mandates_received(world):
    client = Client()
    client.force_login(world["mandatary_manager"])
    act_for(client, world["mandatary"])
    page = client.get(reverse("accounts:mandates-received")).content.decode()
    assert str(world["employer"]) in page
