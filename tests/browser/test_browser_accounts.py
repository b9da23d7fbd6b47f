"""Access pages in real Chromium with axe: an access manager invites a colleague, changes roles,
gives and revokes a mandate; an official enrols an authenticator app and confirms a new login."""

import base64
import re

import pytest
from django.core import mail
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import EnterpriseFactory, MembershipFactory, UserFactory, official
from journey_steps import PASSWORD, log_in, with_password
from playwright.sync_api import expect

from wib.accounts.models import EnterpriseMembership, Mandate
from wib.core.identifiers import IdentifierError, normalize_enterprise_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVITEE_PASSWORD = "a long and unusual passphrase 93"
# A well-formed number whose check digits are wrong (the right ones are 49).
WRONG_NUMBER = "0123.456.750"


def identifier_message(value, language):
    with translation.override(language):
        try:
            normalize_enterprise_number(value)
        except IdentifierError as error:
            return error.messages[0]
    raise AssertionError(f"{value} was accepted")


def test_an_access_manager_invites_a_colleague_and_manages_roles_and_mandates(
    browser_page, chromium, live_server, assert_accessible
):
    employer = EnterpriseFactory()
    mandatary = EnterpriseFactory()
    manager = with_password(UserFactory(username="manager"))
    MembershipFactory(user=manager, enterprise=employer, is_access_manager=True)
    page = browser_page

    page.goto("/en/account/people/")
    log_in(page, manager.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("People of the enterprise")
    assert_accessible(page)

    # An invitation with an invalid address is refused with a summary linked to the field.
    page.get_by_label("E-mail address of the person").fill("not an address")
    page.get_by_role("button", name="Send the invitation").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("E-mail address of the person")).to_be_focused()

    mail.outbox.clear()
    page.get_by_label("E-mail address of the person").fill("Colleague@Example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status").first).to_contain_text("An invitation has been sent")
    expect(page.get_by_role("cell", name="colleague@example.org", exact=True)).to_be_visible()
    assert_accessible(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.org"]
    link = re.search(r"https?://\S+/account/invitation/\S+/", mail.outbox[0].body).group(0)

    # The invitee opens the link in a browser of their own and creates an account.
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        invitee = context.new_page()
        invitee.goto(link)
        expect(invitee.get_by_role("heading", level=1)).to_have_text("Accept the invitation")
        assert_accessible(invitee)
        invitee.get_by_label("First name").fill("Noor")
        invitee.get_by_label("Last name").fill("Peeters")
        invitee.get_by_label("Username").fill("noor")
        invitee.get_by_label("Password", exact=True).fill(INVITEE_PASSWORD)
        invitee.get_by_label("Password again").fill(INVITEE_PASSWORD + "x")
        invitee.get_by_role("button", name="Accept").click()
        expect(invitee.locator(".error-summary")).to_contain_text("The two passwords differ.")
        assert_accessible(invitee)
        invitee.get_by_label("Password", exact=True).fill(INVITEE_PASSWORD)
        invitee.get_by_label("Password again").fill(INVITEE_PASSWORD)
        invitee.get_by_role("button", name="Accept").click()
        expect(invitee.get_by_role("status").first).to_contain_text("You now have access to")
        assert_accessible(invitee)
        # The link works once.
        invitee.goto(link)
        expect(invitee.get_by_role("heading", level=1)).not_to_have_text("Accept the invitation")
    finally:
        context.close()
    membership = EnterpriseMembership.objects.get(user__username="noor", enterprise=employer)
    assert membership.has_single_window_role and not membership.is_access_manager

    # The access manager takes the single-window role away, then gives it back.
    page.goto("/en/account/people/")
    page.get_by_role("link", name="Change the access of noor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access of Noor Peeters")
    assert_accessible(page)
    role = page.get_by_label("May use the single window for the enterprise")
    expect(role).to_be_checked()
    role.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The roles have been saved.")
    membership.refresh_from_db()
    assert not membership.has_single_window_role
    page.get_by_role("link", name="Change the access of noor").click()
    page.get_by_label("May use the single window for the enterprise").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The roles have been saved.")
    membership.refresh_from_db()
    assert membership.has_single_window_role

    # A mandate: first a number with wrong check digits, refused with a translated message.
    page.get_by_role("link", name="Mandates given").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandates given")
    assert_accessible(page)
    page.get_by_role("link", name="Give a mandate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Give a mandate")
    assert_accessible(page)
    page.get_by_label("Enterprise number of the mandatary").fill(WRONG_NUMBER)
    page.get_by_role("button", name="Give the mandate").click()
    english = identifier_message(WRONG_NUMBER, "en")
    expect(page.locator(".error-summary")).to_contain_text(english)
    assert_accessible(page)

    page.goto("/nl/account/mandates/new/")
    page.locator("#id_mandatary_number").fill(WRONG_NUMBER)
    page.locator("form[method=post] button[type=submit]").last.click()
    dutch = identifier_message(WRONG_NUMBER, "nl")
    assert dutch != english
    expect(page.locator(".error-summary")).to_contain_text(dutch)
    assert_accessible(page)

    page.goto("/en/account/mandates/new/")
    page.get_by_label("Enterprise number of the mandatary").fill(mandatary.number)
    page.get_by_role("button", name="Give the mandate").click()
    expect(page.get_by_role("status").first).to_contain_text("The mandate has been given.")
    mandate = Mandate.objects.get(employer=employer, mandatary=mandatary)
    assert mandate.revoked_at is None
    expect(page.get_by_role("row", name=re.compile(str(mandatary)))).to_contain_text("active")
    assert_accessible(page)

    page.get_by_role("link", name=f"Revoke the mandate of {mandatary}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke a mandate")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke the mandate").click()
    expect(page.get_by_role("status").first).to_contain_text("The mandate has been revoked.")
    assert_accessible(page)
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None and mandate.revoked_by == manager


def code_from_secret(secret: str, *, drift: int = 0) -> str:
    """What an authenticator app shows for the secret key as typed from the page."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"


def test_an_official_enrols_an_authenticator_app_then_confirms_a_new_login(
    browser_page, chromium, live_server, assert_accessible
):
    user = with_password(official("flanders"))
    page = browser_page

    page.goto("/en/backoffice/")
    log_in(page, user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    assert_accessible(page)
    secret = page.locator(".summary-list code").first.inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret)

    # Not digits: the error summary, linked to the field; no attempt is spent on the device.
    page.get_by_label("Six-digit code from your authenticator app").fill("abcdef")
    page.get_by_role("button", name="Confirm").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter the digits shown in your app.")
    assert_accessible(page)
    assert page.locator(".summary-list code").first.inner_text() == secret

    page.get_by_label("Six-digit code from your authenticator app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/en/backoffice/$"))
    assert TOTPDevice.objects.get(user=user).confirmed

    # A new login in another browser: the password alone does not open the back office.
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        second = context.new_page()
        second.goto("/en/backoffice/")
        expect(second).to_have_url(re.compile(r"/en/account/login/"))
        second.get_by_label("Username").fill(user.username)
        second.get_by_label("Password").fill(PASSWORD)
        second.get_by_role("button", name="Log in").click()
        expect(second.get_by_role("heading", level=1)).to_have_text("Confirm your login")
        assert_accessible(second)
        second.goto("/en/backoffice/")
        expect(second.get_by_role("heading", level=1)).to_have_text("Confirm your login")
        # The code of the first login cannot be replayed: the app's next code is used.
        second.get_by_label("Six-digit code from your authenticator app").fill(
            code_from_secret(secret, drift=1)
        )
        second.get_by_role("button", name="Confirm").click()
        expect(second).to_have_url(re.compile(r"/en/backoffice/$"))
        assert_accessible(second)
    finally:
        context.close()
