"""Forms of the public pages: what a visitor may type, and the messages when it is wrong."""

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

BASIS_CHOICES = [
    ("place_of_employment", _("A single permit or a short-stay work authorisation")),
    ("residence", _("A single permit of indefinite duration")),
]


class AuthorityLookupForm(forms.Form):
    """Postcode (and, where it spans two municipalities, the municipality) to route a file."""

    basis = forms.ChoiceField(
        label=_("What is the application for?"),
        choices=BASIS_CHOICES,
        initial="place_of_employment",
        required=False,
        widget=forms.RadioSelect,
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        help_text=_(
            "The Belgian postcode of the place of employment (the establishment unit where "
            "the worker will work) or, for a permit of indefinite duration, of the worker's "
            "residence. Four digits, for example 1630."
        ),
        regex=r"^\s*\d{4}\s*$",
        max_length=10,
        error_messages={
            "required": _("Enter a postcode."),
            "invalid": _("Enter a Belgian postcode of four digits, for example 1630."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        help_text=_("This postcode covers more than one municipality. Choose the one you mean."),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args, municipality_choices: Sequence[tuple[str, str]] = (), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ChoiceField)
        municipality.choices = list(municipality_choices)

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip()

    def clean_basis(self) -> str:
        return self.cleaned_data.get("basis") or "place_of_employment"
