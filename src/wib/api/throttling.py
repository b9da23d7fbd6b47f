"""Rate limits of the API, counted in the database by wib.accounts.ratelimit (429, Retry-After)."""

from __future__ import annotations

import abc
import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from wib.accounts.ratelimit import client_ip, hit


class _DatabaseThrottle(BaseThrottle, abc.ABC):
    """Counts calls per subject in a window; subclasses say who the subject is and the limit."""

    scope = ""

    def __init__(self) -> None:
        # One instance serves every thread; the wait belongs to the request just refused.
        self._local = threading.local()

    @abc.abstractmethod
    def subject(self, request: HttpRequest) -> str | None:
        """What is counted (an address, a token); None means not counted by this throttle."""

    @abc.abstractmethod
    def limit(self) -> int:
        """Calls allowed per window."""

    def allow_request(self, request: HttpRequest) -> bool:
        subject = self.subject(request)
        if subject is None:
            return True
        result = hit(
            key=f"api:{self.scope}:{subject}",
            limit=self.limit(),
            window_seconds=settings.WIB_API_RATE_LIMIT_WINDOW_SECONDS,
        )
        self._local.retry_after = result.retry_after
        return result.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "retry_after", None)


class PerIpThrottle(_DatabaseThrottle):
    """Every call from one address, signed in or not."""

    scope = "ip"

    def subject(self, request: HttpRequest) -> str | None:
        return client_ip(request)

    def limit(self) -> int:
        return int(settings.WIB_API_RATE_LIMIT_PER_IP)


class PerCallerThrottle(_DatabaseThrottle):
    """Every call of one token, or of one signed-in user without a token."""

    scope = "caller"

    def subject(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        return getattr(auth, "rate_key", None)

    def limit(self) -> int:
        return int(settings.WIB_API_RATE_LIMIT_PER_CALLER)


THROTTLES: list[BaseThrottle] = [PerIpThrottle(), PerCallerThrottle()]
