"""Every page each role can reach passes axe in real Chromium, in Dutch and a sample of the others.

The world is the demo (`seed_demo`): four employers, a social secretariat with mandates, officials
of every authority and an administrator, with files in several states. Each role logs in through
the login page (with the TOTP code computed from its device key) and visits its pages; every page
must pass the WCAG 2.0/2.1/2.2 A and AA rules of axe and have exactly one h1, a <title> that
names the page, `lang` set to the page's language and a working skip link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from wib.core.demo import DEMO_PASSWORD, SECRETARIAT, enterprise_number, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_OFFICIAL = "new-official"
SUBMIT = "main form button[type=submit]"
Step = Callable[[Page], None]


def _click(selector: str) -> Step:
    """A step after loading: press a button (e.g. submit an empty form to show its errors)."""

    def step(page: Page) -> None:
        page.locator(selector).first.click()
        page.wait_for_load_state()

    return step


@dataclass(frozen=True)
class Visit:
    """A page: its name, the URL name and arguments, the languages to see it in, a step."""

    label: str
    url_name: str
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    languages: tuple[str, ...] = ("nl",)
    step: Step | None = None
    home: bool = False

    @property
    def errors(self) -> bool:
        return "error" in self.label


def _url(visit: Visit, language: str) -> str:
    with translation.override(language):
        return reverse(visit.url_name, kwargs=visit.kwargs) + visit.query


def _log_in(page: Page, username: str, problems: list[str], check: Callable[..., None]) -> None:
    """Through the login page in Dutch; the second-factor page is checked on the way."""
    page.goto("/nl/account/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        _check_page(page, "second factor (verify)", "nl", problems, check)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.locator("#id_token").fill(f"{code:06d}")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    assert "/account/login/" not in page.url, f"{username} could not log in"


def _check_page(
    page: Page,
    label: str,
    language: str,
    problems: list[str],
    check: Callable[[Page], None],
    *,
    home: bool = False,
) -> None:
    where = f"{label} [{language}] {page.url}"
    try:
        check(page)
    except AssertionError as error:
        problems.append(f"{where}: axe\n{error}")
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{where}: {headings} h1 elements")
    title = page.title().split(" – ")[0].strip()
    with translation.override(language):
        site_name = gettext("Working in Belgium")
    if not title or (title == site_name and not home):
        problems.append(f"{where}: the title {page.title()!r} does not name the page")
    lang = page.locator("html").get_attribute("lang")
    if lang != language:
        problems.append(f"{where}: lang={lang!r}")
    # The first link of the page skips to the main content (ours and the admin's).
    first_link = page.locator("body a[href]").first
    target = (first_link.get_attribute("href") or "") if first_link.count() else ""
    if not target.startswith("#") or page.locator(target).count() != 1:
        problems.append(f"{where}: no skip link to the main content")


def _visit_all(
    page: Page,
    visits: list[Visit],
    problems: list[str],
    check: Callable[[Page], None],
    live_url: str,
) -> None:
    for visit in visits:
        for language in visit.languages:
            response = page.goto(_url(visit, language))
            if response is None or response.status >= 400:
                status = response.status if response else "none"
                problems.append(f"{visit.label} [{language}] {page.url}: HTTP {status}")
                continue
            if visit.step is not None:
                visit.step(page)
            if visit.errors and page.locator(".error-summary, .errornote").count() == 0:
                problems.append(f"{visit.label} [{language}] {page.url}: no error summary shown")
            if (
                visit.step is None
                and page.url.split("?")[0].removeprefix(live_url)
                != _url(visit, language).split("?")[0]
            ):
                problems.append(f"{visit.label} [{language}]: redirected to {page.url}")
            _check_page(page, visit.label, language, problems, check, home=visit.home)


def _official_without_device() -> None:
    """A new official, sent to set up the authenticator app after the password."""
    from django.contrib.auth import get_user_model

    from wib.accounts.models import OfficialMembership
    from wib.geography.models import Authority

    user = get_user_model().objects.create_user(username=NEW_OFFICIAL, password=DEMO_PASSWORD)
    OfficialMembership.objects.create(
        user=user, authority=Authority.objects.get(code="brussels"), role="official"
    )


def _choose_enterprise(number: str) -> Step:
    def step(page: Page) -> None:
        page.locator(f"main input[name=enterprise][value='{number}']").check()
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()

    return step


def _wrong_code(page: Page) -> None:
    page.locator("#id_token").fill("000000")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _files() -> dict[str, object]:
    from wib.files.models import File

    return {file.worker_name: file for file in File.objects.all()}


def _pages_by_role() -> dict[str, list[Visit]]:
    from wib.accounts.models import EnterpriseMembership, Mandate

    files = _files()
    draft = {"public_id": files["Maria Santos"].public_id}
    approved = {"public_id": files["Asha Rao"].public_id}
    submitted = {"public_id": files["Kenji Tanaka"].public_id}
    requested = {"public_id": files["Chen Wei"].public_id}
    granted = {"public_id": files["Olena Kovalenko"].public_id}
    member = EnterpriseMembership.objects.get(user__username="eupen-employer")
    mandate = Mandate.objects.filter(employer__memberships__user__username="uccle-manager").first()
    continue_button = "main button[name=continue]"

    sections = [
        Visit(f"section {code}", "web:applications:section", {**draft, "section": code})
        for code in ("employer", "worker", "employment", "stay")
    ] + [
        Visit(
            f"section {code} with errors",
            "web:applications:section",
            {**draft, "section": code},
            step=_click(continue_button),
        )
        for code in ("employment", "stay")
    ]
    return {
        "anonymous": [
            Visit("home", "web:home", languages=("nl", "fr", "de", "en"), home=True),
            Visit("authority finder", "web:authority", languages=("nl", "fr", "de", "en")),
            Visit("authority result", "web:authority", query="?postcode=1630"),
            Visit("authority of two municipalities", "web:authority", query="?postcode=1040"),
            Visit(
                "authority error", "web:authority", query="?postcode=9999", languages=("nl", "fr")
            ),
            Visit("contacts", "web:contacts", languages=("nl", "de")),
            Visit("login", "accounts:login", languages=("nl", "en")),
            Visit("login with errors", "accounts:login", step=_click(SUBMIT)),
        ],
        "linkebeek-employer": [
            Visit("choose enterprise", "accounts:choose-enterprise"),
            Visit("password change", "accounts:password-change"),
            Visit("my files", "web:applications:list", languages=("nl", "fr")),
            Visit("my files filtered", "web:applications:list", query="?state=draft&q=Maria"),
            Visit("new application", "web:applications:new", languages=("nl", "de")),
            Visit(
                "new application with errors",
                "web:applications:new",
                step=_click(SUBMIT),
            ),
            Visit("task list", "web:applications:tasks", draft, languages=("nl", "en")),
            *sections,
            Visit("documents", "web:applications:documents", draft),
            Visit(
                "documents with an error",
                "web:applications:documents",
                draft,
                step=_click(SUBMIT),
            ),
            Visit("check your answers", "web:applications:check", draft),
            Visit(
                "check your answers with errors",
                "web:applications:check",
                draft,
                step=_click(SUBMIT),
            ),
            Visit("submitted", "web:applications:submitted", approved),
            Visit("file detail", "web:applications:detail", approved, languages=("nl", "fr", "en")),
            Visit("duplicate", "web:applications:duplicate", approved),
            Visit("eBox", "web:applications:ebox", languages=("nl", "de")),
            Visit("API tokens", "api-tokens:list"),
        ],
        NEW_OFFICIAL: [
            Visit("second factor (enrol)", "accounts:otp-enrol", languages=("nl", "fr")),
            Visit(
                "second factor (enrol) with errors",
                "accounts:otp-enrol",
                step=_wrong_code,
            ),
        ],
        "waterloo-employer": [
            Visit("information requested", "web:applications:detail", requested),
            Visit(
                "answer with errors",
                "web:applications:detail",
                requested,
                step=_click("main form[action$='/answer/'] button[type=submit]"),
            ),
        ],
        "secretariat": [
            Visit("my files (mandatary)", "web:applications:list"),
            Visit("file detail (mandatary)", "web:applications:detail", submitted),
            Visit("withdraw confirmation", "web:applications:withdraw", submitted),
            Visit(
                "withdraw with errors",
                "web:applications:withdraw",
                submitted,
                step=_click(SUBMIT),
            ),
            Visit("new application (mandatary)", "web:applications:new"),
            Visit(
                "choose enterprise (mandatary)",
                "accounts:choose-enterprise",
                languages=("nl", "fr"),
            ),
            Visit(
                "enterprise chosen",
                "accounts:choose-enterprise",
                step=_choose_enterprise(enterprise_number(SECRETARIAT)),
            ),
            Visit("mandates received", "accounts:mandates-received"),
        ],
        "eupen-manager": [
            Visit("people", "accounts:people", languages=("nl", "de")),
            Visit("member", "accounts:member", {"membership_id": member.pk}),
            Visit("mandates given", "accounts:mandates-given"),
            Visit("grant a mandate", "accounts:mandate-grant"),
            Visit(
                "grant a mandate with errors",
                "accounts:mandate-grant",
                step=_click(SUBMIT),
            ),
            Visit("renew", "web:applications:renew", granted),
            Visit("file detail (granted)", "web:applications:detail", granted, languages=("de",)),
        ],
        "uccle-manager": [
            Visit("revoke a mandate", "accounts:mandate-revoke", {"mandate_id": mandate.pk}),
        ],
        "official-wallonia": [
            Visit("queue", "backoffice:queue", languages=("nl", "fr")),
            Visit(
                "queue filtered",
                "backoffice:queue",
                query="?q=Chen&state=information_requested&overdue=on&sort=due",
            ),
            Visit("back-office file", "backoffice:file", requested, languages=("nl", "fr")),
        ],
        "supervisor-flanders": [
            Visit("queue (supervisor)", "backoffice:queue"),
        ],
        "official-brussels": [
            Visit("back-office file (submitted)", "backoffice:file", submitted),
            Visit(
                "back-office action with errors",
                "backoffice:file",
                submitted,
                step=_click("main form[action$='/actions/request_information/'] button"),
            ),
        ],
        "official-immigration": [
            Visit("queue (Immigration Office)", "backoffice:queue", languages=("nl", "en")),
            Visit(
                "back-office file (residence)", "backoffice:file", approved, languages=("nl", "de")
            ),
        ],
        "admin": [
            Visit("administration", "admin:index"),
        ],
    }


def test_every_page_of_every_role_is_accessible(chromium, live_server, assert_accessible):
    seed_demo()
    _official_without_device()
    pages = _pages_by_role()
    problems: list[str] = []
    for username, visits in pages.items():
        context = chromium.new_context(base_url=live_server.url, locale="nl-BE")
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            if username != "anonymous":
                _log_in(page, username, problems, assert_accessible)
            _visit_all(page, visits, problems, assert_accessible, live_server.url)
        finally:
            context.close()
    assert problems == [], "\n\n".join(problems)


def test_the_sweep_notices_a_page_without_h1_title_lang_or_skip_link(browser_page):
    browser_page.set_content(
        "<!doctype html><html lang='fr'><head><title>Working in Belgium – x</title></head>"
        "<body><main><h1>One</h1><h1>Two</h1><a href='/elsewhere'>Link</a></main></body></html>"
    )
    problems: list[str] = []
    _check_page(browser_page, "broken", "nl", problems, lambda page: None)
    assert [problem.split(": ", 1)[1].split(" ")[0] for problem in problems] == [
        "2",
        "the",
        "lang='fr'",
        "no",
    ]
