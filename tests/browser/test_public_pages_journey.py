"""A visitor finds the competent authority in real Chromium, in French, and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _search(page: Page, postcode: str, *, label: str, button: str) -> None:
    page.get_by_label(label, exact=False).fill(postcode)
    page.get_by_role("button", name=button).click()


def test_visitor_switches_to_french_and_finds_the_authority(browser_page, assert_accessible):
    page = browser_page
    page.goto("/nl/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Een vergunning aanvragen voor een buitenlandse werknemer"
    )
    assert_accessible(page)

    page.get_by_role("navigation", name="Taal").get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Working in Belgium – Guichet unique")).to_be_visible()
    assert_accessible(page)

    main = page.get_by_role("main")
    main.get_by_role("link", name="Quelle autorité traite mon dossier ?").click()
    expect(page).to_have_url(re.compile(r"/fr/authority/$"))
    assert_accessible(page)

    _search(page, "1630", label="Code postal", button="Trouver l'autorité")
    result = page.get_by_role("region", name=re.compile("Autorité compétente"))
    expect(result.get_by_role("heading")).to_have_text("Autorité compétente : Région flamande")
    expect(result.locator(".result-explanation")).to_contain_text("1630")
    expect(result).to_contain_text("Linkebeek")
    assert_accessible(page)

    _search(page, "1180", label="Code postal", button="Trouver l'autorité")
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Autorité compétente : Région de Bruxelles-Capitale"
    )
    assert_accessible(page)

    _search(page, "9999", label="Code postal", button="Trouver l'autorité")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("9999")
    expect(page.get_by_text("Autorité compétente")).to_have_count(0)
    assert_accessible(page)
    # The link in the summary takes the keyboard user to the field in error.
    summary.get_by_role("link").click()
    expect(page.locator("#id_postcode")).to_be_focused()


def test_postcode_of_two_municipalities_offers_a_choice(browser_page, assert_accessible):
    page = browser_page
    page.goto("/en/authority/?postcode=1040")
    expect(page.get_by_role("group", name="Municipality")).to_be_visible()
    page.get_by_label("Etterbeek").check()
    page.get_by_role("button", name="Find the authority").click()
    expect(page.locator(".panel--result")).to_contain_text("Etterbeek")
    assert_accessible(page)


def test_contacts_page_is_accessible(browser_page, assert_accessible):
    browser_page.goto("/de/contacts/")
    expect(browser_page.locator(".card")).to_have_count(5)
    assert_accessible(browser_page)


def test_authority_finder_works_without_javascript(browser_page_without_javascript):
    page = browser_page_without_javascript
    page.goto("/en/")
    page.get_by_role("main").get_by_role("link", name="Which authority handles my file?").click()
    _search(page, "4700", label="Postcode", button="Find the authority")
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Competent authority: German-speaking Community"
    )
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Zuständige Behörde: Deutschsprachige Gemeinschaft"
    )


def test_the_accessibility_check_fails_on_a_violation(browser_page, assert_accessible):
    browser_page.set_content('<!doctype html><html><body><img src="/nothing.png"></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(browser_page)
