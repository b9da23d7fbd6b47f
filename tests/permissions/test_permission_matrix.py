"""The permission matrix: every page and endpoint, every role, own and foreign objects.

Each case is one test id `<route>|<role>|<object>`. The expected outcome comes from the tables
below; a deny of an object is exactly a 404 with the same body as a missing object, a deny of a
role is a redirect to the login page (anonymous) or a 403, and nothing is allowed that the
table does not allow. `test_every_route_is_in_the_matrix` fails when a route appears in the
URL map without a row here (or on the short allow-list of public routes), so no page can be
forgotten.

The data is built once for the module inside an outer transaction that is rolled back at the
end; every test runs in its own savepoint, so a POST that changes something is undone.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from factories import (
    PDF_BYTES,
    EnterpriseFactory,
    FileFactory,
    MandateFactory,
    MembershipFactory,
    UserFactory,
    WorkerUserFactory,
    official,
    pdf_upload,
)

from wib.accounts.models import Invitation
from wib.accounts.testing import act_for, login_with_second_factor
from wib.api.tokens import create_api_token
from wib.documents.services import store_upload
from wib.files.models import Decision, FileDocument
from wib.geography.models import Authority
from wib.simulators.models import SimulatedEboxAttachment, SimulatedEboxMessage

# --- roles ------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
EMPLOYER = "employer"
ACCESS_MANAGER = "access_manager"
MANDATARY = "mandatary"
MANDATARY_REVOKED = "mandatary_revoked"
OFFICIAL_FLANDERS = "official_flanders"
OFFICIAL_BRUSSELS = "official_brussels"
OFFICIAL_WALLONIA = "official_wallonia"
OFFICIAL_GSC = "official_gsc"
OFFICIAL_IO = "official_io"
SUPERVISOR = "supervisor"
ADMIN = "admin"
WORKER = "worker"

ROLES = (
    ANONYMOUS,
    EMPLOYER,
    ACCESS_MANAGER,
    MANDATARY,
    MANDATARY_REVOKED,
    OFFICIAL_FLANDERS,
    OFFICIAL_BRUSSELS,
    OFFICIAL_WALLONIA,
    OFFICIAL_GSC,
    OFFICIAL_IO,
    SUPERVISOR,
    ADMIN,
    WORKER,
)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
# A person who acts for an employer (directly or by mandate) or applies as a worker.
APPLICANTS = frozenset({EMPLOYER, MANDATARY, MANDATARY_REVOKED, WORKER})
OFFICIALS = frozenset(
    {
        OFFICIAL_FLANDERS,
        OFFICIAL_BRUSSELS,
        OFFICIAL_WALLONIA,
        OFFICIAL_GSC,
        OFFICIAL_IO,
        SUPERVISOR,
    }
)
ACCESS_MANAGERS = frozenset({ACCESS_MANAGER})
# Enterprise users with the single-window role, who may hold API tokens.
TOKEN_HOLDERS = frozenset({EMPLOYER, MANDATARY, MANDATARY_REVOKED})
NOBODY: frozenset[str] = frozenset()

# --- outcomes ---------------------------------------------------------------------------------

ALLOWED = "allowed"
LOGIN = "login"  # redirect to the login page
ADMIN_LOGIN = "admin_login"  # redirect to the administration's login page
FORBIDDEN = "forbidden"  # 403
NOT_FOUND = "not_found"  # 404, same body as a missing object
UNAUTHENTICATED = "unauthenticated"  # 401 (API)
ALLOWED_OR_MISSING = "allowed_or_missing"  # administrator on an admin page with a dummy id


def classify(response: Any) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302, 303, 307):
        if "/admin/login/" in location:
            return ADMIN_LOGIN
        if "/account/login/" in location:
            return LOGIN
        if "/second-factor/" in location:
            return "second_factor"
        return ALLOWED
    if status == 401:
        return UNAUTHENTICATED
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return "method_not_allowed"
    if status >= 500:
        return "server_error"
    return ALLOWED


# --- the data ---------------------------------------------------------------------------------


@dataclass
class World:
    sessions: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)  # FileDocument per file key
    decisions: dict[str, Any] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    invitations: dict[str, Any] = field(default_factory=dict)
    mandates: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, Any] = field(default_factory=dict)
    messages: dict[str, Any] = field(default_factory=dict)
    enterprises: dict[str, Any] = field(default_factory=dict)


def _session(user: Any, *, second_factor: bool = False, acting: Any = None) -> str:
    client = Client()
    if second_factor:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
    if acting is not None:
        act_for(client, acting)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _stored(user: Any) -> Any:
    return store_upload(uploaded_file=pdf_upload(), uploaded_by=user)


def _ebox_message(number: str) -> Any:
    message = SimulatedEboxMessage.objects.create(
        business_id=f"matrix-{number}",
        ebox_type="enterprise",
        ebox_id=number,
        subject={"nl": "Test"},
        body={"nl": "Test"},
        message_type_id="WIB_TEST",
        sender_organization_id="0314259115",
        sender_application_id="wib:test",
    )
    attachment = SimulatedEboxAttachment(
        message=message,
        http_part_name="upfile1",
        filename="letter.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    attachment.file.save("letter.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return message


def build_world() -> World:
    world = World()
    authority = {item.code: item for item in Authority.objects.all()}
    employer = EnterpriseFactory()
    foreign = EnterpriseFactory()
    firm = EnterpriseFactory()  # a mandatary with an active mandate of the employer
    former_firm = EnterpriseFactory()  # a mandatary whose mandate was revoked
    world.enterprises.update(employer=employer, foreign=foreign, firm=firm)

    employer_user = MembershipFactory(enterprise=employer).user
    manager = UserFactory()
    manager_membership = MembershipFactory(
        user=manager, enterprise=employer, is_access_manager=True, has_single_window_role=False
    )
    stranger = MembershipFactory(enterprise=foreign, is_access_manager=True).user
    mandatary_user = MembershipFactory(enterprise=firm).user
    revoked_user = MembershipFactory(enterprise=former_firm).user
    own_mandate = MandateFactory(employer=employer, mandatary=firm, created_by=manager)
    MandateFactory(
        employer=employer,
        mandatary=former_firm,
        created_by=manager,
        revoked_at=timezone.now() - datetime.timedelta(days=1),
        revoked_by=manager,
    )
    foreign_mandate = MandateFactory(
        employer=foreign, mandatary=EnterpriseFactory(), created_by=stranger
    )
    worker = WorkerUserFactory()
    officials = {
        OFFICIAL_FLANDERS: official("flanders"),
        OFFICIAL_BRUSSELS: official("brussels"),
        OFFICIAL_WALLONIA: official("wallonia"),
        OFFICIAL_GSC: official("german-speaking-community"),
        OFFICIAL_IO: official("immigration-office"),
        SUPERVISOR: official("flanders", role="supervisor"),
    }
    admin = UserFactory(is_staff=True, is_superuser=True)

    def file(key: str, **kwargs: Any) -> None:
        kwargs.setdefault("state", "submitted")
        kwargs.setdefault("authority", authority["flanders"])
        world.files[key] = FileFactory(**kwargs)

    file("own", employer=employer, created_by=employer_user)
    file("own_draft", employer=employer, created_by=employer_user, state="draft")
    file("residence", employer=employer, created_by=employer_user, state="residence_review")
    file("foreign", employer=foreign, created_by=stranger)
    file("foreign_draft", employer=foreign, created_by=stranger, state="draft")
    file("brussels", employer=foreign, created_by=stranger, authority=authority["brussels"])
    file(
        "gsc",
        employer=foreign,
        created_by=stranger,
        authority=authority["german-speaking-community"],
    )
    file(
        "worker",
        procedure_code="single-permit-indefinite",
        employer=None,
        worker_user=worker,
        created_by=worker,
        authority=authority["wallonia"],
    )
    now = timezone.now()
    for key, item in world.files.items():
        uploader = item.created_by
        world.documents[key] = FileDocument.objects.create(
            file=item,
            kind="passport",
            stored_document=_stored(uploader),
            step=FileDocument.Step.APPLICATION,
            added_by=uploader,
            added_at=now,
        )
        if item.state != "draft":
            item.receipt = _stored(uploader)
            item.save(update_fields=["receipt"])
            world.decisions[key] = Decision.objects.create(
                file=item,
                stage="work",
                outcome=Decision.Outcome.APPROVED,
                motivation="Matrix",
                decided_by=admin,
                decided_on=now.date(),
                letter=_stored(uploader),
            )

    world.memberships.update(
        own=employer_user.enterprise_memberships.get(),
        foreign=stranger.enterprise_memberships.get(),
        manager=manager_membership,
    )
    for key, enterprise, inviter in (("own", employer, manager), ("foreign", foreign, stranger)):
        world.invitations[key] = Invitation.objects.create(
            enterprise=enterprise,
            email=f"{key}@example.org",
            token_hash=hashlib.sha256(key.encode()).hexdigest(),
            invited_by=inviter,
            created_at=now,
            expires_at=now + datetime.timedelta(days=7),
        )
    world.mandates.update(own=own_mandate, foreign=foreign_mandate)
    world.tokens["own"] = create_api_token(
        actor=employer_user, acting_enterprise=employer, name="own"
    )[0]
    world.tokens["foreign"] = create_api_token(
        actor=stranger, acting_enterprise=foreign, name="foreign"
    )[0]
    world.messages.update(own=_ebox_message(employer.number), foreign=_ebox_message(foreign.number))

    world.sessions.update(
        {
            EMPLOYER: _session(employer_user, acting=employer),
            ACCESS_MANAGER: _session(manager, acting=employer),
            MANDATARY: _session(mandatary_user, acting=employer),
            MANDATARY_REVOKED: _session(revoked_user, acting=former_firm),
            ADMIN: _session(admin, second_factor=True),
            WORKER: _session(worker),
            **{role: _session(user, second_factor=True) for role, user in officials.items()},
        }
    )
    return world


# --- the routes -------------------------------------------------------------------------------

Args = Callable[["World | None", str], dict[str, Any]]


def _missing_uuid() -> uuid.UUID:
    return uuid.UUID("00000000-0000-4000-8000-000000000000")


def file_args(world: World | None, key: str) -> dict[str, Any]:
    return {"public_id": world.files[key].public_id if world else _missing_uuid()}


def file_document_args(world: World | None, key: str) -> dict[str, Any]:
    return {
        "public_id": world.files[key].public_id if world else _missing_uuid(),
        "document_id": world.documents[key].stored_document_id if world else _missing_uuid(),
    }


def file_letter_args(world: World | None, key: str) -> dict[str, Any]:
    return {
        "public_id": world.files[key].public_id if world else _missing_uuid(),
        "letter_id": world.decisions[key].letter_id if world else _missing_uuid(),
    }


def section_args(world: World | None, key: str) -> dict[str, Any]:
    return {**file_args(world, key), "section": "worker"}


def backoffice_action_args(world: World | None, key: str) -> dict[str, Any]:
    return {**file_args(world, key), "action": "request_information"}


def backoffice_document_args(world: World | None, key: str) -> dict[str, Any]:
    return {
        "public_id": world.files[key].public_id if world else _missing_uuid(),
        "document_id": world.documents[key].stored_document_id if world else _missing_uuid(),
    }


def membership_args(world: World | None, key: str) -> dict[str, Any]:
    return {"membership_id": world.memberships[key].pk if world else _missing_uuid()}


def invitation_args(world: World | None, key: str) -> dict[str, Any]:
    return {"invitation_id": world.invitations[key].pk if world else _missing_uuid()}


def mandate_args(world: World | None, key: str) -> dict[str, Any]:
    return {"mandate_id": world.mandates[key].pk if world else _missing_uuid()}


def token_args(world: World | None, key: str) -> dict[str, Any]:
    return {"token_id": world.tokens[key].pk if world else _missing_uuid()}


def ebox_args(world: World | None, key: str) -> dict[str, Any]:
    return {"message_id": world.messages[key].pk if world else _missing_uuid(), "part": "upfile1"}


def api_file_args(world: World | None, key: str) -> dict[str, Any]:
    return {"public_id": str(world.files[key].public_id if world else _missing_uuid())}


def enterprise_args(world: World | None, key: str) -> dict[str, Any]:
    return {"number": world.enterprises["foreign"].number if world else ""}


def no_args(world: World | None, key: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    """One route: who passes its role gate and, for an object route, who may see which object."""

    gate: frozenset[str]
    args: Args = no_args
    objects: dict[str, frozenset[str]] | None = None
    method: str = "GET"
    json: Any = None
    anonymous: str = LOGIN
    refused: str = FORBIDDEN
    # Other answers that still mean "let through" (the enrolment page sends a person who
    # already has a device on to the verification page).
    redirect_to_second_factor_allowed: bool = False


# Who may see which file as its applicant: the employer's users and its active mandatary;
# never a mandatary whose mandate was revoked, never an official through the applicant pages.
APPLICANT_FILES = {
    "own": frozenset({EMPLOYER, MANDATARY}),
    "foreign": NOBODY,
    "worker": frozenset({WORKER}),
}
APPLICANT_DRAFTS = {"own_draft": frozenset({EMPLOYER, MANDATARY}), "foreign_draft": NOBODY}
# Officials see their authority's submitted files; the Immigration Office only once forwarded.
OFFICIAL_FILES = {
    "own": frozenset({OFFICIAL_FLANDERS, SUPERVISOR}),
    "foreign": frozenset({OFFICIAL_FLANDERS, SUPERVISOR}),
    "brussels": frozenset({OFFICIAL_BRUSSELS}),
    "gsc": frozenset({OFFICIAL_GSC}),
    "worker": frozenset({OFFICIAL_WALLONIA}),
    "residence": frozenset({OFFICIAL_FLANDERS, SUPERVISOR, OFFICIAL_IO}),
    "own_draft": NOBODY,
}
OWN_ONLY_MANAGER = {"own": ACCESS_MANAGERS, "foreign": NOBODY}
API_FILES = {**APPLICANT_FILES, "residence": frozenset({EMPLOYER, MANDATARY})}


def _applicant(args: Args, objects: dict[str, frozenset[str]], method: str = "GET") -> Route:
    return Route(gate=APPLICANTS, args=args, objects=objects, method=method)


def _api(args: Args = no_args, objects: Any = None, method: str = "GET", json: Any = None) -> Route:
    return Route(
        gate=SIGNED_IN,
        args=args,
        objects=objects,
        method=method,
        json=json,
        anonymous=UNAUTHENTICATED,
    )


ROUTES: dict[str, Route] = {
    # accounts: any signed-in person
    "accounts:logout-everywhere": Route(gate=SIGNED_IN),
    "accounts:start": Route(gate=SIGNED_IN),
    "accounts:password-change": Route(gate=SIGNED_IN),
    "accounts:otp-enrol": Route(gate=SIGNED_IN, redirect_to_second_factor_allowed=True),
    "accounts:otp-verify": Route(gate=SIGNED_IN),
    "accounts:choose-enterprise": Route(gate=SIGNED_IN),
    # accounts: the access manager of the enterprise chosen in the session
    "accounts:people": Route(gate=ACCESS_MANAGERS),
    "accounts:mandates-given": Route(gate=ACCESS_MANAGERS),
    "accounts:mandate-grant": Route(gate=ACCESS_MANAGERS),
    "accounts:mandates-received": Route(gate=ACCESS_MANAGERS),
    "accounts:member": Route(gate=ACCESS_MANAGERS, args=membership_args, objects=OWN_ONLY_MANAGER),
    "accounts:member-remove": Route(
        gate=ACCESS_MANAGERS, args=membership_args, objects=OWN_ONLY_MANAGER, method="POST"
    ),
    "accounts:invitation-cancel": Route(
        gate=ACCESS_MANAGERS, args=invitation_args, objects=OWN_ONLY_MANAGER, method="POST"
    ),
    "accounts:mandate-revoke": Route(
        gate=ACCESS_MANAGERS, args=mandate_args, objects=OWN_ONLY_MANAGER
    ),
    # API tokens: enterprise users with the single-window role
    "api-tokens:list": Route(gate=TOKEN_HOLDERS),
    "api-tokens:revoke": Route(
        gate=TOKEN_HOLDERS,
        args=token_args,
        objects={"own": frozenset({EMPLOYER}), "foreign": NOBODY},
        method="POST",
    ),
    # back office: officials (second factor verified)
    "backoffice:queue": Route(gate=OFFICIALS),
    "backoffice:file": Route(gate=OFFICIALS, args=file_args, objects=OFFICIAL_FILES),
    "backoffice:action": Route(
        gate=OFFICIALS, args=backoffice_action_args, objects=OFFICIAL_FILES, method="POST"
    ),
    "backoffice:document": Route(
        gate=OFFICIALS, args=backoffice_document_args, objects=OFFICIAL_FILES
    ),
    "backoffice:document-inline": Route(
        gate=OFFICIALS, args=backoffice_document_args, objects=OFFICIAL_FILES
    ),
    "backoffice:fetch-employment": Route(
        gate=OFFICIALS, args=file_args, objects=OFFICIAL_FILES, method="POST"
    ),
    # applicant pages
    "web:applications:list": Route(gate=APPLICANTS),
    "web:applications:new": Route(gate=APPLICANTS),
    "web:applications:ebox": Route(gate=APPLICANTS),
    "web:applications:ebox-attachment": Route(
        gate=APPLICANTS,
        args=ebox_args,
        # The eBox of the enterprise itself: a mandatary reads its own, not its clients'.
        objects={"own": frozenset({EMPLOYER}), "foreign": NOBODY},
    ),
    "web:applications:detail": _applicant(file_args, APPLICANT_FILES),
    "web:applications:check": _applicant(file_args, APPLICANT_FILES),
    "web:applications:submitted": _applicant(file_args, APPLICANT_FILES),
    "web:applications:receipt": _applicant(file_args, APPLICANT_FILES),
    "web:applications:withdraw": _applicant(file_args, APPLICANT_FILES),
    "web:applications:duplicate": _applicant(file_args, APPLICANT_FILES),
    "web:applications:renew": _applicant(file_args, APPLICANT_FILES),
    "web:applications:answer": _applicant(file_args, APPLICANT_FILES, method="POST"),
    "web:applications:document": _applicant(file_document_args, APPLICANT_FILES),
    "web:applications:document-inline": _applicant(file_document_args, APPLICANT_FILES),
    "web:applications:letter": _applicant(file_letter_args, APPLICANT_FILES),
    "web:applications:tasks": _applicant(file_args, APPLICANT_DRAFTS),
    "web:applications:section": _applicant(section_args, APPLICANT_DRAFTS),
    "web:applications:documents": _applicant(file_args, APPLICANT_DRAFTS),
    "web:applications:fetch-employment": _applicant(file_args, APPLICANT_DRAFTS, method="POST"),
    "web:applications:remove-document": _applicant(
        file_document_args, APPLICANT_DRAFTS, method="POST"
    ),
    # REST API v1: session here (tokens in tests/api); anonymous gets 401
    "api:list_files": _api(),
    "api:get_enterprise": _api(args=enterprise_args),
    "api:get_file": _api(api_file_args, API_FILES),
    "api:get_file_timeline": _api(api_file_args, API_FILES),
    "api:withdraw": _api(api_file_args, API_FILES, method="POST", json={"expected_version": 1}),
}

# Public by design, reachable by anyone: checked only for coverage.
PUBLIC_ROUTES = {
    "healthz",
    "readyz",
    "metrics",  # a bearer token (WIB_METRICS_TOKEN) is the credential: tests/core/test_metrics.py
    "set_language",
    "web:home",
    "web:authority",
    "web:contacts",
    "accounts:login",
    "accounts:logout",  # ends whatever session there is
    "oidc:login",  # the federal login
    "oidc:callback",
    # The link e-mailed to an invitee: the secret token is the credential (tests/accounts).
    "accounts:invitation-accept",
    "api:get_authority",  # the resolver, public like the authority page
    "api:openapi-json",
    "api:openapi-view",  # 404 unless DEBUG
    "api:api-root",
    "api:unknown-endpoint",  # a JSON 404 for any other address under /api/v1/
}
PUBLIC_NAMESPACES = ("simulators:",)  # stand-ins for external services, off in production
ADMIN_NAMESPACE = "admin:"


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str | None, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern


def all_routes() -> list[tuple[str | None, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


@functools.cache
def _admin_kwargs(name: str) -> dict[str, Any] | None:
    """Dummy values for an administration page's parameters (a missing object is fine)."""
    pattern = dict(all_routes())[name]
    groups = list(pattern.pattern.regex.groupindex)
    if not groups:
        return {}
    from django.apps import apps

    values = {"object_id": "1", "id": "1", "content_type_id": 1}
    for label in [config.label for config in apps.get_app_configs()]:
        kwargs = {group: values.get(group, label) for group in groups}
        try:
            with translation.override("nl"):
                reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        return kwargs
    return None


