"""An official logs in with password and TOTP code, and decides a file in real Chromium."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import FileFactory, official
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple 42"


def test_official_declares_a_file_admissible_and_approves_the_work_part(
    browser_page, assert_accessible
):
    user = official("flanders")
    user.set_password(PASSWORD)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    file = FileFactory(state="submitted", worker_name="Asha Rao")
    page = browser_page

    page.goto("/en/backoffice/")
    expect(page).to_have_url(re.compile(r"/en/account/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your login")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Six-digit code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/en/backoffice/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Files of")
    row = page.get_by_role("row", name=re.compile("Asha Rao"))
    expect(row).to_contain_text("Submitted")
    assert_accessible(page)

    row.get_by_role("link", name=file.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"File {file.reference}")
    assert_accessible(page)

    page.get_by_role("button", name="Declare admissible", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("declared admissible")
    expect(page.locator(".lead")).to_contain_text("Admissible")

    # Refusing without a motivation shows the error summary, linked to the field.
    page.get_by_role("button", name="Refuse the work part").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Give the reasons for the decision.")
    assert_accessible(page)

    page.get_by_role("button", name="Approve the work part").click()
    expect(page.get_by_role("status")).to_contain_text("The work part was approved.")
    expect(page.locator(".lead")).to_contain_text("Work approved, with the Immigration Office")
    assert_accessible(page)

    page.get_by_role("link", name="Files", exact=True).click()
    expect(page.get_by_text("0 files")).to_be_visible()
