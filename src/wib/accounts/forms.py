"""Forms of the access pages: login, second factor, invitations, members and mandates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from wib.core.identifiers import EnterpriseNumberField


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        value = self.cleaned_data["token"].replace(" ", "")
        if not value.isdigit():
            raise forms.ValidationError(_("Enter the digits shown in your app."), code="digits")
        return value


class ChooseEnterpriseForm(forms.Form):
    enterprise = forms.ChoiceField(label=_("Enterprise"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = choices  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    grants_single_window_role = forms.BooleanField(
        label=_("May use the single window for the enterprise"), required=False, initial=True
    )
    grants_access_manager = forms.BooleanField(
        label=_("Access manager (may invite and remove people and give mandates)"),
        required=False,
    )


class AcceptInvitationForm(forms.Form):
    """Creates the account of a person who has none yet."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 12 characters. Avoid common passwords."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        user_model = get_user_model()
        user_model.username_validator(username)
        if user_model.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user_model = get_user_model()
            candidate = user_model(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class MemberRolesForm(forms.Form):
    has_single_window_role = forms.BooleanField(
        label=_("May use the single window for the enterprise"), required=False
    )
    is_access_manager = forms.BooleanField(label=_("Access manager"), required=False)


class MandateForm(forms.Form):
    mandatary_number = EnterpriseNumberField(
        label=_("Enterprise number of the mandatary"),
        help_text=_(
            "For example 0123.456.749: the social secretariat, lawyer or service provider."
        ),
    )
    starts_on = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        help_text=_("Leave empty for a mandate without end date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data