# --- the cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    route: str
    role: str
    obj: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.route}|{self.role}|{self.obj}"


def expected_outcome(route: Route, role: str, obj: str) -> str:
    if role == ANONYMOUS:
        return route.anonymous
    if role not in route.gate:
        return route.refused
    if route.objects is None:
        return ALLOWED
    return ALLOWED if role in route.objects[obj] else NOT_FOUND


def build_cases() -> list[Case]:
    """Every role on every route; for an object route, every object for the roles that pass
    the role gate (the others are refused before any object is looked up: one case each)."""
    cases = []
    for name, route in ROUTES.items():
        objects = list(route.objects or {"-": NOBODY})
        for role in ROLES:
            passes_gate = role != ANONYMOUS and role in route.gate
            for obj in objects if passes_gate else objects[:1]:
                cases.append(Case(name, role, obj, expected_outcome(route, role, obj)))
    for name in ADMIN_SAMPLE:
        for role in ROLES:
            expected = ALLOWED_OR_MISSING if role == ADMIN else ADMIN_LOGIN
            cases.append(Case(name, role, "-", expected))
    return cases


# The administration's own login and logout pages are open to everyone; every other page of it
# goes through AdminSite.admin_view (checked for each route by
# test_every_administration_route_requires_staff) and a sample is run for every role.
ADMIN_OPEN = {"admin:login", "admin:logout"}
ADMIN_SAMPLE = (
    "admin:index",
    "admin:app_list",
    "admin:accounts_user_changelist",
    "admin:accounts_user_change",
    "admin:auth_user_password_change",
    "admin:api_apitoken_changelist",
    "admin:audit_auditrecord_changelist",
    "admin:jsi18n",
)
CASES = build_cases()


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_media(tmp_path_factory) -> Any:
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, module_media):
    """Overrides the suite's per-test media folder: the module's documents live in one."""
    settings.MEDIA_ROOT = module_media


