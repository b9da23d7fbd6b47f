"""Belgian identifiers: parsing what people type, checking, formatting and generating them.

Covered: the enterprise number (KBO/BCE), the establishment unit number, the INSZ/NISS (a
national register number or a BIS number) and the structured payment reference (OGM/VCS).
All are mod-97 numbers. Every way a number can be wrong has its own error code and a
translated message naming the kind of number, so a form can tell the user what to fix.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.be import ogm_vcs

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ENTERPRISE = "enterprise_number"
ESTABLISHMENT = "establishment_number"
INSZ = "insz"
PAYMENT_REFERENCE = "payment_reference"

# Error codes, shared by every kind of number.
EMPTY = "empty"
INVALID_CHARACTERS = "invalid_characters"
WRONG_LENGTH = "wrong_length"
WRONG_FIRST_DIGIT = "wrong_first_digit"
WRONG_CHECK_DIGITS = "wrong_check_digits"
IMPOSSIBLE_BIRTH_DATE = "impossible_birth_date"
NOT_NORMALIZED = "not_normalized"

MESSAGES: dict[tuple[str, str], _StrPromise] = {
    (ENTERPRISE, EMPTY): _("Enter an enterprise number."),
    (ENTERPRISE, INVALID_CHARACTERS): _(
        "An enterprise number contains only digits (dots, spaces and the prefix BE are "
        "allowed): please check the number."
    ),
    (ENTERPRISE, WRONG_LENGTH): _(
        "An enterprise number has 10 digits (9 for an old number): please check the number."
    ),
    (ENTERPRISE, WRONG_FIRST_DIGIT): _(
        "An enterprise number starts with 0 or 1: please check the number. A number "
        "starting with 2 to 8 is an establishment unit number."
    ),
    (ENTERPRISE, WRONG_CHECK_DIGITS): _(
        "The check digits of this enterprise number are wrong: please check the number."
    ),
    (ENTERPRISE, NOT_NORMALIZED): _(
        "Enter the enterprise number as 10 digits without dots or spaces."
    ),
    (ESTABLISHMENT, EMPTY): _("Enter an establishment unit number."),
    (ESTABLISHMENT, INVALID_CHARACTERS): _(
        "An establishment unit number contains only digits (dots and spaces are allowed): "
        "please check the number."
    ),
    (ESTABLISHMENT, WRONG_LENGTH): _(
        "An establishment unit number has 10 digits: please check the number."
    ),
    (ESTABLISHMENT, WRONG_FIRST_DIGIT): _(
        "An establishment unit number starts with a digit from 2 to 8: please check the "
        "number. A number starting with 0 or 1 is an enterprise number."
    ),
    (ESTABLISHMENT, WRONG_CHECK_DIGITS): _(
        "The check digits of this establishment unit number are wrong: please check the number."
    ),
    (ESTABLISHMENT, NOT_NORMALIZED): _(
        "Enter the establishment unit number as 10 digits without dots or spaces."
    ),
    (INSZ, EMPTY): _("Enter a national register number or BIS number."),
    (INSZ, INVALID_CHARACTERS): _(
        "A national register or BIS number contains only digits (dots, dashes and spaces "
        "are allowed): please check the number."
    ),
    (INSZ, WRONG_LENGTH): _(
        "A national register or BIS number has 11 digits: please check the number."
    ),
    (INSZ, WRONG_CHECK_DIGITS): _(
        "The check digits of this national register or BIS number are wrong: please check "
        "the number."
    ),
    (INSZ, IMPOSSIBLE_BIRTH_DATE): _(
        "This national register or BIS number contains an impossible birth date: please "
        "check the number."
    ),
    (INSZ, NOT_NORMALIZED): _(
        "Enter the national register or BIS number as 11 digits without dots, dashes or spaces."
    ),
    (PAYMENT_REFERENCE, EMPTY): _("Enter a structured payment reference."),
    (PAYMENT_REFERENCE, INVALID_CHARACTERS): _(
        "A structured payment reference contains only digits (plus signs, slashes and spaces "
        "are allowed): please check the reference."
    ),
    (PAYMENT_REFERENCE, WRONG_LENGTH): _(
        "A structured payment reference has 12 digits: please check the reference."
    ),
    (PAYMENT_REFERENCE, WRONG_CHECK_DIGITS): _(
        "The check digits of this structured payment reference are wrong: please check the "
        "reference."
    ),
    (PAYMENT_REFERENCE, NOT_NORMALIZED): _(
        "Enter the structured payment reference as 12 digits without plus signs or slashes."
    ),
}


class IdentifierError(ValidationError):
    """A number that cannot be accepted; `code` says why and `kind` which number it was.

    The constructor keeps ValidationError's signature (Django copies and re-raises these);
    build one with `IdentifierError.of(kind, code)`.
    """

    kind: str = ""

    @classmethod
    def of(cls, kind: str, code: str) -> IdentifierError:
        error = cls(MESSAGES[(kind, code)], code=code)
        error.kind = kind
        return error


# What people type between digits: spaces (also non-breaking), dots, slashes and dashes.
_SEPARATORS = re.compile(r"[\s./\-]+")
_PAYMENT_SEPARATORS = re.compile(r"[\s./\-+]+")
_ENTERPRISE_PREFIX = re.compile(r"^\s*BE[\s.:\-]*", re.IGNORECASE)


def _strip(kind: str, value: object, separators: re.Pattern[str]) -> str:
    """Remove the separators; raise for an empty value or any character that is not a digit."""
    text = "" if value is None else str(value)
    if not text.strip():
        raise IdentifierError.of(kind, EMPTY)
    digits = separators.sub("", text)
    # str.isdigit() also accepts other scripts' digits and superscripts: only ASCII 0-9 count.
    if not digits or not (digits.isascii() and digits.isdigit()):
        raise IdentifierError.of(kind, INVALID_CHARACTERS)
    return digits


def _mod97_check(base: str) -> str:
    """Check digits of the enterprise and establishment numbers: 97 - (base mod 97)."""
    return f"{97 - int(base) % 97:02d}"


# --- Enterprise number (KBO/BCE) -------------------------------------------------------------


def normalize_enterprise_number(value: str) -> str:
    """Return the 10 digits of an enterprise number typed in any usual spelling.

    Accepts dots, spaces, slashes, dashes, a "BE" prefix (the VAT spelling) and the 9-digit
    numbers issued before 2005, which get their leading 0 back.
    """
    text = "" if value is None else str(value)
    if not text.strip():
        raise IdentifierError.of(ENTERPRISE, EMPTY)
    without_prefix = _ENTERPRISE_PREFIX.sub("", text)
    if not without_prefix.strip():
        raise IdentifierError.of(ENTERPRISE, WRONG_LENGTH)
    digits = _strip(ENTERPRISE, without_prefix, _SEPARATORS)
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) != 10:
        raise IdentifierError.of(ENTERPRISE, WRONG_LENGTH)
    if digits[0] not in "01":
        raise IdentifierError.of(ENTERPRISE, WRONG_FIRST_DIGIT)
    # Not stdnum.be.vat.is_valid: it also accepts check digits 00 where the rule gives 97.
    if _mod97_check(digits[:8]) != digits[8:]:
        raise IdentifierError.of(ENTERPRISE, WRONG_CHECK_DIGITS)
    return digits


def format_enterprise_number(digits: str) -> str:
    """Show an enterprise number the official way: 0123.456.749."""
    number = normalize_enterprise_number(digits)
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def is_valid_enterprise_number(value: str) -> bool:
    try:
        normalize_enterprise_number(value)
    except IdentifierError:
        return False
    return True


def make_enterprise_number(base8: int) -> str:
    """Add the check digits to an 8-digit base (0 to 19,999,999): for generators and factories."""
    if not 0 < base8 < 20_000_000:
        raise ValueError("An enterprise number base lies between 1 and 19,999,999.")
    base = f"{base8:08d}"
    return base + _mod97_check(base)


def validate_enterprise_number(value: str) -> None:
    """Model-field validator: the stored value is a valid enterprise number in its 10 digits."""
    if normalize_enterprise_number(value) != value:
        raise IdentifierError.of(ENTERPRISE, NOT_NORMALIZED)


# --- Establishment unit number ---------------------------------------------------------------


def normalize_establishment_number(value: str) -> str:
    """Return the 10 digits of an establishment unit number (first digit 2 to 8, mod 97)."""
    digits = _strip(ESTABLISHMENT, value, _SEPARATORS)
    if len(digits) != 10:
        raise IdentifierError.of(ESTABLISHMENT, WRONG_LENGTH)
    if digits[0] not in "2345678":
        raise IdentifierError.of(ESTABLISHMENT, WRONG_FIRST_DIGIT)
    # python-stdnum has no module for these; the rule is the enterprise number's one.
    if _mod97_check(digits[:8]) != digits[8:]:
        raise IdentifierError.of(ESTABLISHMENT, WRONG_CHECK_DIGITS)
    return digits


def format_establishment_number(digits: str) -> str:
    """Show an establishment unit number the official way: 2.123.456.789."""
    number = normalize_establishment_number(digits)
    return f"{number[0]}.{number[1:4]}.{number[4:7]}.{number[7:]}"


def is_valid_establishment_number(value: str) -> bool:
    try:
        normalize_establishment_number(value)
    except IdentifierError:
        return False
    return True


def make_establishment_number(base9: int) -> str:
    """Add the check digits to the 8 digits before them (20,000,000 to 89,999,999).

    Named base9 in the team contract; the base is the number without its two check digits.
    """
    if not 20_000_000 <= base9 <= 89_999_999:
        raise ValueError(
            "An establishment unit number base lies between 20,000,000 and 89,999,999."
        )
    base = f"{base9:08d}"
    return base + _mod97_check(base)


def validate_establishment_number(value: str) -> None:
    """Model-field validator: the stored value is a valid establishment unit number, 10 digits."""
    if normalize_establishment_number(value) != value:
        raise IdentifierError.of(ESTABLISHMENT, NOT_NORMALIZED)


# --- INSZ / NISS: national register number or BIS number -----------------------------------

InszKind = Literal["national_register", "bis"]


def _insz_century(digits: str) -> int:
    """The century of birth, told by which check digits match.

    For births from 2000 on the check is computed over "2" followed by the first nine digits
    (Royal Decree on the national register; stdnum.be.nn holds the same rule). Both forms
    cannot match at once because 2,000,000,000 is not a multiple of 97.
    """
    check = int(digits[9:])
    if 97 - int(digits[:9]) % 97 == check:
        return 1900
    if 97 - int("2" + digits[:9]) % 97 == check:
        return 2000
    raise IdentifierError.of(INSZ, WRONG_CHECK_DIGITS)


def _insz_birth_date_parts(digits: str, today: date) -> tuple[int, int, int]:
    """(year, month, day) with 0 for an unknown month or day; raise for an impossible date.

    A BIS number adds 20 to the month when the sex was unknown and 40 when it was known. A
    month or day of 00 means it was not known when the number was issued (a person whose
    papers only give a year); that is allowed, anything outside the calendar is not.
    """
    year = _insz_century(digits) + int(digits[:2])
    month_field = int(digits[2:4])
    day = int(digits[4:6])
    month = month_field % 20 if month_field < 60 else 99
    if month > 12:
        raise IdentifierError.of(INSZ, IMPOSSIBLE_BIRTH_DATE)
    if month and day > calendar.monthrange(year, month)[1]:
        raise IdentifierError.of(INSZ, IMPOSSIBLE_BIRTH_DATE)
    if not month and day > 31:
        raise IdentifierError.of(INSZ, IMPOSSIBLE_BIRTH_DATE)
    earliest = date(year, month or 1, day or 1)
    if earliest > today:
        raise IdentifierError.of(INSZ, IMPOSSIBLE_BIRTH_DATE)
    return year, month, day


def normalize_insz(value: str, *, today: date | None = None) -> str:
    """Return the 11 digits of a national register number or BIS number typed in any spelling.

    `today` (default: today in Belgium) rules out birth dates in the future.
    """
    digits = _strip(INSZ, value, _SEPARATORS)
    if len(digits) != 11:
        raise IdentifierError.of(INSZ, WRONG_LENGTH)
    _insz_birth_date_parts(digits, today or timezone.localdate())
    return digits


def format_insz(digits: str) -> str:
    """Show an INSZ the official way: YY.MM.DD-XXX.CC."""
    number = normalize_insz(digits)
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def is_valid_insz(value: str, *, today: date | None = None) -> bool:
    try:
        normalize_insz(value, today=today)
    except IdentifierError:
        return False
    return True


def insz_kind(digits: str) -> InszKind:
    """ "bis" when the month carries the BIS offset of 20 or 40, else "national_register"."""
    number = normalize_insz(digits)
    return "bis" if int(number[2:4]) >= 20 else "national_register"


def birth_date_from_insz(digits: str) -> date | None:
    """The birth date in the number, or None when the number says it was not fully known."""
    number = normalize_insz(digits)
    year, month, day = _insz_birth_date_parts(number, timezone.localdate())
    if not (month and day):
        return None
    return date(year, month, day)


def make_insz(
    birth_date: date, serial: int, *, kind: InszKind = "national_register", sex_known: bool = True
) -> str:
    """Build a valid INSZ for a birth date and a daily serial (1-998): for generators and tests.

    A BIS number adds 40 to the month when the sex is known, 20 when it is not.
    """
    if not 1 <= serial <= 998:
        raise ValueError("The daily serial of an INSZ lies between 1 and 998.")
    month = birth_date.month
    if kind == "bis":
        month += 40 if sex_known else 20
    base = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial:03d}"
    prefixed = ("2" + base) if birth_date.year >= 2000 else base
    return f"{base}{97 - int(prefixed) % 97:02d}"


def validate_insz(value: str) -> None:
    """Model-field validator: the stored value is a valid INSZ in its 11 digits."""
    if normalize_insz(value) != value:
        raise IdentifierError.of(INSZ, NOT_NORMALIZED)


# --- Structured payment reference (OGM/VCS) ---------------------------------------------------


def normalize_payment_reference(value: str) -> str:
    """Return the 12 digits of a structured payment reference such as +++123/4567/89002+++."""
    digits = _strip(PAYMENT_REFERENCE, value, _PAYMENT_SEPARATORS)
    if len(digits) != 12:
        raise IdentifierError.of(PAYMENT_REFERENCE, WRONG_LENGTH)
    if not ogm_vcs.is_valid(digits):
        raise IdentifierError.of(PAYMENT_REFERENCE, WRONG_CHECK_DIGITS)
    return digits


def format_payment_reference(digits: str) -> str:
    """Show a structured payment reference as banks print it: +++123/4567/89002+++."""
    number = normalize_payment_reference(digits)
    return f"+++{number[:3]}/{number[3:7]}/{number[7:]}+++"


def is_valid_payment_reference(value: str) -> bool:
    try:
        normalize_payment_reference(value)
    except IdentifierError:
        return False
    return True


def make_payment_reference(base10: int) -> str:
    """Add the check digits (base mod 97, 97 for 0) to a base of up to 10 digits."""
    if not 0 < base10 < 10_000_000_000:
        raise ValueError("A payment reference base lies between 1 and 9,999,999,999.")
    base = f"{base10:010d}"
    return base + ogm_vcs.calc_check_digits(base)


def validate_payment_reference(value: str) -> None:
    """Model-field validator: the stored value is a valid payment reference in its 12 digits."""
    if normalize_payment_reference(value) != value:
        raise IdentifierError.of(PAYMENT_REFERENCE, NOT_NORMALIZED)


# --- Form fields ---------------------------------------------------------------------------


class _NumberInput(forms.TextInput):
    """A text input (not type=number, which drops leading zeros) that brings up a keypad."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})


class _IdentifierField(forms.CharField):
    """A text field whose clean() returns the identifier's digits, through `normalizer`."""

    widget = _NumberInput
    normalizer: Callable[[str], str]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        return type(self).normalizer(text)


class EnterpriseNumberField(_IdentifierField):
    """Accepts any usual spelling; clean() returns the 10 digits."""

    normalizer = staticmethod(normalize_enterprise_number)


class EstablishmentNumberField(_IdentifierField):
    """Accepts any usual spelling; clean() returns the 10 digits."""

    normalizer = staticmethod(normalize_establishment_number)


class InszField(_IdentifierField):
    """A national register number or BIS number; clean() returns the 11 digits."""

    normalizer = staticmethod(normalize_insz)


class PaymentReferenceField(_IdentifierField):
    """A structured payment reference (OGM/VCS); clean() returns the 12 digits."""

    normalizer = staticmethod(normalize_payment_reference)
