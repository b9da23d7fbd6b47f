"""URL patterns of the API, mounted at /api/v1/ outside the language prefixes."""

from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from django.utils.translation import gettext as _

from .api import api
from .errors import error_body


def unknown_endpoint(request: HttpRequest, path: str) -> JsonResponse:
    """An address under /api/v1/ that is no endpoint: a JSON 404, not the HTML page."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


app_name = "api"
urlpatterns = [
    *api.urls[0],
    re_path(r"^(?P<path>.*)$", unknown_endpoint, name="unknown-endpoint"),
]
