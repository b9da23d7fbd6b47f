"""Top-level URL map: language-prefixed pages, unprefixed probes and machine endpoints."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wib.core.health import healthz, readyz
from wib.core.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oidc/", include("wib.accounts.urls_oidc")),
    path("simulators/", include("wib.simulators.urls")),
    path("api/v1/", include("wib.api.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/api-tokens/", include("wib.api.pages")),
    path("account/", include("wib.accounts.urls")),
    path("backoffice/", include("wib.backoffice.urls")),
    path("", include("wib.web.urls")),
    prefix_default_language=True,
)
