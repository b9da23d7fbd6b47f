"""The short-stay work authorisation in real Chromium, from the employer's application through
the Walloon official's decision to the employer's eBox page, with axe checks on every page."""

from __future__ import annotations

import re

import pytest
from factories import (
    PDF_BYTES,
    EnterpriseFactory,
    EstablishmentUnitFactory,
    employer_user,
    official,
)
from journey_steps import (
    log_in,
    log_out,
    run_worker,
    upload_required_documents,
    with_password,
    with_totp_device,
)
from playwright.sync_api import expect

from wib.files.models import File
from wib.simulators.models import SimulatedEboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHORT_STAY = "short-stay-work-authorisation"


@pytest.fixture
def ebox_on_live_server(live_server, settings, transactional_db):
    """The eBox simulator on the live server (no authority has an external system here)."""
    settings.WIB_SIMULATORS_ENABLED = True
    settings.WIB_EBOX_URL = live_server.url + "/simulators/ebox"
    settings.WIB_AUTHORITY_SYSTEM_URLS = {}


def test_a_short_stay_authorisation_from_application_to_the_employers_ebox(
    browser_page, assert_accessible, ebox_on_live_server, tmp_path
):
    enterprise = EnterpriseFactory()
    unit = EstablishmentUnitFactory(
        enterprise=enterprise,
        postcode="1410",
        municipality_refnis="25110",
        municipality_nl="Waterloo",
        municipality_fr="Waterloo",
        street_nl="Chaussée de Bruxelles",
        street_fr="Chaussée de Bruxelles",
        house_number="150",
        authority_code="wallonia",
    )
    applicant = with_password(employer_user(enterprise))
    walloon = with_password(official("wallonia"))
    device = with_totp_device(walloon)
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF_BYTES)
    page = browser_page

    # The employer applies.
    page.goto("/en/files/new/")
    log_in(page, applicant.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new application")
    assert_accessible(page)
    page.get_by_label(re.compile("90 days or less")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work authorisation for a short stay")
    assert_accessible(page)

    page.get_by_role("link", name="Employer and place of employment").click()
    assert_accessible(page)
    page.get_by_label(re.compile(re.escape(unit.__str__()))).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The worker")
    assert_accessible(page)
    page.get_by_label("First name").fill("Chen")
    page.get_by_label("Last name").fill("Wei")
    page.get_by_label("Date of birth").fill("1987-12-01")
    page.get_by_label("Nationality").fill("CN")
    page.get_by_label("Passport number").fill("E12345678")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The employment")
    assert_accessible(page)
    page.get_by_label("Category").select_option("other")
    page.get_by_label("Job title").fill("Commissioning engineer")
    page.get_by_label("Start date").fill("2026-09-01")
    page.get_by_label("End date").fill("2026-10-15")
    page.get_by_label(re.compile(r"^Gross salary")).fill("5200")
    page.get_by_label("month", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    assert_accessible(page)
    upload_required_documents(
        page, pdf, procedure_code=SHORT_STAY, authority_code="wallonia", category="other"
    )
    page.get_by_role("link", name="Back to the application").last.click()

    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("main")).to_contain_text("Walloon Region")
    assert_accessible(page)
    page.get_by_label(re.compile("I declare")).check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application submitted")
    assert_accessible(page)
    file = File.objects.get()
    assert (file.state, file.authority.code) == ("submitted", "wallonia")
    log_out(page)

    # The Walloon official finds it in the queue, declares it admissible and authorises it.
    page.goto("/en/backoffice/")
    log_in(page, walloon.username, device=device)
    row = page.get_by_role("row", name=re.compile("Chen Wei"))
    expect(row).to_contain_text("Submitted")
    assert_accessible(page)
    row.get_by_role("link", name=file.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"File {file.reference}")
    assert_accessible(page)
    page.get_by_role("button", name="Declare admissible", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("declared admissible")
    assert_accessible(page)
    page.get_by_role("button", name="Approve the work part").click()
    expect(page.get_by_role("status")).to_contain_text("The work part was approved.")
    assert_accessible(page)
    file.refresh_from_db()
    assert file.state == "authorised"
    assert file.forwarded_at is None
    log_out(page)

    # The worker delivers the messages; the employer reads them in its eBox.
    run_worker()
    assert SimulatedEboxMessage.objects.filter(ebox_id=enterprise.number).count() == 3
    page.goto("/en/ebox/")
    log_in(page, applicant.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("My eBox (demonstration)")
    messages = page.locator("article.ebox-message")
    expect(messages).to_have_count(3)
    expect(page.get_by_role("main")).to_contain_text(file.reference)
    assert_accessible(page)
    decision = messages.filter(
        has=page.get_by_role("heading", name=re.compile("work authorisation granted"))
    )
    expect(decision).to_have_count(1)
    with page.expect_download() as download_info:
        decision.get_by_role("link", name=re.compile(r"\.pdf$")).click()
    downloaded = download_info.value.path().read_bytes()
    assert downloaded.startswith(b"%PDF")
