"""A read-only view of the audit trail for administrators."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wib.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = [
        "sequence",
        "occurred_at",
        "actor_username",
        "action",
        "target_type",
        "target_id",
        "authority_code",
        "on_behalf_of",
    ]
    list_filter = ["action", "authority_code", "target_type"]
    search_fields = ["actor_username", "target_id", "on_behalf_of"]
    date_hierarchy = "occurred_at"
    ordering = ["-sequence"]
    actions = None
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditRecord._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
