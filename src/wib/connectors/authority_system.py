"""The connector for the competent authorities' own case systems: POST the file as JSON.

Each authority's endpoint comes from settings.WIB_AUTHORITY_SYSTEM_URLS (code → URL). An
authority without one works in our back office only; the outbox then records the message as
"not-applicable" instead of trying to deliver it.
"""

from __future__ import annotations

import base64

from django.conf import settings

from .base import (
    OUTCOME_DELIVERED,
    OUTCOME_NOT_APPLICABLE,
    DeliveryReceipt,
    DeliveryRequest,
    error_for_response,
    post,
)


def authority_system_url(authority_code: str) -> str:
    """The configured endpoint of an authority's system, or "" when it has none."""
    return str(settings.WIB_AUTHORITY_SYSTEM_URLS.get(authority_code, ""))


class AuthoritySystemConnector:
    """Delivers messages of the "authority-system" channel; the recipient is an authority code."""

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        url = authority_system_url(request.recipient)
        if not url:
            return DeliveryReceipt(
                outcome=OUTCOME_NOT_APPLICABLE,
                detail=f"No system configured for authority {request.recipient!r}.",
            )
        payload = {
            "idempotencyKey": request.idempotency_key,
            "messageType": request.message_type,
            "relatedFileId": request.related_file_id,
            "subject": dict(request.subject),
            "body": dict(request.body),
            "attachments": [
                {
                    "filename": attachment.filename,
                    "contentType": attachment.content_type,
                    "sha256": attachment.sha256,
                    "contentBase64": base64.b64encode(attachment.content).decode(),
                }
                for attachment in request.attachments
            ],
        }
        response = post(
            url,
            json=payload,
            headers={"Idempotency-Key": request.idempotency_key, "Accept": "application/json"},
        )
        if response.status_code not in (200, 201):
            raise error_for_response(response)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        return DeliveryReceipt(
            outcome=OUTCOME_DELIVERED,
            external_id=str(answer.get("id", "")),
            http_status=response.status_code,
        )
