"""Admin for the simulators: switch faults on and off, mark eBox owners as not digital."""

from django.contrib import admin

from .models import (
    SimulatedAgencySubmission,
    SimulatedEboxAttachment,
    SimulatedEboxMessage,
    SimulatedEboxRecipient,
    SimulatorSwitch,
)

SIMULATED_ATTACHMENT_FIELDS: tuple[str, ...] = (
    "http_part_name",
    "filename",
    "content_type",
    "size",
    "sha256",
    "main_content",
)


@admin.register(SimulatorSwitch)
class SimulatorSwitchAdmin(admin.ModelAdmin):
    list_display = ["name", "is_down"]
    list_editable = ["is_down"]


@admin.register(SimulatedEboxRecipient)
class SimulatedEboxRecipientAdmin(admin.ModelAdmin):
    list_display = ["ebox_type", "ebox_id", "has_opened_ebox"]
    list_filter = ["ebox_type", "has_opened_ebox"]
    search_fields = ["ebox_id"]


class SimulatedEboxAttachmentInline(admin.TabularInline):
    model = SimulatedEboxAttachment
    extra = 0
    fields = SIMULATED_ATTACHMENT_FIELDS
    readonly_fields = SIMULATED_ATTACHMENT_FIELDS
    can_delete = False


@admin.register(SimulatedEboxMessage)
class SimulatedEboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "ebox_type",
        "ebox_id",
        "message_type_id",
        "recipient_is_digital",
    ]
    list_filter = ["ebox_type", "recipient_is_digital", "message_type_id"]
    search_fields = ["ebox_id", "business_id"]
    readonly_fields = [field.name for field in SimulatedEboxMessage._meta.fields]
    inlines = [SimulatedEboxAttachmentInline]


@admin.register(SimulatedAgencySubmission)
class SimulatedAgencySubmissionAdmin(admin.ModelAdmin):
    list_display = ["received_at", "authority_code", "idempotency_key"]
    list_filter = ["authority_code"]
    readonly_fields = [field.name for field in SimulatedAgencySubmission._meta.fields]
