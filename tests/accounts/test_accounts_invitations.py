"""Access managers invite people by e-mail, change their roles and remove them."""

import datetime
import re

import pytest
import time_machine
from accounts_helpers import PASSWORD
from django.core import mail
from django.test import Client
from django.urls import reverse

from wib.accounts.models import EnterpriseMembership, Invitation
from wib.accounts.testing import act_for
from wib.audit.models import AuditRecord

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def manager_client(world):
    client = Client()
    client.force_login(world["manager"])
    act_for(client, world["employer"])
    return client


def invite(client, email="new.person@example.org", **extra):
    data = {"email": email, "grants_single_window_role": "on", **extra}
    return client.post(reverse("accounts:people"), data)


def link_in(message):
    return re.search(r"http://testserver(/\S+/invitation/[^/\s]+/)", message.body).group(1)


def test_an_invitation_is_mailed_and_accepting_creates_the_account(
    world, manager_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(manager_client).status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    invitation = Invitation.objects.get()
    assert len(invitation.token_hash) == 64 and invitation.token_hash not in mail.outbox[0].body
    link = link_in(mail.outbox[0])

    newcomer = Client()
    assert newcomer.get(link).status_code == 200
    response = newcomer.post(
        link,
        {
            "username": "newcomer",
            "first_name": "Nora",
            "last_name": "Peeters",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    membership = EnterpriseMembership.objects.get(user__username="newcomer")
    assert membership.enterprise == world["employer"]
    assert membership.has_single_window_role and not membership.is_access_manager
    # Single use: the same link no longer works.
    assert Client().get(link).status_code == 404
    assert AuditRecord.objects.filter(action="accounts.invitation_accepted").exists()


def test_an_expired_invitation_cannot_be_accepted(
    world, manager_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(manager_client)
    link = link_in(mail.outbox[0])
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)):
        assert Client().get(link).status_code == 404


def test_a_logged_in_person_accepts_into_the_existing_account(
    world, manager_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(manager_client, email="other@example.org")
    link = link_in(mail.outbox[0])
    existing = Client()
    existing.force_login(world["other_manager"])
    assert existing.post(link).status_code == 302
    assert EnterpriseMembership.objects.filter(
        user=world["other_manager"], enterprise=world["employer"]
    ).exists()


def test_a_cancelled_invitation_stops_working(
    world, manager_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(manager_client)
    link = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    manager_client.post(reverse("accounts:invitation-cancel", args=[invitation.pk]))
    assert Client().get(link).status_code == 404


def test_a_member_can_be_given_and_stripped_of_roles_and_removed(world, manager_client):
    membership = EnterpriseMembership.objects.get(user=world["employee"])
    url = reverse("accounts:member", args=[membership.pk])
    manager_client.post(url, {"is_access_manager": "on"})
    membership.refresh_from_db()
    assert membership.is_access_manager and not membership.has_single_window_role
    manager_client.post(reverse("accounts:member-remove", args=[membership.pk]))
    assert not EnterpriseMembership.objects.filter(pk=membership.pk).exists()


def test_the_last_access_manager_stays(world, manager_client):
    own = EnterpriseMembership.objects.get(user=world["manager"])
    response = manager_client.post(reverse("accounts:member", args=[own.pk]), {})
    assert response.status_code == 200
    assert "at least one access manager" in response.content.decode()
    manager_client.post(reverse("accounts:member-remove", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_access_manager


def test_a_plain_employee_cannot_manage_people(world):
    client = Client()
    client.force_login(world["employee"])
    act_for(client, world["employer"])
    assert client.get(reverse("accounts:people")).status_code == 403
    assert invite(client).status_code == 403
    assert not Invitation.objects.exists()


def test_the_first_access_manager_is_set_by_command(world, make_user):
    from django.core.management import call_command

    person = make_user("first")
    call_command(
        "grant_access_manager", enterprise=str(world["other_employer"]), user=person.username
    )
    membership = EnterpriseMembership.objects.get(user=person)
    assert membership.enterprise == world["other_employer"] and membership.is_access_manager
