"""The contract between the outbox and a channel's connector: what goes in, what comes out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

# Outcomes a connector can report for a message the other side accepted or refused for good.
OUTCOME_DELIVERED = "delivered"
OUTCOME_PAPER_REQUIRED = "paper-required"
OUTCOME_NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True)
class Attachment:
    """One file travelling with a message."""

    filename: str
    content: bytes
    content_type: str
    sha256: str = ""


@dataclass(frozen=True)
class DeliveryRequest:
    """Everything a connector needs to hand one outbox message to the other side."""

    idempotency_key: str
    recipient: str
    subject: Mapping[str, str]
    body: Mapping[str, str]
    message_type: str
    attachments: Sequence[Attachment] = ()
    related_file_id: str = ""


@dataclass(frozen=True)
class DeliveryReceipt:
    """What the other side answered when it took the message."""

    outcome: str
    external_id: str = ""
    detail: str = ""
    http_status: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


class DeliveryError(Exception):
    """The other side did not take the message."""

    recoverable = False

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class RecoverableDeliveryError(DeliveryError):
    """Worth trying again later: connection trouble, time-out, 5xx or 429."""

    recoverable = True


class PermanentDeliveryError(DeliveryError):
    """Trying again will not help (a 4xx other than 429): an operator must look at it."""


class Connector(Protocol):
    """A channel's client. Implementations must send `idempotency_key` so a retry is harmless."""

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt: ...


def connector_for(channel: str) -> Connector:
    """The connector configured for a channel in settings.WIB_DELIVERY_CONNECTORS."""
    try:
        path = settings.WIB_DELIVERY_CONNECTORS[channel]
    except KeyError as error:
        raise PermanentDeliveryError(f"No connector configured for channel {channel!r}.") from error
    connector_class = import_string(path)
    return connector_class()  # type: ignore[no-any-return]


def http_timeout() -> httpx.Timeout:
    """Time-outs for calls to external systems, from settings."""
    return httpx.Timeout(
        settings.WIB_CONNECTOR_READ_TIMEOUT_SECONDS,
        connect=settings.WIB_CONNECTOR_CONNECT_TIMEOUT_SECONDS,
    )


def error_for_response(response: httpx.Response) -> DeliveryError:
    """Classify a refusal: 5xx and 429 are worth retrying, any other 4xx is not."""
    status = response.status_code
    detail = f"HTTP {status}: {response.text[:500]}"
    if status >= 500 or status == 429:
        return RecoverableDeliveryError(detail, http_status=status)
    return PermanentDeliveryError(detail, http_status=status)


def post(url: str, **kwargs: object) -> httpx.Response:
    """POST with the configured time-outs; transport failures become recoverable errors."""
    try:
        with httpx.Client(timeout=http_timeout()) as client:
            return client.post(url, **kwargs)  # type: ignore[arg-type]
    except httpx.TransportError as error:
        # Includes connection refused, time-outs and a connection dropped mid-answer: in every
        # case the other side may or may not have the message, so we retry with the same key.
        raise RecoverableDeliveryError(f"{type(error).__name__}: {error}") from error
