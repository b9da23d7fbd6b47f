"""A reusable fixed-window rate limiter kept in the database, so it holds across processes.

Usage: `hit(key="api:token:abc", limit=60, window_seconds=60)` before doing the work; when
`allowed` is false, answer 429 with Retry-After. `@rate_limited(...)` wraps a view.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RateLimitCounter


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def _window_start(moment: datetime.datetime, window_seconds: int) -> datetime.datetime:
    epoch = int(moment.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=datetime.UTC)


def hit(
    *, key: str, limit: int, window_seconds: int, now: datetime.datetime | None = None
) -> RateLimitResult:
    """Count one hit for the key in the current window and say whether it is within the limit."""
    moment = now or timezone.now()
    start = _window_start(moment, window_seconds)
    key = key[:200]
    with transaction.atomic():
        updated = RateLimitCounter.objects.filter(key=key, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                # Another process created the window's row between our update and insert.
                RateLimitCounter.objects.filter(key=key, window_start=start).update(
                    count=F("count") + 1
                )
        count = RateLimitCounter.objects.get(key=key, window_start=start).count
    retry_after = max(1, int((start - moment).total_seconds()) + window_seconds)
    return RateLimitResult(count <= limit, count, limit, retry_after)


def purge_rate_limits(*, before: datetime.datetime) -> int:
    """Drop counters of windows that started before the moment; returns how many went."""
    deleted, _details = RateLimitCounter.objects.filter(window_start__lt=before).delete()
    return deleted


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded header is trivially forged unless a proxy sets it, and
    # the deployment's proxy is expected to rewrite REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(
    *, scope: str, limit: int, window_seconds: int, key: Callable[[HttpRequest], str] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: answer 429 once the key (by default the client IP) exceeds the limit."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            subject = key(request) if key else client_ip(request)
            result = hit(key=f"{scope}:{subject}", limit=limit, window_seconds=window_seconds)
            if not result.allowed:
                response = HttpResponse(
                    _("Too many requests. Please try again later."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(result.retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
