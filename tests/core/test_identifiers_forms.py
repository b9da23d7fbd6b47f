"""The form fields for identifiers: they accept what people type and return the digits."""

from django import forms
from django.utils import translation

from wib.core.identifiers import EnterpriseNumberField, EstablishmentNumberField, InszField


class NumbersForm(forms.Form):
    enterprise = EnterpriseNumberField(label="Enterprise number")
    establishment = EstablishmentNumberField(label="Establishment unit number", required=False)
    insz = InszField(label="INSZ", required=False)


def test_the_fields_clean_to_the_normalized_digits():
    form = NumbersForm(
        data={
            "enterprise": "BE 0203.201.340",
            "establishment": "2.123.456.791",
            "insz": "85.07.30-033.28",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "enterprise": "0203201340",
        "establishment": "2123456791",
        "insz": "85073003328",
    }


def test_an_optional_empty_field_cleans_to_an_empty_string():
    form = NumbersForm(data={"enterprise": "0203201340", "establishment": "", "insz": "  "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["establishment"] == ""
    assert form.cleaned_data["insz"] == ""


def test_a_wrong_number_gives_the_specific_message_in_the_active_language():
    with translation.override("en"):
        form = NumbersForm(data={"enterprise": "0203201341"})
        assert not form.is_valid()
        assert form.errors.as_data()["enterprise"][0].code == "wrong_check_digits"
        assert form.errors["enterprise"] == [
            "The check digits of this enterprise number are wrong: please check the number."
        ]
    with translation.override("nl"):
        form = NumbersForm(data={"enterprise": "0203201341"})
        assert not form.is_valid()
        assert "ondernemingsnummer" in form.errors["enterprise"][0]


def test_a_required_field_left_empty_says_it_is_required():
    form = NumbersForm(data={"enterprise": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["enterprise"][0].code == "required"


def test_the_widget_brings_up_a_keypad_and_no_autocomplete():
    html = str(NumbersForm()["enterprise"])
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html
    assert 'type="text"' in html
