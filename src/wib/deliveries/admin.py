"""The operators' view of the outbox: read-only, with a "retry" action for failed messages."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import DeliveryAttempt, DeliveryStatus, OutboxAttachmentFile, OutboxMessage
from .services import retry_failed_delivery

ATTACHMENT_FIELDS: tuple[str, ...] = ("position", "filename", "content_type", "size", "sha256")

ATTEMPT_FIELDS: tuple[str, ...] = (
    "number",
    "started_at",
    "finished_at",
    "outcome",
    "http_status",
    "detail",
)

MESSAGE_FIELDS: tuple[str, ...] = (
    "id",
    "channel",
    "recipient",
    "message_type",
    "subject",
    "body",
    "idempotency_key",
    "related_file_id",
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_at",
    "last_error",
    "delivered_at",
    "external_id",
    "retried_by",
    "retried_at",
    "created_at",
    "updated_at",
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(ReadOnlyInline):
    model = OutboxAttachmentFile
    fields = ATTACHMENT_FIELDS
    readonly_fields = ATTACHMENT_FIELDS


class AttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ATTEMPT_FIELDS
    readonly_fields = ATTEMPT_FIELDS


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "message_type",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "related_file_id",
    ]
    list_filter = ["status", "channel", "message_type"]
    search_fields = ["idempotency_key", "recipient", "related_file_id", "external_id"]
    date_hierarchy = "created_at"
    actions = ["retry_selected"]
    inlines = [AttachmentInline, AttemptInline]
    fields = MESSAGE_FIELDS
    readonly_fields = MESSAGE_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The outbox is evidence of what was sent; it is never edited or deleted by hand.
        return False

    @admin.action(description=_("Retry the selected failed deliveries"), permissions=["change"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        failed = list(queryset.filter(status=DeliveryStatus.FAILED).values_list("id", flat=True))
        for message_id in failed:
            retry_failed_delivery(message_id=message_id, actor=request.user)
        skipped = queryset.count() - len(failed)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery scheduled again.",
                "%(count)d deliveries scheduled again.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was not failed and was left alone.",
                    "%(count)d messages were not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
