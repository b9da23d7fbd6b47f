"""Every role against every access page, with own and foreign objects: zero unexpected allows."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wib.accounts.models import EnterpriseMembership, Invitation
from wib.accounts.testing import act_for, login_with_second_factor

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "employee",
    "manager",
    "mandatary_user",
    "flanders",
    "wallonia",
    "brussels",
    "german",
    "immigration",
    "supervisor",
    "admin",
]
OFFICIAL_ROLES = {"flanders", "wallonia", "brussels", "german", "immigration", "supervisor"}

# (name, method, needs an object, access-manager page)
PAGES = [
    ("accounts:choose-enterprise", "get", False, False),
    ("accounts:logout-everywhere", "get", False, False),
    ("accounts:password-change", "get", False, False),
    ("accounts:people", "get", False, True),
    ("accounts:mandates-given", "get", False, True),
    ("accounts:mandate-grant", "get", False, True),
    ("accounts:mandates-received", "get", False, True),
    ("accounts:member", "get", "membership", True),
    ("accounts:member-remove", "post", "membership", True),
    ("accounts:invitation-cancel", "post", "invitation", True),
    ("accounts:mandate-revoke", "get", "mandate", True),
]
CASES = [
    (role, page, owner)
    for role in ROLES
    for page in PAGES
    for owner in (["own", "foreign"] if page[2] else ["none"])
]


def client_for(world, role):
    client = Client()
    if role == "anonymous":
        return client
    user = world[role]
    if role in OFFICIAL_ROLES or role == "admin":
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
        act_for(client, world["employer"])
    return client


def objects_of(world, enterprise, manager):
    membership = EnterpriseMembership.objects.filter(
        enterprise=enterprise, is_access_manager=False
    ).first()
    if membership is None:
        membership = EnterpriseMembership.objects.create(
            user=type(manager).objects.create_user(username=f"extra-{enterprise.number}"),
            enterprise=enterprise,
            has_single_window_role=True,
        )
    now = timezone.now()
    invitation = Invitation.objects.create(
        enterprise=enterprise,
        email="someone@example.org",
        token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
        invited_by=manager,
        created_at=now,
        expires_at=now + datetime.timedelta(days=3),
    )
    return {"membership": membership, "invitation": invitation}


def expected(role, is_manager_page, owner):
    if role == "anonymous":
        return "login"
    if not is_manager_page:
        return "allow"
    if role != "manager":
        return "deny"
    return "missing" if owner == "foreign" else "allow"


def outcome(response):
    if response.status_code == 302 and "/account/login/" in response["Location"]:
        return "login"
    if response.status_code == 403:
        return "deny"
    if response.status_code == 404:
        return "missing"
    if response.status_code in (200, 302):
        return "allow"
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize(("role", "page", "owner"), CASES)
def test_access_matrix(world, make_mandate, role, page, owner):
    name, method, needs, is_manager_page = page
    objects = {
        "own": {
            **objects_of(world, world["employer"], world["manager"]),
            "mandate": world["mandate"],
        },
        "foreign": {
            **objects_of(world, world["other_employer"], world["other_manager"]),
            "mandate": make_mandate(
                world["other_employer"], world["mandatary"], created_by=world["other_manager"]
            ),
        },
    }
    args = [objects[owner][needs].pk] if needs else []
    client = client_for(world, role)
    response = getattr(client, method)(reverse(name, args=args))
    assert outcome(response) == expected(role, is_manager_page, owner)


@pytest.mark.parametrize("name", ["accounts:member", "accounts:mandate-revoke"])
def test_a_foreign_object_answers_exactly_like_a_missing_one(world, make_mandate, name):
    client = client_for(world, "manager")
    if name == "accounts:member":
        foreign = objects_of(world, world["other_employer"], world["other_manager"])["membership"]
    else:
        foreign = make_mandate(
            world["other_employer"], world["mandatary"], created_by=world["other_manager"]
        )
    missing = uuid.uuid4()
    foreign_response = client.get(reverse(name, args=[foreign.pk]))
    missing_response = client.get(reverse(name, args=[missing]))
    assert foreign_response.status_code == missing_response.status_code == 404

    def normalised(response, identifier):
        # The page repeats its own address (language links) and a fresh CSRF token.
        body = response.content.decode().replace(str(identifier), "ID")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert normalised(foreign_response, foreign.pk) == normalised(missing_response, missing)


def test_a_mandatary_never_manages_the_employer_it_acts_for(world):
    client = client_for(world, "mandatary_user")
    assert client.get(reverse("accounts:people")).status_code == 403
    manager_of_mandatary = Client()
    manager_of_mandatary.force_login(world["mandatary_manager"])
    act_for(manager_of_mandatary, world["employer"])
    # Acting for the employer by mandate gives no access management of the employer.
    response = manager_of_mandatary.get(reverse("accounts:people"))
    assert response.status_code == 302
    assert reverse("accounts:choose-enterprise") in response["Location"]
