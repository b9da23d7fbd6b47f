"""Admin for the geography data: authorities editable, Statbel tables read-only."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wib.geography.models import Authority, Municipality, PostalCode


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "kind", "city", "phone", "email"]
    list_filter = ["kind"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["code", "name_nl", "name_fr", "name_de", "name_en"]
    fieldsets = [
        (None, {"fields": ["code", "kind"]}),
        (_("Names"), {"fields": ["name_nl", "name_fr", "name_de", "name_en"]}),
        (
            _("Service"),
            {
                "fields": [
                    "service_name_nl",
                    "service_name_fr",
                    "service_name_de",
                    "service_name_en",
                ]
            },
        ),
        (_("Contact"), {"fields": ["street", "postcode", "city", "phone", "email", "website"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Files and the routing rules refer to authorities by code.
        return ["code", "kind"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Statbel's tables come from the data migration; nobody edits them by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(_ReadOnlyAdmin):
    list_display = ["refnis", "name_nl", "name_fr", "name_de", "region", "authority_code"]
    list_filter = ["region", "authority_code"]
    search_fields = ["refnis", "name_nl", "name_fr", "name_de", "postal_codes__code"]


@admin.register(PostalCode)
class PostalCodeAdmin(_ReadOnlyAdmin):
    list_display = ["code", "municipality"]
    search_fields = ["code", "municipality__name_nl", "municipality__name_fr"]
    list_select_related = ["municipality"]