@pytest.fixture(autouse=True)
def _no_outside_calls(settings):
    """Routes that consult Dimona or DmfA reach a closed port: refused at once, and shown."""
    settings.WIB_SOCIAL_SECURITY_TOKEN_URL = "http://127.0.0.1:9/token"
    settings.WIB_DIMONA_URL = "http://127.0.0.1:9/dimona"
    settings.WIB_DMFA_URL = "http://127.0.0.1:9/dmfa"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, module_media) -> Iterator[World]:
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _url(name: str, kwargs: dict[str, Any]) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def _call(client: Client, route: Route, url: str) -> Any:
    if route.method == "POST":
        if route.json is not None:
            return client.post(url, route.json, content_type="application/json")
        return client.post(url, {})
    return client.get(url)


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normalised(body: bytes, url: str) -> str:
    text = _TOKEN.sub("", body.decode("utf-8", "replace"))
    bare = url.split("/", 2)[-1] if url.startswith("/nl/") else url
    for form in (url, quote(url, safe=""), bare, quote(bare, safe="")):
        text = text.replace(form, "<URL>")
    return text


# --- the tests --------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_permission(case: Case, world: World) -> None:
    client = _client(world, case.role)
    if case.route.startswith(ADMIN_NAMESPACE):
        kwargs = _admin_kwargs(case.route)
        assert kwargs is not None, f"no parameters found for {case.route}"
        response = client.get(_url(case.route, kwargs))
        outcome = classify(response)
        if case.expected == ALLOWED_OR_MISSING:
            assert outcome in {ALLOWED, NOT_FOUND}, (case.id, response.status_code)
        else:
            assert outcome == case.expected, (case.id, response.status_code)
        return
    route = ROUTES[case.route]
    url = _url(case.route, route.args(world, case.obj))
    response = _call(client, route, url)
    outcome = classify(response)
    if outcome == "second_factor" and route.redirect_to_second_factor_allowed:
        outcome = ALLOWED
    assert outcome == case.expected, (
        f"{case.id}: expected {case.expected}, got {outcome} "
        f"({response.status_code} {response.get('Location', '')})"
    )
    if case.expected == NOT_FOUND:
        assert _normalised(response.content, url) == _missing_body(world, case.route, case.role)


