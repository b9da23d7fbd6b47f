"""An employer applies for a single permit through the real pages in Chromium, with axe checks."""

import re

import pytest
from factories import PDF_BYTES, EnterpriseFactory, EstablishmentUnitFactory, employer_user
from journey_steps import upload_required_documents
from playwright.sync_api import expect

from wib.files.models import File

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple 42"


def test_employer_applies_for_a_single_permit(browser_page, assert_accessible, tmp_path):
    enterprise = EnterpriseFactory()
    unit = EstablishmentUnitFactory(
        enterprise=enterprise,
        postcode="1630",
        municipality_refnis="23100",
        municipality_nl="Linkebeek",
        street_nl="Stationsstraat",
        house_number="12",
        authority_code="flanders",
    )
    user = employer_user(enterprise)
    user.set_password(PASSWORD)
    user.save()
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF_BYTES)
    page = browser_page

    page.goto("/en/files/new/")
    expect(page).to_have_url(re.compile(r"/en/account/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new application")

    page.get_by_label(re.compile("more than 90 days")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single permit")
    expect(page.locator(".task-list")).to_contain_text("Not yet started")
    assert_accessible(page)

    page.get_by_role("link", name="Employer and place of employment").click()
    page.get_by_label(re.compile(re.escape(unit.__str__()))).check()
    page.get_by_role("button", name="Save and continue").click()

    # The worker: an empty form shows the error summary, focused, linked to the fields.
    expect(page.get_by_role("heading", level=1)).to_have_text("The worker")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_be_visible()
    assert_accessible(page)
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

    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    file = File.objects.get()
    upload_required_documents(
        page, pdf, procedure_code="single-permit", authority_code="flanders", category="other"
    )
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
    file.refresh_from_db()
    expect(page.locator(".reference")).to_have_text(file.reference)
    assert file.state == "submitted"
    assert_accessible(page)
