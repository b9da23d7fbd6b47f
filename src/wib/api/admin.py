"""Administration of API tokens: see and revoke; creating one is the owner's own page."""

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .tokens import revoke_api_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "owner", "acting_enterprise", "created_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "owner__username", "acting_enterprise__number")
    readonly_fields = (
        "name",
        "owner",
        "acting_enterprise",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: Any, queryset: Any) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            # Revoked as its owner would: the audit trail names the administrator separately.
            revoke_api_token(actor=token.owner, token=token)