_MISSING: dict[tuple[str, str], str] = {}


def _missing_body(world: World, name: str, role: str) -> str:
    """What the role gets for an object that does not exist (once per route and role)."""
    if (name, role) not in _MISSING:
        route = ROUTES[name]
        url = _url(name, route.args(None, ""))
        response = _call(_client(world, role), route, url)
        assert response.status_code == 404, (name, role, response.status_code)
        _MISSING[name, role] = _normalised(response.content, url)
    return _MISSING[name, role]


def test_every_route_is_in_the_matrix() -> None:
    """A route must have a row in ROUTES, be an administration page, or be public on purpose."""
    uncovered = []
    for name, pattern in all_routes():
        if name is None:
            # The administration's catch-all and its old-style change links have no name.
            if pattern.callback.__name__ == "catch_all_view" or _guarded_by_admin_site(
                pattern.callback
            ):
                continue
            uncovered.append(str(pattern.pattern))
            continue
        if (
            name in ROUTES
            or name in PUBLIC_ROUTES
            or name.startswith(PUBLIC_NAMESPACES)
            or name.startswith(ADMIN_NAMESPACE)
        ):
            continue
        uncovered.append(name)
    assert uncovered == [], f"routes missing from the permission matrix: {uncovered}"


def _guarded_by_admin_site(callback: Any) -> bool:
    """The view is AdminSite.admin_view's wrapper (recognised by its code, since update_wrapper
    copies the wrapped view's names onto it) or a ModelAdmin view wrapped through it."""
    if hasattr(callback, "model_admin") or hasattr(callback, "admin_site"):
        return True
    # Decorators keep the function they wrap in their closure: search those, a few levels deep.
    pending, seen = [(callback, 0)], set()
    while pending:
        function, depth = pending.pop()
        if id(function) in seen or depth > 6:
            continue
        seen.add(id(function))
        code = getattr(function, "__code__", None)
        if code is not None and code.co_qualname == "AdminSite.admin_view.<locals>.inner":
            return True
        inner = [getattr(function, "__wrapped__", None)]
        inner += [cell.cell_contents for cell in getattr(function, "__closure__", None) or ()]
        pending += [(item, depth + 1) for item in inner if callable(item)]
    return False


