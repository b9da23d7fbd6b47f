"""The geography tables after `migrate`: five authorities, all Statbel municipalities, admin."""

import pytest
from django.apps import apps
from django.utils import translation

from wib.geography.models import Authority, Municipality, PostalCode
from wib.geography.reference import load_reference_data
from wib.geography.selectors import authorities, authority_by_code, municipalities_of_authority
from wib.geography.statbel import municipalities_by_postcode, municipalities_by_refnis

pytestmark = pytest.mark.django_db


def test_migration_loads_the_five_authorities():
    assert set(Authority.objects.values_list("code", "kind")) == {
        ("flanders", "work"),
        ("brussels", "work"),
        ("wallonia", "work"),
        ("german-speaking-community", "work"),
        ("immigration-office", "residence"),
    }
    brussels = Authority.objects.get(code="brussels")
    assert brussels.street == "Sint-Lazarusplein 2"
    assert brussels.postcode == "1035"
    assert brussels.phone == "02 204 13 99"
    community = Authority.objects.get(code="german-speaking-community")
    assert community.city == "Eupen"
    assert community.phone == "087 59 63 00"
    assert Authority.objects.get(code="wallonia").phone == "081 33 43 62"


def test_authority_names_follow_the_active_language():
    office = Authority.objects.get(code="immigration-office")
    flanders = Authority.objects.get(code="flanders")
    with translation.override("nl"):
        assert office.display_name == "Dienst Vreemdelingenzaken"
        assert "Dienst Economische Migratie" in flanders.service_display_name
    with translation.override("fr"):
        assert office.display_name == "Office des Étrangers"
    with translation.override("de"):
        assert str(Authority.objects.get(code="german-speaking-community")) == (
            "Deutschsprachige Gemeinschaft"
        )
    with translation.override("en"):
        assert flanders.display_name == "Flemish Region"
        # No service name of its own: the authority's name stands in.
        assert office.service_display_name == "Immigration Office"


def test_migration_loads_every_statbel_municipality_and_postcode():
    assert Municipality.objects.count() == len(municipalities_by_refnis()) == 565
    expected_links = sum(len(records) for records in municipalities_by_postcode().values())
    assert PostalCode.objects.count() == expected_links
    assert Municipality.objects.filter(authority_code="german-speaking-community").count() == 9
    eupen = Municipality.objects.get(refnis="63023")
    assert eupen.name_de == "Eupen"
    assert eupen.region == "03000"
    assert Municipality.objects.get(refnis="63049").authority_code == "wallonia"
    assert Municipality.objects.get(refnis="23100").name_de == ""
    shared = PostalCode.objects.filter(code="1050").values_list("municipality", flat=True)
    assert sorted(shared) == ["21004", "21009"]


def test_reloading_keeps_admin_edits_and_changes_nothing_else():
    Authority.objects.filter(code="flanders").update(email="economischemigratie@example.be")
    municipalities = Municipality.objects.count()
    postcodes = PostalCode.objects.count()

    load_reference_data(apps)

    assert Authority.objects.get(code="flanders").email == "economischemigratie@example.be"
    assert Authority.objects.count() == 5
    assert Municipality.objects.count() == municipalities
    assert PostalCode.objects.count() == postcodes


def test_reloading_restores_a_lost_postcode_and_drops_a_stray_one():
    PostalCode.objects.filter(code="1630").delete()
    PostalCode.objects.create(code="1630", municipality_id="21016")

    load_reference_data(apps)

    assert list(PostalCode.objects.filter(code="1630").values_list("municipality", flat=True)) == [
        "23100"
    ]


@pytest.fixture
def admin_client_en(client, admin_user):
    """An administrator who has passed the second factor (django-otp's session key)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_user, name="test", confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_admin_can_edit_an_authority(admin_client_en):
    authority = Authority.objects.get(code="wallonia")
    url = f"/en/admin/geography/authority/{authority.pk}/change/"
    assert admin_client_en.get(url).status_code == 200
    data = {
        field: getattr(authority, field)
        for field in [
            "name_nl",
            "name_fr",
            "name_de",
            "name_en",
            "service_name_nl",
            "service_name_fr",
            "service_name_de",
            "service_name_en",
            "street",
            "postcode",
            "city",
            "website",
        ]
    }
    data.update(phone="081 00 00 00", email="permis@example.be")
    response = admin_client_en.post(url, data)
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.phone == "081 00 00 00"
    assert authority.code == "wallonia"


def test_admin_shows_municipalities_read_only(admin_client_en):
    listing = admin_client_en.get("/en/admin/geography/municipality/?q=Linkebeek")
    assert listing.status_code == 200
    assert b"23100" in listing.content
    assert admin_client_en.get("/en/admin/geography/municipality/add/").status_code == 403
    change = admin_client_en.get("/en/admin/geography/municipality/23100/change/")
    assert change.status_code == 200
    assert b'name="name_nl"' not in change.content
    assert admin_client_en.get("/en/admin/geography/postalcode/add/").status_code == 403


def test_selectors_give_authorities_and_their_municipalities():
    assert authority_by_code("brussels").city == "Brussel"
    assert authority_by_code("atlantis") is None
    assert [item.code for item in authorities(kind="residence")] == ["immigration-office"]
    assert len(authorities()) == 5
    community = municipalities_of_authority("german-speaking-community")
    assert [item.refnis for item in community] == [
        "63001",
        "63012",
        "63013",
        "63023",
        "63040",
        "63048",
        "63061",
        "63067",
        "63087",
    ]
    assert len(municipalities_of_authority("brussels")) == 19
