"""Enterprise and establishment unit numbers: spellings, check digits and error codes."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import vat

from wib.core.identifiers import (
    IdentifierError,
    format_enterprise_number,
    format_establishment_number,
    is_valid_enterprise_number,
    is_valid_establishment_number,
    make_enterprise_number,
    make_establishment_number,
    normalize_enterprise_number,
    normalize_establishment_number,
    validate_enterprise_number,
    validate_establishment_number,
)

enterprise_bases = st.integers(min_value=1, max_value=19_999_999)
establishment_bases = st.integers(min_value=20_000_000, max_value=89_999_999)


def error_code(function, value):
    with pytest.raises(IdentifierError) as caught:
        function(value)
    return caught.value.code


def single_digit_changes(draw_from, number):
    position = draw_from(st.integers(min_value=0, max_value=len(number) - 1))
    digit = draw_from(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    return number[:position] + digit + number[position + 1 :]


def adjacent_transposition(draw_from, number):
    candidates = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
    position = draw_from(st.sampled_from(candidates))
    return number[:position] + number[position + 1] + number[position] + number[position + 2 :]


@pytest.mark.parametrize(
    "typed",
    [
        "0203.201.340",
        "0203201340",
        "203.201.340",
        "203201340",
        "BE0203201340",
        "be 0203.201.340",
        "BE 0203 201 340",
        "0203/201/340",
        "0203-201-340",
        " 0203\u00a0201\u00a0340 ",
    ],
)
def test_the_sncb_enterprise_number_is_accepted_in_every_usual_spelling(typed):
    assert normalize_enterprise_number(typed) == "0203201340"


def test_the_sncb_enterprise_number_is_shown_with_dots():
    assert format_enterprise_number("203201340") == "0203.201.340"
    assert is_valid_enterprise_number("0203.201.340")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("0203.2O1.340", "invalid_characters"),
        ("0203,201,340", "invalid_characters"),
        ("٠٢٠٣٢٠١٣٤٠", "invalid_characters"),
        ("BE", "wrong_length"),
        ("02032013", "wrong_length"),
        ("02032013400", "wrong_length"),
        ("2203201340", "wrong_first_digit"),
        ("0203201341", "wrong_check_digits"),
        # stdnum.be.vat accepts check digits 00 for a base divisible by 97; the rule says 97.
        ("0000009700", "wrong_check_digits"),
    ],
)
def test_each_way_an_enterprise_number_is_wrong_has_its_own_code(typed, code):
    assert error_code(normalize_enterprise_number, typed) == code


def test_the_message_names_the_kind_of_number():
    with translation.override("en"), pytest.raises(IdentifierError) as caught:
        normalize_enterprise_number("0203201341")
    with translation.override("en"):
        messages = caught.value.messages
    assert messages == [
        "The check digits of this enterprise number are wrong: please check the number."
    ]
    assert caught.value.kind == "enterprise_number"


@given(enterprise_bases)
def test_a_made_enterprise_number_is_valid_and_agrees_with_stdnum(base):
    number = make_enterprise_number(base)
    assert len(number) == 10
    assert normalize_enterprise_number(number) == number
    assert vat.is_valid(number)


@given(enterprise_bases)
def test_formatting_then_normalizing_an_enterprise_number_gives_it_back(base):
    number = make_enterprise_number(base)
    formatted = format_enterprise_number(number)
    assert formatted[4] == "." and formatted[8] == "."
    assert normalize_enterprise_number(formatted) == number
    assert normalize_enterprise_number("BE" + formatted) == number
    assert normalize_enterprise_number("be " + number) == number


@given(st.integers(min_value=1, max_value=9_999_999))
def test_an_old_nine_digit_enterprise_number_gets_its_leading_zero(base):
    number = make_enterprise_number(base)
    assert number.startswith("0")
    assert normalize_enterprise_number(number[1:]) == number


@given(enterprise_bases, st.data())
def test_any_single_digit_change_breaks_an_enterprise_number(base, data):
    changed = single_digit_changes(data.draw, make_enterprise_number(base))
    assert error_code(normalize_enterprise_number, changed) in {
        "wrong_check_digits",
        "wrong_first_digit",
    }


@given(enterprise_bases, st.data())
def test_any_adjacent_transposition_breaks_an_enterprise_number(base, data):
    number = make_enterprise_number(base)
    swapped = adjacent_transposition(data.draw, number)
    assert not is_valid_enterprise_number(swapped)


def test_the_model_validator_wants_the_ten_digits():
    validate_enterprise_number("0203201340")
    assert error_code(validate_enterprise_number, "0203.201.340") == "not_normalized"
    assert error_code(validate_enterprise_number, "0203201341") == "wrong_check_digits"


def test_make_enterprise_number_refuses_a_base_out_of_range():
    with pytest.raises(ValueError):
        make_enterprise_number(20_000_000)
    with pytest.raises(ValueError):
        make_enterprise_number(0)


@given(establishment_bases)
def test_a_made_establishment_number_is_valid_and_round_trips(base):
    number = make_establishment_number(base)
    formatted = format_establishment_number(number)
    assert formatted[1] == "." and len(formatted) == 13
    assert normalize_establishment_number(formatted) == number
    assert normalize_establishment_number(formatted.replace(".", " ")) == number


def test_an_establishment_number_is_shown_the_official_way():
    number = make_establishment_number(21_234_567)
    assert number == "2123456791"
    assert format_establishment_number(number) == "2.123.456.791"
    assert is_valid_establishment_number("2.123.456.791")
    assert not is_valid_establishment_number("2.123.456.792")


@given(establishment_bases, st.data())
def test_any_single_digit_change_breaks_an_establishment_number(base, data):
    changed = single_digit_changes(data.draw, make_establishment_number(base))
    assert error_code(normalize_establishment_number, changed) in {
        "wrong_check_digits",
        "wrong_first_digit",
    }


@given(establishment_bases, st.data())
def test_any_adjacent_transposition_breaks_an_establishment_number(base, data):
    swapped = adjacent_transposition(data.draw, make_establishment_number(base))
    assert not is_valid_establishment_number(swapped)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("2.123.456.79x", "invalid_characters"),
        ("BE2123456791", "invalid_characters"),
        ("2.123.456.7", "wrong_length"),
        ("0203201340", "wrong_first_digit"),
        ("9123456791", "wrong_first_digit"),
        ("2123456792", "wrong_check_digits"),
    ],
)
def test_each_way_an_establishment_number_is_wrong_has_its_own_code(typed, code):
    assert error_code(normalize_establishment_number, typed) == code


def test_the_establishment_model_validator_wants_the_ten_digits():
    validate_establishment_number("2123456791")
    assert error_code(validate_establishment_number, "2.123.456.791") == "not_normalized"
