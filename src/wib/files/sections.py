"""The forms behind each section of the application's task list, shared by services and pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wib.core import clock
from wib.core.identifiers import EnterpriseNumberField, EstablishmentNumberField, InszField
from wib.procedures.catalogue import CATEGORIES

SHORT_STAY_MAX_DAYS = 90


def _postcode_list(value: str) -> list[str]:
    return [item for item in value.replace(",", " ").split() if item]


class EmployerSectionForm(forms.Form):
    """Where the worker will work: the establishment unit, or at least its postcode.

    The employer's name and registered office come from the enterprise register; the
    ``employer_name`` and ``registered_office_*`` fields are only for what the register lacks
    (an enterprise not yet published, or one without a name or seat), so that the application
    can still be made and the official still sees who the employer is.
    """

    # Another enterprise the actor may act for: save_section makes it the draft's employer.
    enterprise_number = EnterpriseNumberField(
        label=_("Enterprise number of the employer"), required=False
    )
    employer_name = forms.CharField(label=_("Name of the employer"), max_length=200, required=False)
    registered_office_postcode = forms.CharField(
        label=_("Postcode of the registered office"), max_length=4, required=False
    )
    registered_office_street = forms.CharField(
        label=_("Street and number of the registered office"), max_length=200, required=False
    )
    establishment_number = EstablishmentNumberField(
        label=_("Establishment unit number"),
        required=False,
        help_text=_("The unit where the worker will mainly work, e.g. 2.123.456.789."),
    )
    postcode = forms.CharField(label=_("Postcode of the place of employment"), max_length=4)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    municipality_refnis = forms.CharField(
        label=_("Municipality"),
        max_length=5,
        required=False,
        help_text=_("Only needed when the postcode covers two municipalities."),
    )
    other_postcodes = forms.CharField(
        label=_("Postcodes of other places of employment"),
        max_length=200,
        required=False,
        help_text=_("Separated by spaces, if the worker will also work elsewhere."),
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not (len(value) == 4 and value.isdigit()):
            raise ValidationError(
                _("Enter the postcode of the place of employment as four digits, e.g. 1000."),
                code="postcode_format",
            )
        return value

    def clean_registered_office_postcode(self) -> str:
        from wib.geography.resolver import GeographyError, authority_for_postcode

        value = (self.cleaned_data.get("registered_office_postcode") or "").strip()
        if not value:
            return ""
        known = len(value) == 4 and value.isdigit()
        if known:
            try:
                authority_for_postcode(value)
            except GeographyError:
                known = False
        if not known:
            raise ValidationError(
                _("Enter the Belgian postcode of the registered office as four digits, e.g. 1000."),
                code="registered_office_postcode_format",
            )
        return value

    def clean_other_postcodes(self) -> str:
        values = _postcode_list(self.cleaned_data.get("other_postcodes", ""))
        for value in values:
            if not (len(value) == 4 and value.isdigit()):
                raise ValidationError(
                    _("“%(value)s” is not a postcode: enter four digits per place."),
                    code="postcode_format",
                    params={"value": value},
                )
        return " ".join(values)


class ResidenceSectionForm(forms.Form):
    """Where the worker lives (permit of indefinite duration)."""

    postcode = forms.CharField(label=_("Postcode of the worker's residence"), max_length=4)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    municipality_refnis = forms.CharField(label=_("Municipality"), max_length=5, required=False)

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not (len(value) == 4 and value.isdigit()):
            raise ValidationError(
                _("Enter the postcode of the worker's residence as four digits, e.g. 4700."),
                code="postcode_format",
            )
        return value


class WorkerSectionForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"))
    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=2,
        help_text=_("Two-letter country code, e.g. IN for India."),
    )
    insz = InszField(
        label=_("National register or BIS number"),
        required=False,
        help_text=_("If the worker has one."),
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=30)

    def clean_birth_date(self) -> datetime.date:
        value = self.cleaned_data["birth_date"]
        if value >= clock.today():
            raise ValidationError(
                _("The date of birth must be in the past."), code="birth_date_future"
            )
        return value

    def clean_nationality(self) -> str:
        value = self.cleaned_data["nationality"].strip().upper()
        if not (len(value) == 2 and value.isalpha()):
            raise ValidationError(
                _("Enter the nationality as a two-letter country code, e.g. IN."),
                code="nationality_format",
            )
        return value


class EmploymentSectionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[])
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    start_date = forms.DateField(label=_("Start date"))
    end_date = forms.DateField(label=_("End date"), required=False)
    gross_salary = forms.DecimalField(
        label=_("Gross salary (euro)"), max_digits=12, decimal_places=2, min_value=Decimal("0")
    )
    salary_period = forms.ChoiceField(
        label=_("Salary per"),
        choices=[("yearly", _("year")), ("monthly", _("month"))],
    )
    weekly_hours = forms.DecimalField(
        label=_("Working hours per week"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("60"),
        required=False,
    )
    joint_committee = forms.CharField(
        label=_("Joint committee"), max_length=10, required=False, help_text=_("e.g. 200")
    )

    def __init__(self, *args: Any, short_stay: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.short_stay = short_stay
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [(c.code, c.label) for c in CATEGORIES]
        if short_stay:
            self.fields["end_date"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error(
                    "end_date",
                    ValidationError(
                        _("The end date must be on or after the start date."),
                        code="end_before_start",
                    ),
                )
            elif self.short_stay and (end - start).days + 1 > SHORT_STAY_MAX_DAYS:
                self.add_error(
                    "end_date",
                    ValidationError(
                        _(
                            "A short stay lasts at most 90 days; for a longer employment, "
                            "apply for a single permit."
                        ),
                        code="short_stay_too_long",
                    ),
                )
        return data


class StaySectionForm(forms.Form):
    """Where the worker is now: decides who hands over the permit (municipality or consulate)."""

    in_belgium = forms.TypedChoiceField(
        label=_("Is the worker in Belgium now?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    residence_postcode = forms.CharField(
        label=_("Postcode of residence in Belgium"), max_length=4, required=False
    )
    consular_post = forms.CharField(
        label=_("Belgian embassy or consulate where the worker will apply for the visa"),
        max_length=200,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("in_belgium") is True and not data.get("residence_postcode"):
            self.add_error(
                "residence_postcode",
                ValidationError(
                    _("Enter the postcode where the worker lives in Belgium."),
                    code="residence_postcode_required",
                ),
            )
        if data.get("in_belgium") is False and not data.get("consular_post"):
            self.add_error(
                "consular_post",
                ValidationError(
                    _("Enter the embassy or consulate where the worker will apply for the visa."),
                    code="consular_post_required",
                ),
            )
        return data


SECTION_FORMS: dict[str, type[forms.Form]] = {
    "employer": EmployerSectionForm,
    "residence": ResidenceSectionForm,
    "worker": WorkerSectionForm,
    "employment": EmploymentSectionForm,
    "stay": StaySectionForm,
}


def section_form(
    section: str, procedure_code: str, data: dict[str, Any] | None = None
) -> forms.Form:
    """The bound (or unbound) form of a section, as pages and save_section use it."""
    form_class = SECTION_FORMS[section]
    if form_class is EmploymentSectionForm:
        return EmploymentSectionForm(
            data=data, short_stay=procedure_code == "short-stay-work-authorisation"
        )
    return form_class(data=data)


def to_json(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Cleaned data as JSON-safe values (dates and amounts as strings)."""
    result: dict[str, Any] = {}
    for key, value in cleaned.items():
        if isinstance(value, datetime.date | Decimal):
            result[key] = str(value)
        elif value is None:
            result[key] = ""
        else:
            result[key] = value
    return result
