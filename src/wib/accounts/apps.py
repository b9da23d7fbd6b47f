from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wib.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        _guard_admin_site()


def _guard_admin_site() -> None:
    """The admin site demands a verified second factor and uses our throttled login page."""
    from django.contrib import admin
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    site = admin.site
    if getattr(site, "_wib_guarded", False):
        return
    plain_has_permission = site.has_permission

    def has_permission(request: Any) -> bool:
        verified = getattr(request.user, "is_verified", None)
        return bool(plain_has_permission(request) and verified is not None and verified())

    def login(request: Any, extra_context: Any = None) -> Any:
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect_to_login(next_url, reverse("accounts:login"))

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.login = login  # type: ignore[method-assign]
    site._wib_guarded = True  # type: ignore[attr-defined]
