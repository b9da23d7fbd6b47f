"""The public pages: layout, languages, the authority finder, contacts and error pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db

SERVICE_NAMES = {
    "nl": "Working in Belgium – Uniek loket",
    "fr": "Working in Belgium – Guichet unique",
    "de": "Working in Belgium – Einheitsschalter",
    "en": "Working in Belgium – Single window",
}


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_home_is_in_the_language_of_its_prefix(client, language):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert SERVICE_NAMES[language] in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert "Statbel" in html and "CC BY 4.0" in html


def test_home_explains_the_procedures_in_dutch(client):
    html = client.get("/nl/").content.decode()
    assert "Gecombineerde vergunning" in html
    assert "Dienst Vreemdelingenzaken" in html
    assert "eBox" in html


def test_home_has_a_sign_in_call_to_action(client):
    html = client.get("/en/").content.decode()
    link = re.search(r'<a class="button button--start" href="([^"]+)">Log in</a>', html)
    assert link is not None
    assert link.group(1).endswith("/login/")


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    html = client.get("/nl/authority/?postcode=1630").content.decode()
    assert 'href="/fr/authority/?postcode=1630" lang="fr" hreflang="fr"' in html
    assert 'href="/de/authority/?postcode=1630" lang="de" hreflang="de"' in html
    assert 'href="/en/authority/?postcode=1630" lang="en" hreflang="en"' in html
    assert 'href="/nl/authority/?postcode=1630" lang="nl" hreflang="nl" aria-current="true"' in html


def test_the_page_uses_only_the_external_stylesheet(client):
    html = client.get("/en/").content.decode()
    assert 'rel="stylesheet" href="/static/web/site.css"' in html
    assert "<script" not in html
    assert "style=" not in html


def test_signed_in_user_sees_name_and_a_logout_form(client):
    user = get_user_model().objects.create_user(
        username="an.employer", password="a-long-password-1", first_name="An", last_name="Peeters"
    )
    client.force_login(user)
    html = client.get("/en/contacts/").content.decode()
    assert "Logged in as An Peeters" in html
    assert re.search(r'<form method="post" action="[^"]*logout/"', html)
    assert "csrfmiddlewaretoken" in html


def test_anonymous_visitor_sees_no_logout_form(client):
    assert "Log out" not in client.get("/en/").content.decode()


def test_authority_form_page_is_empty_before_a_search(client):
    response = client.get("/en/authority/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="label " for="id_postcode">' in html or 'for="id_postcode"' in html
    assert "error-summary" not in html
    assert "Competent authority" not in html


@pytest.mark.parametrize(
    ("postcode", "authority_name", "phone"),
    [
        ("1630", "Flemish Region", ""),
        ("1180", "Brussels-Capital Region", "02 204 13 99"),
        ("1410", "Walloon Region", "081 33 43 62"),
        ("4700", "German-speaking Community", "087 59 63 00"),
    ],
)
def test_authority_finder_names_the_authority_its_reason_and_contact(
    client, postcode, authority_name, phone
):
    response = client.get("/en/authority/", {"postcode": postcode})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Competent authority: {authority_name}" in html
    assert 'class="result-explanation">' in html
    explanation = re.search(r'class="result-explanation">([^<]+)<', html).group(1)
    assert postcode in explanation
    assert phone in html
    assert "Immigration Office" in html


def test_authority_finder_names_the_municipality(client):
    html = client.get("/en/authority/", {"postcode": "1630"}).content.decode()
    assert "<dd>Linkebeek</dd>" in html


def test_authority_finder_answers_in_french(client):
    html = client.get("/fr/authority/", {"postcode": "1410"}).content.decode()
    assert "Autorité compétente : Région wallonne" in html


def test_unknown_postcode_shows_an_error_summary_linked_to_the_field(client):
    response = client.get("/en/authority/", {"postcode": "9999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert '<a href="#id_postcode">' in html
    assert "9999" in html and "is not a Belgian postcode" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_postcode-hint id_postcode-error"' in html
    assert "Competent authority" not in html


def test_unknown_postcode_error_is_translated(client):
    html = client.get("/nl/authority/", {"postcode": "9999"}).content.decode()
    assert "Er is een probleem" in html
    assert "9999" in html


@pytest.mark.parametrize("postcode", ["", "abc", "16300"])
def test_malformed_postcode_is_an_error_not_a_crash(client, postcode):
    response = client.get("/en/authority/", {"postcode": postcode})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_postcode_spanning_two_municipalities_asks_which_one(client):
    html = client.get("/en/authority/", {"postcode": "1040"}).content.decode()
    assert "Competent authority: Brussels-Capital Region" in html
    assert '<legend class="fieldset__legend ">Municipality</legend>' in html
    assert html.count('type="radio" name="municipality"') == 2


def test_chosen_municipality_is_shown(client):
    html = client.get(
        "/en/authority/", {"postcode": "1040", "municipality": "21005"}
    ).content.decode()
    assert "Competent authority: Brussels-Capital Region" in html
    assert "<dd>Etterbeek</dd>" in html


def test_a_municipality_left_over_from_another_postcode_is_ignored(client):
    response = client.get("/en/authority/", {"postcode": "1630", "municipality": "21005"})
    html = response.content.decode()
    assert "Competent authority: Flemish Region" in html
    assert "error-summary" not in html


def test_permit_of_indefinite_duration_goes_by_residence(client):
    html = client.get("/en/authority/", {"postcode": "4700", "basis": "residence"}).content.decode()
    assert "Competent authority: German-speaking Community" in html
    assert "where the worker lives" in html


def test_contacts_lists_the_five_services(client):
    response = client.get("/en/contacts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li class="card">') == 5
    for text in ("Koning Albert II-laan 35", "02 204 13 99", "081 33 43 62", "087 59 63 00"):
        assert text in html
    assert html.index("Flemish Region") < html.index("Immigration Office</h2>")


def test_not_found_page_is_translated(client):
    response = client.get("/fr/nothing-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert '<html lang="fr">' in html


def test_csrf_failure_says_the_form_expired_and_nothing_was_lost():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in html
    assert "nothing was lost" in html


@pytest.mark.parametrize(
    ("view", "status", "dutch_title"),
    [
        (defaults.permission_denied, 403, "U kunt deze pagina niet openen"),
        (defaults.bad_request, 400, "Het verzoek kon niet worden begrepen"),
        (defaults.server_error, 500, "Er is een probleem met de dienst"),
    ],
)
def test_error_pages_are_translated(view, status, dutch_title):
    request = RequestFactory().get("/nl/")
    with translation.override("nl"):
        response = view(request) if view is defaults.server_error else view(request, Exception())
    assert response.status_code == status
    assert dutch_title in response.content.decode()


def test_single_permit_is_the_default_basis(client):
    html = client.get("/en/authority/", {"postcode": "1630"}).content.decode()
    radio = r'<input type="radio" name="basis" value="place_of_employment"[^>]*checked'
    assert re.search(radio, html)


def test_signed_in_user_is_invited_to_their_files_instead_of_signing_in(client):
    user = get_user_model().objects.create_user(username="a.worker", password="a-long-password-1")
    client.force_login(user)
    html = client.get("/en/").content.decode()
    assert re.search(r'<a class="button button--start" href="[^"]+">My files</a>', html)
    assert ">Log in</a>" not in html