def test_every_administration_route_requires_staff() -> None:
    """Each administration page is wrapped by AdminSite.admin_view (which sends anyone but
    active staff to its login), except its own login and logout."""
    unguarded = []
    for name, pattern in all_routes():
        if not name or not name.startswith(ADMIN_NAMESPACE) or name in ADMIN_OPEN:
            continue
        if not _guarded_by_admin_site(pattern.callback):
            unguarded.append(name)
    assert unguarded == []
    from wib.accounts.views import people_view

    assert not _guarded_by_admin_site(people_view)  # the search does tell views apart
    assert set(ADMIN_SAMPLE) <= {name for name, _pattern in all_routes()}


def test_matrix_has_no_stale_rows() -> None:
    names = {name for name, _pattern in all_routes()}
    assert set(ROUTES) - names == set()
    assert PUBLIC_ROUTES - names == set()


def test_every_role_is_allowed_somewhere_and_refused_somewhere() -> None:
    """A guard against a table that allows everything or nothing for a role."""
    for role in ROLES:
        outcomes = {case.expected for case in CASES if case.role == role}
        assert ALLOWED in outcomes or ALLOWED_OR_MISSING in outcomes or role == ANONYMOUS
        assert outcomes - {ALLOWED, ALLOWED_OR_MISSING}, role
