"""Public pages: they parse the request, call one service or selector, and render."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token

from wib.geography.models import Authority
from wib.geography.resolver import (
    GeographyError,
    Place,
    Resolution,
    municipalities_for_postcode,
    resolve_authority,
)

from .forms import AuthorityLookupForm

# The order in which the services are presented: the regions north to south-east, then the
# Immigration Office, which handles the residence part of every single permit.
AUTHORITY_ORDER = ["flanders", "brussels", "wallonia", "german-speaking-community"]
IMMIGRATION_OFFICE = "immigration-office"


def _sign_in_url() -> str:
    # The login page belongs to the accounts app; until it is mounted, point to /login/.
    try:
        return reverse("accounts:login")
    except NoReverseMatch:
        return "/login/"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"sign_in_url": _sign_in_url()})


def _language() -> str:
    return (get_language() or "nl")[:2]


@dataclass(frozen=True)
class AuthorityAnswer:
    resolution: Resolution
    authority: Authority | None
    authority_name: str
    authority_service: str
    municipality: str
    immigration_office: Authority | None


def _answer(resolution: Resolution) -> AuthorityAnswer:
    authorities = {
        authority.code: authority
        for authority in Authority.objects.filter(
            code__in=[resolution.authority, IMMIGRATION_OFFICE]
        )
    }
    authority = authorities.get(resolution.authority)
    return AuthorityAnswer(
        resolution=resolution,
        authority=authority,
        authority_name=authority.display_name if authority else resolution.authority,
        authority_service=authority.service_display_name if authority else "",
        # Where a postcode spans two municipalities, naming one would be a guess.
        municipality=(
            resolution.municipality.name_in(_language()) if resolution.municipality_certain else ""
        ),
        immigration_office=authorities.get(IMMIGRATION_OFFICE),
    )


def authority(request: HttpRequest) -> HttpResponse:
    """Which authority handles my file? A GET form, so the answer can be bookmarked and shared."""
    data = request.GET.copy() if "postcode" in request.GET else None
    choices: list[tuple[str, str]] = []
    if data is not None:
        postcode = data.get("postcode", "").strip()
        if postcode.isdigit() and len(postcode) == 4:
            try:
                candidates = municipalities_for_postcode(postcode)
            except GeographyError:
                candidates = []
            if len(candidates) > 1:
                choices = [(item.refnis, item.name_in(_language())) for item in candidates]
        if not data.get("basis"):
            # Most visitors ask about a single permit: keep that radio button chosen.
            data["basis"] = "place_of_employment"
        if data.get("municipality") not in {refnis for refnis, _name in choices}:
            # A choice left over from another postcode is not an error: ask again.
            data["municipality"] = ""
    form = AuthorityLookupForm(data, municipality_choices=choices)
    answer = None
    if data is not None and form.is_valid():
        place = Place(
            postcode=form.cleaned_data["postcode"],
            municipality_refnis=form.cleaned_data["municipality"],
        )
        try:
            resolution = resolve_authority(places=[place], basis=form.cleaned_data["basis"])
        except GeographyError as error:
            form.add_error("postcode", error)
        else:
            answer = _answer(resolution)
    return render(
        request,
        "web/authority.html",
        {"form": form, "answer": answer, "asks_municipality": bool(choices)},
    )


def contacts(request: HttpRequest) -> HttpResponse:
    order = [*AUTHORITY_ORDER, IMMIGRATION_OFFICE]
    authorities = sorted(
        Authority.objects.all(),
        key=lambda item: order.index(item.code) if item.code in order else len(order),
    )
    return render(request, "web/contacts.html", {"authorities": authorities})


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired form is the usual cause, so say what to do, in plain words."""
    return render(request, "web/csrf_failure.html", status=403)
