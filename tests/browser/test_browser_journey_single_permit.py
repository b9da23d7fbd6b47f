"""The single permit in real Chromium, from the employer's login through submission, the Flemish
approval of the work part and the Immigration Office's grant to the final decision in the
employer's eBox, with axe checks on the key pages."""

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
    deliver_to_simulators,
    log_in,
    log_out,
    run_worker,
    upload_required_documents,
    with_password,
    with_totp_device,
)
from playwright.sync_api import expect

from wib.files.models import Decision, File
from wib.simulators.models import SimulatedEboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the employer's eBox receives for a file that goes straight through.
EMPLOYER_MESSAGES = {"file-submitted", "file-admissible", "work-approved", "permit-granted"}


@pytest.fixture
def simulators(live_server, settings):
    deliver_to_simulators(settings, live_server.url)


def test_a_single_permit_from_the_employers_login_to_the_decision_in_its_ebox(
    browser_page, assert_accessible, simulators, tmp_path
):
    enterprise = EnterpriseFactory()
    # Linkebeek (1630) is Flemish, although Uccle, 5 km north, is Brussels.
    unit = EstablishmentUnitFactory(
        enterprise=enterprise,
        postcode="1630",
        municipality_refnis="23100",
        municipality_nl="Linkebeek",
        municipality_fr="Linkebeek",
        street_nl="Stationsstraat",
        street_fr="Rue de la Gare",
        house_number="12",
        authority_code="flanders",
    )
    applicant = with_password(employer_user(enterprise))
    flemish = with_password(official("flanders"))
    flemish_device = with_totp_device(flemish)
    immigration = with_password(official("immigration-office"))
    immigration_device = with_totp_device(immigration)
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF_BYTES)
    page = browser_page

    # The employer logs in and applies.
    page.goto("/en/files/new/")
    assert_accessible(page)
    log_in(page, applicant.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new application")
    assert_accessible(page)
    page.get_by_label(re.compile("more than 90 days")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single permit")
    assert_accessible(page)

    page.get_by_role("link", name="Employer and place of employment").click()
    page.get_by_label(re.compile(re.escape(str(unit)))).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The worker")
    page.get_by_label("First name").fill("Asha")
    page.get_by_label("Last name").fill("Rao")
    page.get_by_label("Date of birth").fill("1992-03-04")
    page.get_by_label("Nationality").fill("IN")
    page.get_by_label("Passport number").fill("P1234567")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The employment")
    page.get_by_label("Category").select_option("other")
    page.get_by_label("Job title").fill("Engineer")
    page.get_by_label("Start date").fill("2026-09-01")
    page.get_by_label(re.compile(r"^Gross salary")).fill("70000")
    page.get_by_label("year", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Where the worker is now")
    page.get_by_label("No", exact=True).check()
    page.get_by_label(re.compile("embassy or consulate")).fill("New Delhi")
    page.get_by_role("button", name="Save and continue").click()

    upload_required_documents(
        page, pdf, procedure_code="single-permit", authority_code="flanders", category="other"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Back to the application").last.click()

    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting"
    )
    expect(page.get_by_role("main")).to_contain_text("Flemish Region")
    assert_accessible(page)
    page.get_by_label(re.compile("I declare")).check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application submitted")
    file = File.objects.get()
    expect(page.locator(".reference")).to_have_text(file.reference)
    assert_accessible(page)
    assert (file.state, file.authority.code) == ("submitted", "flanders")
    log_out(page)

    # The Flemish official logs in with the second factor, declares it admissible and
    # approves the work part: the file moves on to the Immigration Office by itself.
    page.goto("/en/backoffice/")
    log_in(page, flemish.username, device=flemish_device)
    row = page.get_by_role("row", name=re.compile("Asha Rao"))
    expect(row).to_contain_text("Submitted")
    assert_accessible(page)
    row.get_by_role("link", name=file.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"File {file.reference}")
    assert_accessible(page)
    page.get_by_role("button", name="Declare admissible", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("declared admissible")
    page.get_by_role("button", name="Approve the work part").click()
    expect(page.get_by_role("status")).to_contain_text("The work part was approved.")
    expect(page.locator(".lead")).to_contain_text("Work approved, with the Immigration Office")
    assert_accessible(page)
    file.refresh_from_db()
    assert (file.state, file.stage) == ("residence_review", "residence")
    log_out(page)

    # The Immigration Office official finds it in its own queue and grants the permit.
    page.goto("/en/backoffice/")
    log_in(page, immigration.username, device=immigration_device)
    row = page.get_by_role("row", name=re.compile("Asha Rao"))
    expect(row).to_contain_text("Work approved, with the Immigration Office")
    assert_accessible(page)
    row.get_by_role("link", name=file.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"File {file.reference}")
    assert_accessible(page)
    page.get_by_role("button", name="Grant the permit").click()
    expect(page.get_by_role("status")).to_contain_text("The permit was granted.")
    expect(page.locator(".lead")).to_contain_text("Permit granted")
    assert_accessible(page)
    file.refresh_from_db()
    assert file.state == "granted"
    assert list(Decision.objects.filter(file=file).values_list("stage", "outcome")) == [
        ("work", "approved"),
        ("residence", "granted"),
    ]
    log_out(page)

    # The worker delivers the outbox to the eBox simulator, over HTTP.
    run_worker()
    received = SimulatedEboxMessage.objects.filter(ebox_id=enterprise.number)
    assert set(received.values_list("message_type_id", flat=True)) == EMPLOYER_MESSAGES
    assert received.count() == len(EMPLOYER_MESSAGES)

    # The employer sees the final status in "My files" and the decision in "My eBox".
    page.goto("/en/files/")
    log_in(page, applicant.username)
    expect(page.get_by_role("row", name=re.compile(file.reference))).to_contain_text(
        "Permit granted"
    )
    assert_accessible(page)
    page.get_by_role("link", name="My eBox (demonstration)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My eBox (demonstration)")
    expect(page.locator("article.ebox-message")).to_have_count(len(EMPLOYER_MESSAGES))
    assert_accessible(page)
    decision = page.locator("article.ebox-message").filter(
        has=page.get_by_role(
            "heading",
            name=f"Final decision on application {file.reference}: permit granted",
        )
    )
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text("Annex 46")
    with page.expect_download() as download_info:
        decision.get_by_role("link", name=re.compile(r"\.pdf$")).click()
    download = download_info.value
    assert download.path().read_bytes().startswith(b"%PDF")
