"""Never a 500: every route of the product, for each role that reaches it, with hostile input.

For each URL pattern the sweep sends, as anonymous, an employer user, a verified official and a
verified administrator: a plain GET (to learn whether the role reaches the page and which fields
its forms have), then, where reached, a GET with a hostile query string and POSTs with missing
fields, 100 kB strings, NUL bytes, invalid UTF-8, impossible dates and huge numbers, JSON that
is not JSON, and a forged 200 MB Content-Length. The same is done with malformed and
non-existent ids in the URL. No answer may be a server error. Submissions that must be refused
are checked to leave the database as it was.

The data is built once for the module in an outer transaction rolled back at the end; each
route's test runs in its own savepoint, so whatever a hostile request manages to change is undone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, URLPattern, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.utils import translation
from robustness_helpers import (
    ADMIN,
    ANONYMOUS,
    EMPLOYER,
    OFFICIAL,
    ROLES,
    World,
    all_routes,
    build_world,
    client_for,
    form_fields,
    state_of_the_world,
)

pytestmark = pytest.mark.django_db

MISSING_UUID = "00000000-0000-4000-8000-000000000000"
HUGE = "9" * 30
LONG = "A" * 100_000
HOSTILE_QUERY = (
    "q=%00%FF%FE&page=" + HUGE + "&state=%3Cscript%3E&procedure=%00&authority=x"
    "&due_before=2026-02-30&overdue=%FF&sort=zzz&eboxType=enterprise&eboxIdValue=%00"
    "&postcode=" + HUGE + "&number=%00&basis=%FF&p=" + HUGE + "&o=abc&e=" + HUGE
)
# Administration pages: Django's own code; a sample of their kinds covers its handling.
ADMIN_KINDS = ("_changelist", "_change", "_history", "_delete")
# Routes that change state on any POST by design (ending a session); swept with GET only.
SESSION_ENDERS = {"accounts:logout", "accounts:logout-everywhere", "admin:logout"}
# Form submissions that must refuse every hostile variant and leave the database untouched.
MUST_REFUSE = {
    "web:applications:new",
    "web:applications:section",
    "web:applications:documents",
    "web:applications:check",
    "web:applications:withdraw",
    "web:applications:answer",
    "backoffice:action",
    "api:withdraw",
}


# Each value goes into every field of the form at once: numbers, dates, texts and choices all
# see a text too long, a NUL byte, an impossible date and a number no column can hold.
HOSTILE_VALUES = ("", LONG, "a\x00b\x01", "2026-02-30", HUGE, "-1e309")


def _product_routes() -> list[tuple[str, URLPattern]]:
    chosen = []
    for name, pattern in all_routes():
        if name.startswith("admin:") and not name.endswith(ADMIN_KINDS) and name != "admin:index":
            continue
        chosen.append((name, pattern))
    return chosen


ROUTES = _product_routes()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory) -> Any:
    return tmp_path_factory.mktemp("robustness-media")


@pytest.fixture(autouse=True)
def _media_root(settings, module_media):
    settings.MEDIA_ROOT = module_media


@pytest.fixture(autouse=True)
def _no_outside_calls(settings):
    """Pages that consult Dimona, DmfA or the eBox reach a closed port: refused at once."""
    settings.WIB_SOCIAL_SECURITY_TOKEN_URL = "http://127.0.0.1:9/token"
    settings.WIB_DIMONA_URL = "http://127.0.0.1:9/dimona"
    settings.WIB_DMFA_URL = "http://127.0.0.1:9/dmfa"
    settings.WIB_EBOX_URL = "http://127.0.0.1:9/ebox"


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


def _real_kwargs(pattern: URLPattern, world: World, name: str) -> dict[str, Any]:
    """Parameters naming objects that exist (the employer's own), where the route has any."""
    converters = getattr(pattern.pattern, "converters", {})
    draft_routes = ("tasks", "section", "documents", "remove-document", "fetch-employment")
    file = world.draft if name.rsplit(":", 1)[-1] in draft_routes else world.submitted
    document = world.draft.documents.first()
    values = {
        "public_id": file.public_id,
        "document_id": document.pk
        if isinstance(converters.get("document_id"), IntConverter)
        else document.stored_document_id,
        "section": "worker",
        "action": "declare_admissible",
        "authority_code": "flanders",
        "number": world.employer.number,
    }
    kwargs = {}
    for group in pattern.pattern.regex.groupindex:
        converter = converters.get(group)
        if group in values:
            kwargs[group] = values[group]
        elif isinstance(converter, UUIDConverter):
            kwargs[group] = MISSING_UUID
        elif isinstance(converter, IntConverter):
            kwargs[group] = 1
        else:
            kwargs[group] = "1" if group in ("object_id", "id") else "x"
    return kwargs


def _hostile_kwargs(pattern: URLPattern) -> list[dict[str, Any]]:
    """Non-existent, malformed and oversized parameters (each variant that the URL admits)."""
    converters = getattr(pattern.pattern, "converters", {})
    groups = list(pattern.pattern.regex.groupindex)
    if not groups:
        return []
    variants = []
    for style in ("missing", "malformed"):
        kwargs = {}
        for group in groups:
            converter = converters.get(group)
            if isinstance(converter, UUIDConverter):
                kwargs[group] = MISSING_UUID
            elif isinstance(converter, IntConverter):
                kwargs[group] = HUGE
            elif isinstance(converter, SlugConverter):
                kwargs[group] = "x" * 300 if style == "malformed" else "no-such-thing"
            else:
                kwargs[group] = "%00\u00ff" + "z" * 300 if style == "malformed" else "not-a-uuid"
        variants.append(kwargs)
    return variants


def _url(name: str, kwargs: dict[str, Any]) -> str | None:
    try:
        with translation.override("nl"):
            return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _reached(response: Any) -> bool:
    if response.status_code in (401, 403):
        return False
    location = response.get("Location", "")
    return not (
        response.status_code in (301, 302, 303)
        and any(part in location for part in ("/login/", "/second-factor/", "/enterprise/"))
    )


def _assert_not_500(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def _hostile_posts(client: Client, url: str, fields: list[str], file_fields: list[str]) -> None:
    names = fields or ["version", "q", "value"]
    _assert_not_500(client.post(url, {}), f"POST {url} without fields")
    for value in HOSTILE_VALUES:
        data: dict[str, Any] = {name: value for name in names}
        _assert_not_500(client.post(url, data), f"POST {url} with {value[:20]!r}")
    invalid_utf8 = b"&".join(name.encode() + b"=%FF%FE%00\xff\xfe" for name in names)
    _assert_not_500(
        client.post(url, invalid_utf8, content_type="application/x-www-form-urlencoded"),
        f"POST {url} with invalid UTF-8",
    )
    if file_fields:
        upload = {name: _fake_upload() for name in file_fields}
        upload.update({name: "x" for name in names})
        _assert_not_500(client.post(url, upload), f"POST {url} with a fake upload")
    bodies = [
        b"{not json",
        b"\xff\xfe\x00",
        b"[1, 2",
        b'{"expected_version": ' + HUGE.encode() + b"}",
    ]
    machine = "/api/" in url or "/simulators/" in url
    for body in bodies if machine else bodies[:1]:
        _assert_not_500(
            client.post(url, body, content_type="application/json"), f"POST {url} JSON {body!r}"
        )
    forged = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert forged.status_code == 413, f"POST {url} declaring 200 MB: {forged.status_code}"


def _fake_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    # A Windows program named as a PDF, with a NUL in its name.
    return SimpleUploadedFile("passport\x00.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")


@pytest.mark.parametrize(("name", "pattern"), ROUTES, ids=[name for name, _pattern in ROUTES])
def test_no_hostile_request_gets_a_server_error(name: str, pattern: URLPattern, world: World):
    url = _url(name, _real_kwargs(pattern, world, name))
    assert url is not None, f"{name} cannot be built"
    roles = (ADMIN,) if name.startswith("admin:") else ROLES
    for role in roles:
        client = client_for(world, role)
        response = client.get(url)
        _assert_not_500(response, f"{role} GET {url}")
        if not _reached(response):
            continue
        html = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
        fields, file_fields = (
            form_fields(html) if "text/html" in response.get("Content-Type", "") else ([], [])
        )
        _assert_not_500(client.get(url, QUERY_STRING=HOSTILE_QUERY), f"{role} GET {url}?hostile")
        if name not in SESSION_ENDERS and not name.startswith("admin:"):
            before = state_of_the_world() if name in MUST_REFUSE else None
            _hostile_posts(client, url, fields, file_fields)
            if before is not None:
                assert state_of_the_world() == before, f"{role} changed something via {name}"
        for kwargs in _hostile_kwargs(pattern):
            hostile_url = _url(name, kwargs)
            if hostile_url is None:
                continue
            _assert_not_500(client.get(hostile_url), f"{role} GET {hostile_url[:120]}")
            if name not in SESSION_ENDERS and not name.startswith("admin:"):
                _assert_not_500(
                    client.post(hostile_url, {"version": HUGE}),
                    f"{role} POST {hostile_url[:120]}",
                )


def test_every_route_of_the_product_is_swept():
    """The sweep covers every non-administration route; a new page cannot be forgotten."""
    swept = {name for name, _pattern in ROUTES}
    product = {name for name, _pattern in all_routes() if not name.startswith("admin:")}
    assert product <= swept
    assert {"web:applications:section", "backoffice:action", "api:withdraw"} <= swept
    assert any(name.endswith("_changelist") for name in swept)


def test_the_sweep_reaches_the_forms_it_means_to_attack(world: World):
    """The roles do reach the form pages (otherwise the sweep would test only refusals)."""
    reached = {}
    for name, role in (
        ("web:applications:section", EMPLOYER),
        ("backoffice:file", OFFICIAL),
        ("admin:accounts_user_changelist", ADMIN),
        ("web:home", ANONYMOUS),
    ):
        pattern = dict(all_routes())[name]
        response = client_for(world, role).get(_url(name, _real_kwargs(pattern, world, name)))
        reached[name] = response.status_code
    assert reached == {
        "web:applications:section": 200,
        "backoffice:file": 200,
        "admin:accounts_user_changelist": 200,
        "web:home": 200,
    }
    section = client_for(world, EMPLOYER).get(
        _url(
            "web:applications:section",
            {"public_id": world.draft.public_id, "section": "worker"},
        )
    )
    fields, _files = form_fields(section.content.decode())
    assert {"first_name", "birth_date", "version"} <= set(fields)
    assert uuid.UUID(str(world.draft.public_id))
