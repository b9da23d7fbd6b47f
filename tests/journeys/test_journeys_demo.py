"""The demo that `make run` seeds: complete, idempotent, and usable by every kind of person."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from wib.accounts import permissions
from wib.accounts.models import EnterpriseMembership, Mandate, OfficialMembership, User
from wib.audit.models import AuditRecord
from wib.core import demo
from wib.deliveries.models import OutboxMessage
from wib.files.models import File, FileEvent
from wib.files.permissions import may_start
from wib.files.services import start_file
from wib.procedures.registry import get_procedure
from wib.registry.models import Enterprise, EstablishmentUnit

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = (
        User,
        Enterprise,
        EstablishmentUnit,
        EnterpriseMembership,
        Mandate,
        OfficialMembership,
        TOTPDevice,
        File,
        FileEvent,
        OutboxMessage,
        AuditRecord,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded() -> list[demo.DemoAccount]:
    return demo.seed_demo()


def test_seeding_twice_changes_nothing(seeded):
    before = counts()
    passwords = dict(User.objects.values_list("username", "password"))
    again = demo.seed_demo()
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert again == seeded


def check_places() -> None:
    authorities = {}
    for employer in demo.EMPLOYERS:
        [unit] = EstablishmentUnit.objects.filter(
            enterprise__number=demo.enterprise_number(employer)
        )
        authorities[unit.postcode] = unit.authority_code
    assert authorities == {
        "1630": "flanders",
        "1180": "brussels",
        "1410": "wallonia",
        "4700": "german-speaking-community",
    }


def check_mandates() -> None:
    mandatary = User.objects.get(username="secretariat")
    acted = set(permissions.employers_acted_for(mandatary).values_list("number", flat=True))
    mandating = {demo.enterprise_number(e) for e in demo.EMPLOYERS if e.gives_mandate}
    assert len(mandating) == 2
    assert acted == mandating | {demo.enterprise_number(demo.SECRETARIAT)}
    uccle = Enterprise.objects.get(number=demo.enterprise_number(demo.EMPLOYERS[1]))
    assert permissions.mandatary_for(mandatary, uccle).number == demo.enterprise_number(
        demo.SECRETARIAT
    )


def check_memberships() -> None:
    for employer in demo.EMPLOYERS:
        memberships = EnterpriseMembership.objects.filter(
            enterprise__number=demo.enterprise_number(employer)
        )
        assert sorted(m.is_access_manager for m in memberships) == [False, True]
        assert all(m.has_single_window_role for m in memberships)


def check_worker_may_apply() -> None:
    worker = User.objects.get(username=demo.WORKER_USERNAME)
    procedure = get_procedure("single-permit-indefinite")
    assert permissions.acts_for_self(worker)
    assert may_start(worker, procedure=procedure, employer=None)
    file = start_file(procedure_code=procedure.code, employer=None, actor=worker)
    assert file.worker_user == worker


def check_officials(seeded: list[demo.DemoAccount]) -> None:
    memberships = OfficialMembership.objects.select_related("authority", "user")
    assert {m.authority.code for m in memberships} == {
        "flanders",
        "brussels",
        "wallonia",
        "german-speaking-community",
        "immigration-office",
    }
    assert [m.user.username for m in memberships if m.role == "supervisor"] == [
        "supervisor-flanders"
    ]
    second_factor = {a.username: a.totp_secret for a in seeded if a.totp_secret}
    assert set(second_factor) == {m.user.username for m in memberships} | {"admin"}
    for username, secret in second_factor.items():
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.key == demo.totp_key(username)
        assert secret == demo.totp_secret(username)


def check_demo_totp() -> None:
    out = io.StringIO()
    call_command("demo_totp", "official-immigration", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="official-immigration")
    assert device.verify_token(code)


def test_demo_commands_refuse_when_the_demo_is_off(settings):
    settings.DEBUG = False
    settings.WIB_DEMO_ENABLED = False
    with pytest.raises(CommandError):
        call_command("demo_totp", "admin", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def check_files() -> None:
    states = {(f.procedure_code, f.state, f.authority.code) for f in File.objects.all()}
    assert states == {
        ("single-permit", "draft", "flanders"),
        ("single-permit", "submitted", "brussels"),
        ("short-stay-work-authorisation", "information_requested", "wallonia"),
        ("single-permit", "residence_review", "flanders"),
        ("single-permit", "granted", "german-speaking-community"),
    }
    through_mandatary = File.objects.get(state="submitted")
    assert through_mandatary.mandatary.number == demo.enterprise_number(demo.SECRETARIAT)


def check_seed_command_prints_logins(client) -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    table = out.getvalue()
    for username in ("linkebeek-employer", "secretariat", "worker", "official-dg", "admin"):
        assert username in table
    assert demo.DEMO_PASSWORD in table
    assert demo.totp_secret("official-flanders") in table
    assert "manage.py demo_totp USERNAME" in table
    assert client.login(username="uccle-employer", password=demo.DEMO_PASSWORD)


def test_the_demo_documents_are_accepted_as_pdfs():
    from wib.documents.services import store_upload

    uploader = User.objects.create(username="uploader")
    stored = store_upload(uploaded_file=demo.demo_upload("passport"), uploaded_by=uploader)
    assert stored.content_type == "application/pdf"


def test_the_demo_holds_every_role_place_and_state(seeded):
    check_places()
    check_mandates()
    check_memberships()
    check_officials(seeded)
    check_files()


def test_the_demo_accounts_can_do_their_work(seeded, client):
    check_worker_may_apply()
    check_demo_totp()
    check_seed_command_prints_logins(client)
