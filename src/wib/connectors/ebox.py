"""The eBox connector: publishes a message to an enterprise's or a citizen's eBox.

Shape after the eBox REST API 2.x (`POST {base}/publishMessage`, multipart): a JSON part
`messageToPublish` and file parts `upfile1`…`upfile6`. The answer is 201, optionally with the
code `NO_DIGITAL_USER` (the recipient never opened its eBox: the message is published, but a paper
letter is due). The real service needs an OAuth2 bearer token; the simulator does not.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping

from django.conf import settings

from .base import (
    OUTCOME_DELIVERED,
    OUTCOME_PAPER_REQUIRED,
    DeliveryReceipt,
    DeliveryRequest,
    PermanentDeliveryError,
    error_for_response,
    post,
)

MAX_ATTACHMENTS = 6
NO_DIGITAL_USER = "NO_DIGITAL_USER"
# The key under which the outbox's idempotency key travels in businessDataList, so that the
# eBox (and our simulator) can recognise a retry of a message it already holds.
BUSINESS_ID_KEY = "businessId"
EBOX_LANGUAGES = ("nl", "fr", "de", "en")


def ebox_recipient(recipient: str) -> dict[str, str]:
    """An outbox recipient as an eBox id: 10 digits is an enterprise, 11 digits a citizen (INSZ).

    An explicit "enterprise:" or "citizen:" prefix is accepted too.
    """
    kind, _, value = recipient.rpartition(":")
    digits = "".join(character for character in value if character.isdigit())
    if not kind:
        kind = {10: "enterprise", 11: "citizen"}.get(len(digits), "")
    if kind not in {"enterprise", "citizen"}:
        raise PermanentDeliveryError(f"Not an eBox recipient: {recipient!r}.")
    return {"eboxType": kind, "eboxIdValue": digits}


def _translated(values: Mapping[str, str]) -> dict[str, str]:
    return {language: values[language] for language in EBOX_LANGUAGES if values.get(language)}


def build_message_to_publish(request: DeliveryRequest) -> dict[str, object]:
    """The JSON description of the message, as the eBox expects it."""
    message: dict[str, object] = {
        "recipient": ebox_recipient(request.recipient),
        "subject": _translated(request.subject),
        "messageTypeId": request.message_type,
        "senderOrganizationId": settings.WIB_EBOX_SENDER_ORGANIZATION_ID,
        "senderApplicationId": settings.WIB_EBOX_SENDER_APPLICATION_ID,
        "replyAuthorized": False,
        "businessDataList": [
            {
                "key": BUSINESS_ID_KEY,
                "values": [{language: request.idempotency_key for language in ("nl", "fr", "de")}],
            }
        ],
    }
    body = _translated(request.body)
    # A message needs at least one main content: the body when there is no attachment.
    message["bodyMainContent"] = bool(body) and not request.attachments
    if body:
        message["bodyContent"] = body
    message["attachments"] = [
        {
            "httpPartName": f"upfile{index}",
            "mainContent": index == 1,
            "attachmentSigned": False,
            "digest": {
                "digestMethod": "sha_256",
                "digestValue": base64.urlsafe_b64encode(
                    hashlib.sha256(attachment.content).digest()
                ).decode(),
            },
        }
        for index, attachment in enumerate(request.attachments, start=1)
    ]
    return message


class EboxConnector:
    """Publishes outbox messages of the "ebox" channel."""

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        if len(request.attachments) > MAX_ATTACHMENTS:
            raise PermanentDeliveryError(
                f"The eBox takes at most {MAX_ATTACHMENTS} attachments per message."
            )
        message = build_message_to_publish(request)
        files: list[tuple[str, tuple[str | None, bytes, str]]] = [
            (
                "messageToPublish",
                (None, json.dumps(message).encode(), "application/json"),
            )
        ]
        for index, attachment in enumerate(request.attachments, start=1):
            files.append(
                (
                    f"upfile{index}",
                    (attachment.filename, attachment.content, attachment.content_type),
                )
            )
        headers = {"Idempotency-Key": request.idempotency_key, "Accept": "application/json"}
        token = settings.WIB_EBOX_BEARER_TOKEN
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = settings.WIB_EBOX_URL.rstrip("/") + "/publishMessage"
        response = post(url, files=files, headers=headers)
        if response.status_code != 201:
            raise error_for_response(response)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        external_id = str(answer.get("id") or answer.get("messageId") or "")
        if answer.get("code") == NO_DIGITAL_USER:
            return DeliveryReceipt(
                outcome=OUTCOME_PAPER_REQUIRED,
                external_id=external_id,
                detail=NO_DIGITAL_USER,
                http_status=response.status_code,
            )
        return DeliveryReceipt(
            outcome=OUTCOME_DELIVERED, external_id=external_id, http_status=response.status_code
        )
