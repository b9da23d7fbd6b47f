"""Forms of the applicant's pages: what people type, and the messages when it is wrong.

The section forms themselves live in wib.files.sections (the services validate with them too);
these add what only the pages need: choices from the register, radio buttons, uploads.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wib.core.identifiers import EnterpriseNumberField, format_enterprise_number
from wib.files.sections import EmployerSectionForm, section_form

# The browser's file picker offers these; the server checks the content itself.
ACCEPT = ".pdf,.png,.jpg,.jpeg"
OTHER_PLACE = "other"


class NewApplicationForm(forms.Form):
    """What the user wants to do, in plain words, and for which employer."""

    employer = forms.ChoiceField(
        label=_("For which employer?"),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose an employer from the list.")},
    )
    procedure = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you want to do."),
            "invalid_choice": _("Choose what you want to do."),
        },
    )

    def __init__(
        self,
        *args: Any,
        employer_choices: list[tuple[str, str]],
        procedure_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        employer = self.fields["employer"]
        procedure = self.fields["procedure"]
        assert isinstance(employer, forms.ChoiceField)
        assert isinstance(procedure, forms.ChoiceField)
        employer.choices = employer_choices
        procedure.choices = procedure_choices
        if len(employer_choices) <= 1:
            employer.widget = forms.HiddenInput()


class VersionedForm(forms.Form):
    """The version of the file the form was loaded from: a stale form changes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _with_accessible_widgets(form: forms.Form) -> forms.Form:
    """Date pickers for dates and radio buttons for short choices, without JavaScript."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif name in {"in_belgium", "salary_period"} and isinstance(field, forms.ChoiceField):
            field.widget = forms.RadioSelect(choices=cast(Any, field.choices))
    return form


class EmployerPlaceForm(EmployerSectionForm):
    """The employer section with the enterprise number and the units known to the register."""

    enterprise_number = EnterpriseNumberField(
        label=_("Enterprise number of the employer"),
        help_text=_("As in the Crossroads Bank for Enterprises, e.g. 0123.456.749."),
        error_messages={"required": _("Enter the enterprise number of the employer.")},
    )
    establishment = forms.ChoiceField(
        label=_("Where will the worker mainly work?"),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a place of employment from the list.")},
    )

    field_order = [
        "enterprise_number",
        "employer_name",
        "registered_office_postcode",
        "registered_office_street",
        "establishment",
        "postcode",
        "municipality_refnis",
        "street",
        "establishment_number",
        "other_postcodes",
    ]

    def __init__(
        self,
        *args: Any,
        employer_number: str,
        units: list[Any],
        municipality_choices: list[tuple[str, str]] | None = None,
        allowed_numbers: frozenset[str] = frozenset(),
        register: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.employer_number = employer_number
        self.allowed_numbers = allowed_numbers | {employer_number}
        # Only what the register lacks is asked for: its published data always wins.
        self.asks_name = register is None or not register.name
        self.asks_office = (
            register is None
            or register.registered_office is None
            or not register.registered_office.postcode
        )
        if not self.asks_name:
            del self.fields["employer_name"]
        if not self.asks_office:
            del self.fields["registered_office_postcode"]
            del self.fields["registered_office_street"]
        else:
            self.fields["registered_office_postcode"].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "postal-code"}
            )
        self.units = {unit.number: unit for unit in units}
        establishment = self.fields["establishment"]
        assert isinstance(establishment, forms.ChoiceField)
        establishment.choices = [(unit.number, _unit_label(unit)) for unit in units] + [
            (OTHER_PLACE, _("Another address (enter it below)"))
        ]
        if not units:
            establishment.widget = forms.HiddenInput()
        # Without establishment units in the register the address below is the only place of
        # employment, so it must not be labelled "optional"; with units it is needed only for
        # "another address", which clean() checks.
        self.fields["postcode"].required = not units
        self.fields["postcode"].error_messages["required"] = _(
            "Enter the postcode of the place of employment as four digits, e.g. 1000."
        )
        self.fields["postcode"].label = _("Postcode of the place of employment")
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )
        self.offers_municipality = bool(municipality_choices)
        if municipality_choices:
            self.fields["municipality_refnis"] = forms.ChoiceField(
                label=_("Municipality"),
                help_text=_("This postcode covers two municipalities: choose the right one."),
                choices=municipality_choices,
                required=False,
                widget=forms.RadioSelect,
            )
        else:
            self.fields["municipality_refnis"].widget = forms.HiddenInput()

    def clean_postcode(self) -> str:
        if not (self.cleaned_data.get("postcode") or "").strip():
            return ""
        return super().clean_postcode()

    def clean_enterprise_number(self) -> str:
        value = self.cleaned_data["enterprise_number"]
        if value not in self.allowed_numbers:
            # The same words whether or not the register knows the number: nothing is revealed.
            raise ValidationError(
                _(
                    "You cannot apply for enterprise %(number)s: you do not act for it, "
                    "directly or through a mandate."
                ),
                code="employer_not_allowed",
                params={"number": format_enterprise_number(value)},
            )
        return value

    def keep_only_number_errors(self) -> None:
        """For a look-up in the register: only the enterprise number is judged, nothing else."""
        for name in [name for name in self.errors if name != "enterprise_number"]:
            del self.errors[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("establishment") or ""
        unit = self.units.get(chosen)
        if unit is not None:
            data["establishment_number"] = unit.number
            data["postcode"] = unit.postcode
            data["municipality_refnis"] = unit.municipality_refnis
            data["street"] = " ".join(
                part for part in (unit.street, unit.address.house_number) if part
            )
            self.errors.pop("postcode", None)
        elif not self.offers_municipality:
            # A municipality is only asked for where the postcode covers two.
            data["municipality_refnis"] = ""
        if unit is None and "postcode" not in self.errors and not data.get("postcode"):
            self.add_error(
                "postcode",
                ValidationError(
                    _("Enter the postcode of the place of employment as four digits, e.g. 1000."),
                    code="required",
                ),
            )
        return data

    def service_data(self) -> dict[str, str]:
        """What save_section receives: the place, without the page-only fields."""
        data = self.cleaned_data
        return {
            "enterprise_number": data.get("enterprise_number") or "",
            "employer_name": data.get("employer_name") or "",
            "registered_office_postcode": data.get("registered_office_postcode") or "",
            "registered_office_street": data.get("registered_office_street") or "",
            "establishment_number": data.get("establishment_number") or "",
            "postcode": data.get("postcode") or "",
            "street": data.get("street") or "",
            "municipality_refnis": data.get("municipality_refnis") or "",
            "other_postcodes": data.get("other_postcodes") or "",
        }


def _unit_label(unit: Any) -> str:
    street = " ".join(part for part in (unit.street, unit.address.house_number) if part)
    place = ", ".join(
        part for part in (street, f"{unit.postcode} {unit.municipality}".strip()) if part
    )
    return f"{unit.formatted_number} – {place}" if place else unit.formatted_number


def page_section_form(
    section: str, procedure_code: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> forms.Form:
    """The form a section page shows (the service validates the same fields again)."""
    if section == "employer":
        return _with_accessible_widgets(EmployerPlaceForm(data=data, **kwargs))
    form = section_form(section, procedure_code, data)
    return _with_accessible_widgets(form)


class DocumentUploadForm(forms.Form):
    """One document of one kind; the content and size are checked by wib.documents."""

    document = forms.FileField(
        label=_("Choose the file"),
        error_messages={"required": _("Choose the file to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(VersionedForm):
    """The answer to an open information request: a message, documents, or both."""

    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    kind = forms.ChoiceField(label=_("Kind of the documents"), choices=[], required=False)
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, PNG or JPEG. You may choose several files."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kinds


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this application. This cannot be undone."),
        error_messages={"required": _("Confirm that you want to withdraw the application.")},
    )


class DuplicateForm(forms.Form):
    include_worker = forms.BooleanField(
        label=_("Copy the worker's details (for a second application for the same person)"),
        required=False,
    )
    include_documents = forms.BooleanField(
        label=_("Copy the documents"),
        required=False,
        help_text=_(
            "Without the worker, only the employer's documents (job description, organisation "
            "chart, regional form) are copied."
        ),
    )


class DeclarationForm(VersionedForm):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the information in this application is correct and complete, and "
            "that I may apply on behalf of this employer."
        ),
        error_messages={
            "required": _("Confirm the declaration that the information is correct and complete.")
        },
    )


class FileSearchForm(forms.Form):
    """Search and filters of the overview (a GET form: the result can be bookmarked)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Reference, worker's name or national register number"),
    )
    state = forms.ChoiceField(label=_("Status"), choices=[], required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=[], required=False)
    authority = forms.ChoiceField(label=_("Authority"), choices=[], required=False)

    def __init__(
        self,
        *args: Any,
        states: list[tuple[str, str]],
        procedures: list[tuple[str, str]],
        authorities: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[str, Any]] = [("", _("All"))]
        for name, choices in (
            ("state", states),
            ("procedure", procedures),
            ("authority", authorities),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everything + choices
