"""The simulated eBox: validates publications like the real REST service, stores them once.

Choices where the real service's behaviour is not public or not practical here:
- NO_DIGITAL_USER is answered as the real service documents it: HTTP 201 with
  {"id": …, "code": "NO_DIGITAL_USER"}; the message is stored (it waits in the eBox) but the
  sender must also send a paper letter.
- A publication is recognised as a repeat by its business id (businessDataList key "businessId"),
  else by the Idempotency-Key header; a repeat answers 201 with the first message's id.
- "Accept then fail" stores the message and then answers 504, as a gateway that timed out after
  the back end committed would: the sender sees a failure although the message arrived.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import get_language
from stdnum.be import ssn, vat

from .models import SimulatedEboxAttachment, SimulatedEboxMessage, SimulatedEboxRecipient

MAX_ATTACHMENTS = 6
PART_NAMES = tuple(f"upfile{index}" for index in range(1, MAX_ATTACHMENTS + 1))
LANGUAGES = ("nl", "fr", "de", "en")
ALLOWED_PROPERTIES = {
    "recipient",
    "forTheAttentionOf",
    "originalMessageId",
    "subject",
    "messageTypeId",
    "expirationDate",
    "senderOrganizationId",
    "senderApplicationId",
    "registeredMail",
    "attachments",
    "bodyMainContent",
    "bodyContent",
    "businessDataList",
    "paymentData",
    "replyAuthorized",
}
ENTERPRISE_NUMBER = re.compile(r"^[01][0-9]{9}$")


class InvalidPublication(Exception):
    """The request does not have the shape the eBox requires (answered with 400 INVALID_INPUT)."""


@dataclass(frozen=True)
class PublicationResult:
    message: SimulatedEboxMessage
    created: bool

    @property
    def answer(self) -> dict[str, str]:
        answer = {"id": str(self.message.id)}
        if not self.message.recipient_is_digital:
            answer["code"] = "NO_DIGITAL_USER"
        return answer


def publish_message(
    *,
    message_part: str | bytes | None,
    files: dict[str, UploadedFile],
    other_fields: list[str],
    idempotency_key: str = "",
) -> PublicationResult:
    """Validate a publishMessage request and store it, once per business id."""
    if message_part is None:
        raise InvalidPublication("The part messageToPublish is required.")
    try:
        message = json.loads(message_part)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidPublication("messageToPublish is not valid JSON.") from error
    if isinstance(message, dict) and set(message) == {"messageToPublish"}:
        message = message["messageToPublish"]
    if not isinstance(message, dict):
        raise InvalidPublication("messageToPublish must be a JSON object.")
    unknown_fields = [name for name in other_fields if name != "messageToPublish"]
    if unknown_fields:
        raise InvalidPublication(f"Unexpected parts: {', '.join(sorted(unknown_fields))}.")
    _validate(message, files)

    business_id = _business_id(message) or idempotency_key or uuid.uuid4().hex
    existing = SimulatedEboxMessage.objects.filter(business_id=business_id).first()
    if existing is not None:
        return PublicationResult(message=existing, created=False)
    recipient = message["recipient"]
    digital = not SimulatedEboxRecipient.objects.filter(
        ebox_type=recipient["eboxType"], ebox_id=recipient["eboxIdValue"], has_opened_ebox=False
    ).exists()
    try:
        with transaction.atomic():
            stored = SimulatedEboxMessage.objects.create(
                business_id=business_id,
                ebox_type=recipient["eboxType"],
                ebox_id=recipient["eboxIdValue"],
                subject=message["subject"],
                body=message.get("bodyContent") or {},
                message_type_id=message["messageTypeId"],
                sender_organization_id=message["senderOrganizationId"],
                sender_application_id=message["senderApplicationId"],
                for_the_attention_of=message.get("forTheAttentionOf"),
                recipient_is_digital=digital,
                raw=message,
            )
            for attachment in message.get("attachments") or []:
                part = files[attachment["httpPartName"]]
                part.seek(0)
                content = part.read()
                SimulatedEboxAttachment.objects.create(
                    message=stored,
                    http_part_name=attachment["httpPartName"],
                    main_content=attachment["mainContent"],
                    filename=part.name or attachment["httpPartName"],
                    content_type=part.content_type or "application/octet-stream",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    file=ContentFile(content, name=_safe_filename(part.name or "document")),
                )
    except IntegrityError:
        # The same publication arrived twice at once: the first one stored wins.
        return PublicationResult(
            message=SimulatedEboxMessage.objects.get(business_id=business_id), created=False
        )
    return PublicationResult(message=stored, created=True)


def _validate(message: dict[str, Any], files: dict[str, UploadedFile]) -> None:
    unknown = set(message) - ALLOWED_PROPERTIES
    if unknown:
        raise InvalidPublication(f"Unknown properties: {', '.join(sorted(unknown))}.")
    for required in ("recipient", "subject", "bodyMainContent", "replyAuthorized"):
        if required not in message:
            raise InvalidPublication(f"{required} is required.")
    for required in ("messageTypeId", "senderOrganizationId", "senderApplicationId"):
        if not isinstance(message.get(required), str) or not message[required].strip():
            raise InvalidPublication(f"{required} is required.")
    if not ENTERPRISE_NUMBER.match(message["senderOrganizationId"]):
        raise InvalidPublication("senderOrganizationId must be an enterprise number.")
    _validate_recipient(message["recipient"])
    _validate_translated(message["subject"], "subject")
    for flag in ("bodyMainContent", "replyAuthorized", "registeredMail"):
        if flag in message and not isinstance(message[flag], bool):
            raise InvalidPublication(f"{flag} must be a boolean.")
    if "bodyContent" in message:
        _validate_translated(message["bodyContent"], "bodyContent")
    elif message["bodyMainContent"]:
        raise InvalidPublication("bodyMainContent is true but there is no bodyContent.")
    attention = message.get("forTheAttentionOf")
    if attention is not None and (
        not isinstance(attention, dict)
        or attention.get("type") != "person"
        or not ssn.is_valid(str(attention.get("id", "")))
    ):
        raise InvalidPublication("forTheAttentionOf must name a person by national number.")
    attachments = message.get("attachments", [])
    if not isinstance(attachments, list):
        raise InvalidPublication("attachments must be a list.")
    if len(attachments) > MAX_ATTACHMENTS:
        raise InvalidPublication(f"At most {MAX_ATTACHMENTS} attachments are allowed.")
    referenced: set[str] = set()
    has_main_content = bool(message["bodyMainContent"])
    for attachment in attachments:
        if not isinstance(attachment, dict):
            raise InvalidPublication("Each attachment must be an object.")
        part_name = attachment.get("httpPartName")
        if part_name not in PART_NAMES:
            raise InvalidPublication(f"httpPartName must be one of {', '.join(PART_NAMES)}.")
        if part_name in referenced:
            raise InvalidPublication(f"{part_name} is referenced twice.")
        referenced.add(part_name)
        if not isinstance(attachment.get("mainContent"), bool):
            raise InvalidPublication("mainContent is required for each attachment.")
        has_main_content = has_main_content or attachment["mainContent"]
        part = files.get(part_name)
        if part is None:
            raise InvalidPublication(f"The part {part_name} is missing.")
        if not part.name or not part.content_type:
            raise InvalidPublication(f"The part {part_name} needs a file name and a content type.")
        if part.size == 0:
            raise InvalidPublication(f"The part {part_name} is empty.")
        digest = attachment.get("digest")
        if digest is not None:
            _check_digest(part, digest, part_name)
    unreferenced = set(files) - referenced
    if unreferenced:
        raise InvalidPublication(f"Parts not referenced: {', '.join(sorted(unreferenced))}.")
    if not has_main_content:
        raise InvalidPublication("A message needs at least one main content.")
    business_data = message.get("businessDataList", [])
    if not isinstance(business_data, list) or any(
        not isinstance(item, dict) or "key" not in item or not isinstance(item.get("values"), list)
        for item in business_data
    ):
        raise InvalidPublication("businessDataList items need a key and values.")


def _validate_recipient(recipient: Any) -> None:
    if not isinstance(recipient, dict):
        raise InvalidPublication("recipient must be an object.")
    ebox_type = recipient.get("eboxType")
    ebox_id = recipient.get("eboxIdValue")
    if ebox_type not in ("enterprise", "citizen") or not isinstance(ebox_id, str):
        raise InvalidPublication(
            "recipient needs eboxType (enterprise or citizen) and eboxIdValue."
        )
    if ebox_type == "enterprise" and not (len(ebox_id) == 10 and vat.is_valid(ebox_id)):
        raise InvalidPublication(f"{ebox_id} is not a valid company.")
    if ebox_type == "citizen" and not (len(ebox_id) == 11 and ssn.is_valid(ebox_id)):
        raise InvalidPublication(f"{ebox_id} is not a valid national number.")


def _validate_translated(value: Any, name: str) -> None:
    if (
        not isinstance(value, dict)
        or not value
        or set(value) - set(LANGUAGES)
        or any(not isinstance(text, str) or not text.strip() for text in value.values())
    ):
        raise InvalidPublication(f"{name} needs non-empty texts in nl, fr, de or en.")


def _check_digest(part: UploadedFile, digest: Any, part_name: str) -> None:
    if not isinstance(digest, dict) or digest.get("digestMethod") != "sha_256":
        raise InvalidPublication(f"The digest of {part_name} must use sha_256.")
    content = part.read()
    part.seek(0)
    expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).decode()
    if digest.get("digestValue", "").rstrip("=") != expected.rstrip("="):
        raise InvalidPublication(f"The digest of {part_name} does not match its content.")


def _business_id(message: dict[str, Any]) -> str:
    for item in message.get("businessDataList") or []:
        if item.get("key") == "businessId" and item.get("values"):
            value = item["values"][0]
            if isinstance(value, dict):
                return str(next(iter(value.values()), ""))
            return str(value)
    return ""


def _safe_filename(filename: str) -> str:
    keep = "".join(
        character if character.isalnum() or character in "._-" else "_" for character in filename
    )
    return keep.lstrip(".")[:100] or "document"


@dataclass(frozen=True)
class EboxAttachmentView:
    part: str
    filename: str
    content_type: str
    size: int
    main_content: bool
    download_url: str


@dataclass(frozen=True)
class EboxMessageView:
    id: str
    subject: dict[str, str]
    body: dict[str, str]
    message_type_id: str
    sender_organization_id: str
    received_at: datetime
    recipient_is_digital: bool
    attachments: list[EboxAttachmentView] = field(default_factory=list)

    @property
    def subject_text(self) -> str:
        """The subject in the active language, else English, else Dutch."""
        return _in_language(self.subject)

    @property
    def body_text(self) -> str:
        return _in_language(self.body)


def _in_language(texts: dict[str, str]) -> str:
    language = (get_language() or "nl")[:2]
    for candidate in (language, "en", "nl", "fr", "de"):
        if texts.get(candidate):
            return texts[candidate]
    return ""


def messages_for(*, ebox_type: str, ebox_id: str) -> list[EboxMessageView]:
    """The messages in one simulated eBox, newest first (for the demo eBox page)."""
    messages = SimulatedEboxMessage.objects.filter(
        ebox_type=ebox_type, ebox_id=ebox_id
    ).prefetch_related("attachments")
    return [
        EboxMessageView(
            id=str(message.id),
            subject=message.subject,
            body=message.body,
            message_type_id=message.message_type_id,
            sender_organization_id=message.sender_organization_id,
            received_at=message.received_at,
            recipient_is_digital=message.recipient_is_digital,
            attachments=[
                EboxAttachmentView(
                    part=attachment.http_part_name,
                    filename=attachment.filename,
                    content_type=attachment.content_type,
                    size=attachment.size,
                    main_content=attachment.main_content,
                    download_url=reverse(
                        "simulators:ebox-attachment",
                        kwargs={"message_id": message.id, "part": attachment.http_part_name},
                    ),
                )
                for attachment in message.attachments.all()
            ],
        )
        for message in messages
    ]


def message_as_json(message: EboxMessageView) -> dict[str, Any]:
    """A stored message in the shape of the eBox REST API's Message."""
    return {
        "messageId": message.id,
        "subject": message.subject,
        "bodyContent": message.body,
        "messageTypeId": message.message_type_id,
        "senderOrganizationId": message.sender_organization_id,
        "receiptDate": message.received_at.isoformat(),
        "attachments": {
            "items": [
                {
                    "attachmentId": attachment.part,
                    "fileName": attachment.filename,
                    "mediaType": attachment.content_type,
                    "size": attachment.size,
                    "mainContent": attachment.main_content,
                    "contentHref": attachment.download_url,
                }
                for attachment in message.attachments
            ],
            "totalItems": len(message.attachments),
        },
    }


def attachment_in(
    *, ebox_type: str, ebox_id: str, message_id: uuid.UUID, part: str
) -> SimulatedEboxAttachment | None:
    """One attachment of a message in one eBox (None when the message is in another eBox)."""
    return (
        SimulatedEboxAttachment.objects.filter(
            message_id=message_id,
            message__ebox_type=ebox_type,
            message__ebox_id=ebox_id,
            http_part_name=part,
        )
        .select_related("message")
        .first()
    )
