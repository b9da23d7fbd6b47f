"""Security review: CSRF, GET without side effects, second factor, sessions, redirects, uploads."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories import (
    EnterpriseFactory,
    FileFactory,
    MandateFactory,
    MembershipFactory,
    complete_draft,
    employer_user,
    official,
)

from wib.accounts.testing import act_for, login_with_second_factor
from wib.documents.services import DocumentRejected, document_response, store_upload
from wib.files import services
from wib.files.models import File

pytestmark = pytest.mark.django_db

EVIL = ("//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    employer = EnterpriseFactory()
    manager = MembershipFactory(enterprise=employer, is_access_manager=True).user
    draft = complete_draft(actor=manager, employer=employer)
    submitted = services.submit_file(
        file=complete_draft(actor=manager, employer=employer),
        actor=manager,
        declaration_accepted=True,
    )
    mandate = MandateFactory(employer=employer)
    return {
        "employer": employer,
        "manager": manager,
        "draft": draft,
        "submitted": submitted,
        "mandate": mandate,
    }


def _web(name: str, file: File, **kwargs) -> str:
    return reverse(f"web:applications:{name}", kwargs={"public_id": file.public_id, **kwargs})


# --- CSRF ----------------------------------------------------------------------------------------


def test_every_state_changing_form_requires_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["manager"])
    act_for(client, world["employer"])
    draft, submitted = world["draft"], world["submitted"]
    posts = [
        reverse("accounts:logout"),
        reverse("accounts:logout-everywhere"),
        reverse("accounts:choose-enterprise"),
        reverse("accounts:people"),
        reverse("accounts:mandate-grant"),
        reverse("accounts:mandate-revoke", args=[world["mandate"].pk]),
        reverse("accounts:password-change"),
        reverse("api-tokens:list"),
        reverse("web:applications:new"),
        _web("section", draft, section="worker"),
        _web("documents", draft),
        _web("check", draft),
        _web("withdraw", submitted),
        _web("duplicate", submitted),
        _web("answer", submitted),
        f"/api/v1/files/{submitted.public_id}/withdraw",
    ]
    versions = {file.pk: file.version for file in (draft, submitted)}
    for url in posts:
        response = client.post(url, {"version": 1, "declaration": "on", "enterprise": "x"})
        assert response.status_code == 403, url
    for file in File.objects.filter(pk__in=versions):
        assert file.version == versions[file.pk]
    assert world["mandate"].__class__.objects.get(pk=world["mandate"].pk).revoked_at is None

    clerk = Client(enforce_csrf_checks=True)
    login_with_second_factor(clerk, official("flanders"))
    action = reverse(
        "backoffice:action",
        kwargs={"public_id": submitted.public_id, "action": "declare_admissible"},
    )
    assert clerk.post(action, {"declare_admissible-version": 2}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_logout_is_post_only(world):
    client = Client()
    client.force_login(world["manager"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


# --- GET changes nothing -------------------------------------------------------------------------

# Rows a GET may legitimately write: the audit trail of consultations, sessions, and the
# unconfirmed authenticator secret the enrolment page shows (one per user, reused), and the
# rate-limit counters.
MAY_GROW_ON_GET = {
    "audit.auditrecord",
    "sessions.session",
    "otp_totp.totpdevice",
    "accounts.ratelimitcounter",  # API throttling counts reads too
}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in MAY_GROW_ON_GET and model._meta.managed
    }


def test_no_get_changes_any_row(world):
    employer, draft, submitted = world["employer"], world["draft"], world["submitted"]
    document = submitted.documents.first()
    applicant = Client()
    applicant.force_login(world["manager"])
    act_for(applicant, employer)
    clerk = Client()
    login_with_second_factor(clerk, official("flanders"))
    token_id = "00000000-0000-0000-0000-000000000000"
    applicant_pages = [
        reverse("web:home"),
        reverse("web:applications:list"),
        reverse("web:applications:new"),
        reverse("web:applications:ebox"),
        _web("tasks", draft),
        _web("documents", draft),
        _web("check", draft),
        *[
            _web("section", draft, section=code)
            for code in ("employer", "worker", "employment", "stay")
        ],
        _web("detail", submitted),
        _web("submitted", submitted),
        _web("receipt", submitted),
        _web("withdraw", submitted),
        _web("duplicate", submitted),
        _web("renew", submitted),
        _web("answer", submitted),
        _web("fetch-employment", draft),
        _web("document", submitted, document_id=document.stored_document_id),
        _web("remove-document", draft, document_id=draft.documents.first().stored_document_id),
        reverse("accounts:start"),
        reverse("accounts:choose-enterprise"),
        reverse("accounts:people"),
        reverse("accounts:mandates-given"),
        reverse("accounts:mandates-received"),
        reverse("accounts:mandate-grant"),
        reverse("accounts:mandate-revoke", args=[world["mandate"].pk]),
        reverse("accounts:logout"),
        reverse("accounts:logout-everywhere"),
        reverse("accounts:password-change"),
        reverse("api-tokens:list"),
        reverse("api-tokens:revoke", args=[token_id]),
        "/api/v1/files",
        f"/api/v1/files/{submitted.public_id}",
        f"/api/v1/files/{submitted.public_id}/withdraw",
    ]
    office = {"public_id": submitted.public_id}
    clerk_pages = [
        reverse("backoffice:queue"),
        reverse("backoffice:file", kwargs=office),
        reverse("backoffice:fetch-employment", kwargs=office),
        reverse("backoffice:action", kwargs={**office, "action": "declare_admissible"}),
        reverse(
            "backoffice:document",
            kwargs={**office, "document_id": document.stored_document_id},
        ),
    ]
    before = _row_counts()
    versions = dict(File.objects.values_list("pk", "version"))
    for client, url in [(applicant, u) for u in applicant_pages] + [
        (clerk, u) for u in clerk_pages
    ]:
        assert client.get(url).status_code < 500, url
    assert _row_counts() == before
    assert dict(File.objects.values_list("pk", "version")) == versions


# --- second factor -------------------------------------------------------------------------------


def test_an_official_with_only_a_password_reaches_nothing_behind_the_second_factor():
    file = FileFactory(state="submitted")
    clerk = official("flanders")
    client = Client()
    client.force_login(clerk)  # password session, no verified device
    office = {"public_id": file.public_id}
    for url in (
        reverse("backoffice:queue"),
        reverse("backoffice:file", kwargs=office),
        reverse("admin:index"),
        reverse("web:applications:list"),
        reverse("api-tokens:list"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/account/second-factor/" in response["Location"], url
    action = reverse("backoffice:action", kwargs={**office, "action": "declare_admissible"})
    assert client.post(action, {"declare_admissible-version": 1}).status_code == 302
    api = client.get(f"/api/v1/files/{file.public_id}")
    assert api.status_code == 401
    file.refresh_from_db()
    assert file.state == "submitted"


# --- sessions ------------------------------------------------------------------------------------


def _user_with_password():
    user = employer_user(EnterpriseFactory())
    user.set_password("correct horse battery 1")
    user.save()
    return user


def _log_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "correct horse battery 1"},
    )
    assert response.status_code == 302
    return client


def test_login_gives_a_new_session_key():
    user = _user_with_password()
    client = Client()
    client.get(reverse("accounts:login"))
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted_key = session.session_key
    client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "correct horse battery 1"},
    )
    assert client.session.session_key != planted_key


def test_a_password_change_ends_the_other_sessions_but_not_this_one():
    user = _user_with_password()
    here, elsewhere = _log_in(user), _log_in(user)
    list_url = reverse("web:applications:list")
    assert elsewhere.get(list_url).status_code in (200, 302)
    response = here.post(
        reverse("accounts:password-change"),
        {
            "old_password": "correct horse battery 1",
            "new_password1": "another long passphrase 2",
            "new_password2": "another long passphrase 2",
        },
    )
    assert response.status_code == 302
    assert "_auth_user_id" in here.session
    assert "/account/login/" in elsewhere.get(list_url)["Location"]


def test_logging_out_everywhere_ends_every_session():
    user = _user_with_password()
    here, elsewhere = _log_in(user), _log_in(user)
    here.post(reverse("accounts:logout-everywhere"))
    list_url = reverse("web:applications:list")
    assert "/account/login/" in here.get(list_url)["Location"]
    assert "/account/login/" in elsewhere.get(list_url)["Location"]


# --- open redirects ------------------------------------------------------------------------------


def _leaves_the_site(response) -> bool:
    location = response.get("Location", "")
    return "evil.example" in location


@pytest.mark.parametrize("target", EVIL)
def test_no_next_parameter_sends_the_user_to_another_site(target):
    user = _user_with_password()
    client = Client()
    login = client.post(
        reverse("accounts:login") + "?next=" + target,
        {"username": user.username, "password": "correct horse battery 1", "next": target},
    )
    assert not _leaves_the_site(login)
    start = client.get(reverse("accounts:start"), {"next": target})
    assert not _leaves_the_site(start)
    enterprise = user.enterprise_memberships.get().enterprise
    chosen = client.post(
        reverse("accounts:choose-enterprise"), {"enterprise": enterprise.number, "next": target}
    )
    assert chosen.status_code == 302 and not _leaves_the_site(chosen)
    language = client.post(reverse("set_language"), {"language": "fr", "next": target})
    assert not _leaves_the_site(language)
    language_referer = client.post(reverse("set_language"), {"language": "fr"}, HTTP_REFERER=target)
    assert not _leaves_the_site(language_referer)


# --- uploads -------------------------------------------------------------------------------------


def _upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_polyglot_pdf_is_only_ever_served_as_a_sandboxed_pdf_download():
    user = employer_user(EnterpriseFactory())
    polyglot = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    document = store_upload(
        uploaded_file=_upload("page.html", polyglot, "text/html"), uploaded_by=user
    )
    assert document.content_type == "application/pdf"
    response = document_response(document)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.html.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("scan.pdf", b"<html><body>not a pdf</body></html>"),
        ("scan.pdf", b"%PDF-1.4\n<html>truncated, no end marker</html>"),
        ("photo.jpg", b"GIF89a\x01\x00\x01\x00"),
    ],
)
def test_content_that_is_not_pdf_png_or_jpeg_is_refused_whatever_its_name(name, content):
    user = employer_user(EnterpriseFactory())
    with pytest.raises(DocumentRejected) as refused:
        store_upload(uploaded_file=_upload(name, content, "image/png"), uploaded_by=user)
    assert refused.value.code == "type_not_allowed"


def test_a_jpeg_declaring_a_huge_size_is_refused_before_it_is_read(settings):
    settings.WIB_UPLOAD_MAX_BYTES = 1024
    user = employer_user(EnterpriseFactory())
    upload = _upload("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 2048, "image/jpeg")
    with pytest.raises(DocumentRejected) as refused:
        store_upload(uploaded_file=upload, uploaded_by=user)
    assert refused.value.code == "too_large"


def test_a_filename_with_folders_or_control_characters_is_kept_harmless():
    user = employer_user(EnterpriseFactory())
    pdf = b"%PDF-1.4\n%%EOF\n"
    document = store_upload(
        uploaded_file=_upload('../../etc/pass\r\nX-Evil: 1"wd.pdf', pdf), uploaded_by=user
    )
    assert document.original_name == "passX-Evil: 1wd.pdf"
    assert ".." not in document.file.name and "etc" not in document.file.name
    disposition = document_response(document)["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition


def test_documents_of_a_file_are_downloaded_with_safe_headers(world):
    client = Client()
    client.force_login(world["manager"])
    act_for(client, world["employer"])
    submitted = world["submitted"]
    document = submitted.documents.first()
    for name in ("document", "document-inline"):
        response = client.get(_web(name, submitted, document_id=document.stored_document_id))
        assert response.status_code == 200
        assert response["Content-Type"] == document.stored_document.content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Content-Disposition" in response
        assert "sandbox" in response["Content-Security-Policy"]


def test_the_enterprise_chooser_keeps_a_next_address_with_a_query_string_whole():
    from urllib.parse import parse_qs, urlsplit

    from django.test import RequestFactory

    from wib.accounts.access import _choose

    request = RequestFactory().get("/nl/files/?state=submitted&procedure=single-permit")
    location = urlsplit(_choose(request)["Location"])
    assert parse_qs(location.query)["next"] == [
        "/nl/files/?state=submitted&procedure=single-permit"
    ]
