"""Security review: object-level authorisation and hidden fields, probed by changing ids.

A refused object must answer exactly like a missing one (404, same body), and a forged field
or action must change nothing.
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories import (
    EnterpriseFactory,
    FileFactory,
    MandateFactory,
    MembershipFactory,
    WorkerUserFactory,
    complete_draft,
    employer_user,
    official,
)

from wib.accounts.access import ACTING_ENTERPRISE_SESSION_KEY
from wib.accounts.models import Mandate
from wib.accounts.services import invite_user
from wib.accounts.testing import act_for, login_with_second_factor
from wib.api.models import ApiToken
from wib.api.tokens import create_api_token
from wib.files.models import File
from wib.geography.models import Authority

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _detail(file: File) -> str:
    return reverse("web:applications:detail", kwargs={"public_id": file.public_id})


def _signed_in(user, enterprise=None) -> Client:
    client = Client()
    client.force_login(user)
    if enterprise is not None:
        act_for(client, enterprise)
    return client


def _same_as_missing(client: Client, url_for_foreign: str, url_for_missing: str) -> None:
    foreign = client.get(url_for_foreign)
    missing = client.get(url_for_missing)
    assert foreign.status_code == missing.status_code == 404
    assert _without_noise(foreign.content, url_for_foreign) == _without_noise(
        missing.content, url_for_missing
    )


def _without_noise(content: bytes, url: str) -> bytes:
    """The page without the id it was asked for (language links) and per-response secrets."""
    content = content.replace(url.split("/files/")[1].split("/")[0].encode(), b"ID")
    return re.sub(rb'(nonce|value)="[^"]*"', rb'\1=""', content)


# --- applicants ----------------------------------------------------------------------------------


def test_an_employer_cannot_reach_another_employers_file_page_or_api():
    own_employer, other_employer = EnterpriseFactory(), EnterpriseFactory()
    user = employer_user(own_employer)
    foreign = FileFactory(employer=other_employer, state="submitted")
    client = _signed_in(user, own_employer)
    missing = reverse("web:applications:detail", kwargs={"public_id": uuid.uuid4()})
    _same_as_missing(client, _detail(foreign), missing)
    _same_as_missing(client, f"/api/v1/files/{foreign.public_id}", f"/api/v1/files/{uuid.uuid4()}")


def test_a_mandatary_for_one_employer_cannot_reach_another_employers_files():
    employer_x, employer_y = EnterpriseFactory(), EnterpriseFactory()
    firm = EnterpriseFactory()
    MandateFactory(employer=employer_x, mandatary=firm)
    user = MembershipFactory(enterprise=firm).user
    own = FileFactory(employer=employer_x, state="submitted")
    foreign = FileFactory(employer=employer_y, state="submitted")
    client = _signed_in(user, employer_x)
    assert client.get(_detail(own)).status_code == 200
    assert client.get(_detail(foreign)).status_code == 404
    # Choosing the other employer as the acting one is refused too.
    client.post(reverse("accounts:choose-enterprise"), {"enterprise": employer_y.number})
    assert client.session[ACTING_ENTERPRISE_SESSION_KEY] == employer_x.number


@pytest.mark.parametrize(
    "window",
    ["before_start", "after_end", "revoked"],
)
def test_a_mandatary_outside_the_mandates_window_sees_nothing(window):
    employer, firm = EnterpriseFactory(), EnterpriseFactory()
    today = datetime.date(2026, 3, 10)
    mandate = MandateFactory(employer=employer, mandatary=firm, starts_on=datetime.date(2025, 1, 1))
    if window == "before_start":
        mandate.starts_on = today + datetime.timedelta(days=1)
    elif window == "after_end":
        mandate.ends_on = today - datetime.timedelta(days=1)
    else:
        mandate.revoked_at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    mandate.save()
    user = MembershipFactory(enterprise=firm).user
    file = FileFactory(employer=employer, mandatary=firm, state="submitted")
    _token, secret = create_api_token(actor=user, acting_enterprise=firm, name="firm")
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        client = _signed_in(user, employer)
        assert client.get(_detail(file)).status_code in (403, 404)
        assert client.get(f"/api/v1/files/{file.public_id}").status_code == 404
        token_client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert token_client.get(f"/api/v1/files/{file.public_id}").status_code == 404
        assert token_client.get("/api/v1/files").json()["count"] == 0


def test_a_worker_cannot_see_another_workers_file():
    alice, bob = WorkerUserFactory(), WorkerUserFactory()
    file = FileFactory(
        procedure_code="single-permit-indefinite",
        employer=None,
        worker_user=alice,
        state="submitted",
    )
    assert _signed_in(alice).get(_detail(file)).status_code == 200
    assert _signed_in(bob).get(_detail(file)).status_code == 404


def test_the_acting_enterprise_cannot_be_switched_to_a_foreign_one():
    own, foreign = EnterpriseFactory(), EnterpriseFactory()
    other_own = EnterpriseFactory()
    user = employer_user(own)
    MembershipFactory(user=user, enterprise=other_own)
    client = _signed_in(user, own)
    response = client.post(reverse("accounts:choose-enterprise"), {"enterprise": foreign.number})
    assert response.status_code == 200  # the form again, with an error
    assert client.session[ACTING_ENTERPRISE_SESSION_KEY] == own.number
    # Forcing a foreign number into the session does not help either: it is checked each time.
    act_for(client, foreign)
    file = FileFactory(employer=foreign, state="submitted")
    assert client.get(_detail(file)).status_code in (302, 404)
    listing = client.get(reverse("web:applications:list"))
    assert file.reference not in listing.content.decode()


# --- access managers -----------------------------------------------------------------------------


def test_an_access_manager_cannot_manage_another_enterprises_people_or_mandates():
    mine, theirs = EnterpriseFactory(), EnterpriseFactory()
    manager = MembershipFactory(enterprise=mine, is_access_manager=True).user
    their_manager = MembershipFactory(enterprise=theirs, is_access_manager=True).user
    their_member = MembershipFactory(enterprise=theirs)
    their_mandate = MandateFactory(employer=theirs)
    invitation = invite_user(
        enterprise=theirs,
        email="new@example.org",
        actor=their_manager,
        accept_url_for=lambda token: f"https://example.org/{token}",
    )
    client = _signed_in(manager, mine)
    pages = [
        ("get", reverse("accounts:member", args=[their_member.pk])),
        ("post", reverse("accounts:member", args=[their_member.pk])),
        ("post", reverse("accounts:member-remove", args=[their_member.pk])),
        ("get", reverse("accounts:mandate-revoke", args=[their_mandate.pk])),
        ("post", reverse("accounts:mandate-revoke", args=[their_mandate.pk])),
        ("post", reverse("accounts:invitation-cancel", args=[invitation.pk])),
    ]
    for method, url in pages:
        data = {"has_single_window_role": "", "is_access_manager": "on"}
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    their_member.refresh_from_db()
    assert their_member.has_single_window_role and not their_member.is_access_manager
    assert Mandate.objects.get(pk=their_mandate.pk).revoked_at is None
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_a_user_cannot_revoke_another_users_api_token():
    employer = EnterpriseFactory()
    owner, colleague = employer_user(employer), employer_user(employer)
    token, _secret = create_api_token(actor=owner, acting_enterprise=employer, name="erp")
    client = _signed_in(colleague, employer)
    response = client.post(reverse("api-tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- officials -----------------------------------------------------------------------------------


def _action(file: File, action: str) -> str:
    return reverse("backoffice:action", kwargs={"public_id": file.public_id, "action": action})


def test_an_official_cannot_act_on_another_authoritys_file_by_its_action_url():
    brussels = Authority.objects.get(code="brussels")
    file = FileFactory(authority=brussels, state="submitted")
    client = Client()
    login_with_second_factor(client, official("flanders"))
    response = client.post(
        _action(file, "declare_admissible"), {"declare_admissible-version": file.version}
    )
    assert response.status_code == 404
    file.refresh_from_db()
    assert (file.state, file.version) == ("submitted", 1)


@pytest.mark.parametrize(
    "action",
    ["approve_work", "grant_residence", "forward_to_immigration_office", "submit", "withdraw"],
)
def test_an_official_cannot_take_an_action_the_state_table_does_not_offer(action):
    file = FileFactory(state="submitted")
    version = file.version
    client = Client()
    login_with_second_factor(client, official("flanders"))
    client.post(_action(file, action), {f"{action}-version": version, f"{action}-confirm": "on"})
    file.refresh_from_db()
    assert (file.state, file.version) == ("submitted", version)


def test_the_immigration_office_sees_nothing_before_forwarding():
    file = FileFactory(state="work_approved")
    client = Client()
    login_with_second_factor(client, official("immigration-office"))
    page = reverse("backoffice:file", kwargs={"public_id": file.public_id})
    assert client.get(page).status_code == 404
    client.post(_action(file, "grant_residence"), {"grant_residence-version": file.version})
    file.refresh_from_db()
    assert file.state == "work_approved"


# --- hidden fields -------------------------------------------------------------------------------


def test_posting_extra_fields_to_a_section_changes_nothing_but_the_section():
    employer, stranger = EnterpriseFactory(), EnterpriseFactory()
    user = employer_user(employer)
    file = complete_draft(actor=user, employer=employer)
    before = File.objects.filter(pk=file.pk).values().get()
    client = _signed_in(user, employer)
    url = reverse(
        "web:applications:section", kwargs={"public_id": file.public_id, "section": "worker"}
    )
    forged = {
        "first_name": "Asha",
        "last_name": "Rao",
        "birth_date": "1992-03-04",
        "nationality": "IN",
        "passport_number": "P1234567",
        "version": file.version,
        "state": "granted",
        "stage": "residence",
        "employer": stranger.pk,
        "employer_id": stranger.pk,
        "mandatary": stranger.pk,
        "authority": "brussels",
        "authority_id": Authority.objects.get(code="brussels").pk,
        "reference": "WIB-FORGED",
        "procedure_code": "short-stay-work-authorisation",
        "worker_user": user.pk,
        "public_id": str(uuid.uuid4()),
    }
    assert client.post(url, forged).status_code == 302
    after = File.objects.filter(pk=file.pk).values().get()
    for field in (
        "state",
        "stage",
        "employer_id",
        "mandatary_id",
        "authority_id",
        "reference",
        "procedure_code",
        "worker_user_id",
        "public_id",
    ):
        assert after[field] == before[field], field
    assert "state" not in after["sections"]["worker"]["data"]


def test_the_api_refuses_unknown_fields_on_withdrawal():
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = FileFactory(employer=employer, state="submitted")
    _token, secret = create_api_token(actor=user, acting_enterprise=employer, name="erp")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(
        f"/api/v1/files/{file.public_id}/withdraw",
        {"expected_version": file.version, "state": "granted", "employer": "0123456749"},
        content_type="application/json",
    )
    assert response.status_code == 422
    file.refresh_from_db()
    assert file.state == "submitted"


# --- information leaks ---------------------------------------------------------------------------


def test_the_who_viewed_list_never_shows_an_officials_login_name():
    employer = EnterpriseFactory()
    user = employer_user(employer)
    file = FileFactory(employer=employer, state="submitted")
    clerk = official("flanders")
    clerk.username, clerk.first_name, clerk.last_name = "els.peeters@werk.example", "", ""
    clerk.save()
    clerk_client = Client()
    login_with_second_factor(clerk_client, clerk)
    assert clerk_client.get(reverse("backoffice:file", args=[file.public_id])).status_code == 200
    page = _signed_in(user, employer).get(_detail(file)).content.decode()
    assert "Who at the authorities viewed this file" in page
    assert "No official has viewed this file yet." not in page
    assert "els.peeters" not in page
