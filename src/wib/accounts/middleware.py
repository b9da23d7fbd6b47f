"""Holds officials and administrators at the second-factor step until they have passed it."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from .permissions import requires_second_factor

# Pages an unverified official may still reach: the way through the second factor and out.
OPEN_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp-enrol",
    "accounts:otp-verify",
    "oidc:login",
    "oidc:callback",
    "set_language",
    "healthz",
    "readyz",
}
OPEN_PATH_PREFIXES = ("/static/",)
# Machine endpoints: a client there cannot follow a redirect to an HTML form.
API_PATH_PREFIX = "/api/"


def second_factor_url(request: HttpRequest) -> str:
    """Enrolment when the user has no confirmed device yet, verification otherwise."""
    from django_otp import devices_for_user

    has_device = any(True for _ in devices_for_user(request.user, confirmed=True))
    url = reverse("accounts:otp-verify" if has_device else "accounts:otp-enrol")
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


def is_second_factor_pending(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    return requires_second_factor(user) and not (verified is not None and verified())


def second_factor_required_response() -> JsonResponse:
    """The API's JSON refusal (the shape of wib.api.errors, which this layer may not import)."""
    body = {
        "code": "second_factor_required",
        "detail": _(
            "Confirm your login with the code from your authenticator app in the browser "
            "first, or send an API token."
        ),
        "errors": [],
    }
    response = JsonResponse(body, status=401)
    # A session without its second factor is not authentication; a token is.
    response["WWW-Authenticate"] = "Bearer"
    response["Cache-Control"] = "no-store"
    return response


class SecondFactorMiddleware:
    """Redirects an official or administrator who has not passed the second factor to it;
    on the API, where nobody can follow that redirect, answers a JSON 401 instead.

    Placed after django_otp's OTPMiddleware, which tells whether this session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._is_open(request) or not is_second_factor_pending(request):
            return self.get_response(request)
        if request.path_info.startswith(API_PATH_PREFIX):
            return second_factor_required_response()
        return HttpResponseRedirect(second_factor_url(request))

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        if request.path_info.startswith(OPEN_PATH_PREFIXES):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.view_name in OPEN_URL_NAMES
