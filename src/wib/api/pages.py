"""The page where enterprise users create, see and revoke their personal API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from wib.accounts import permissions
from wib.accounts.access import verified_second_factor_required

from .tokens import create_api_token, may_hold_tokens, revoke_api_token, token_of, tokens_of

app_name = "api-tokens"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("For example the name of the software that will use it."),
    )
    enterprise = forms.ChoiceField(label=_("Acting for"))

    def __init__(self, *args: Any, enterprises: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = {enterprise.number: enterprise for enterprise in enterprises}
        choice_field = self.fields["enterprise"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [(enterprise.number, str(enterprise)) for enterprise in enterprises]


def _token_holder_required(view: Any) -> Any:
    @verified_second_factor_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not may_hold_tokens(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_token_holder_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; a POST creates one and shows its secret on this answer only."""
    enterprises = list(permissions.enterprises_with_role(request.user).order_by("number"))
    form = TokenForm(request.POST or None, enterprises=enterprises)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = create_api_token(
                actor=request.user,
                acting_enterprise=form.enterprises[form.cleaned_data["enterprise"]],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm(enterprises=enterprises)
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens_of(actor=request.user), "secret": secret},
    )
    # The secret is on this page only: no cache may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@_token_holder_required
@require_POST
def token_revoke(request: HttpRequest, token_id: Any) -> HttpResponse:
    token = token_of(actor=request.user, token_id=token_id)
    if token is None:
        raise Http404
    revoke_api_token(actor=request.user, token=token)
    return HttpResponseRedirect(reverse("api-tokens:list"))


urlpatterns = [
    path("", token_list, name="list"),
    path("<uuid:token_id>/revoke/", token_revoke, name="revoke"),
]
