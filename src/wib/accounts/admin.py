"""Administration of accounts, memberships, mandates and officials (second factor required)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    EnterpriseMembership,
    Invitation,
    LoginAttempt,
    Mandate,
    OfficialMembership,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Identity"), {"fields": ("national_register_number", "preferred_language")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "has_single_window_role", "is_access_manager")
    list_filter = ("is_access_manager", "has_single_window_role")
    search_fields = ("user__username", "user__email", "enterprise__number")
    raw_id_fields = ("user", "enterprise")
    actions = ["make_access_manager"]

    @admin.action(description=_("Make the selected people access managers"))
    def make_access_manager(self, request: Any, queryset: Any) -> None:
        for membership in queryset.select_related("user", "enterprise"):
            services.grant_access_manager(
                enterprise=membership.enterprise, user=membership.user, actor=request.user
            )
        self.message_user(request, _("Access managers set."), messages.SUCCESS)


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = (
        "employer",
        "mandatary",
        "procedure_group",
        "starts_on",
        "ends_on",
        "revoked_at",
    )
    search_fields = ("employer__number", "mandatary__number")
    raw_id_fields = ("employer", "mandatary", "created_by", "revoked_by")
    readonly_fields = ("created_at", "revoked_at", "revoked_by")


@admin.register(OfficialMembership)
class OfficialMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "authority", "role")
    list_filter = ("authority", "role")
    raw_id_fields = ("user",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "enterprise",
        "created_at",
        "expires_at",
        "accepted_at",
        "cancelled_at",
    )
    exclude = ("token_hash",)
    readonly_fields = (
        "enterprise",
        "email",
        "grants_single_window_role",
        "grants_access_manager",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "cancelled_at",
    )

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("attempted_at", "username", "ip_address", "outcome")
    list_filter = ("outcome",)
    search_fields = ("username", "ip_address")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
