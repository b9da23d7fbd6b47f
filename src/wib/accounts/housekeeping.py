"""Purging the login attempts and rate-limit counters that no longer decide anything."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginAttempt, RateLimitCounter
from .ratelimit import purge_rate_limits


def login_attempts_horizon(now: datetime.datetime) -> datetime.datetime:
    """Attempts before this moment no longer count towards any lockout.

    `login_lockout` looks back one window plus one lockout; an operator may keep them longer
    (WIB_LOGIN_ATTEMPT_RETENTION_SECONDS) as evidence, never shorter. They hold usernames and
    IP addresses: personal data, kept no longer than needed.
    """
    needed = settings.WIB_LOGIN_WINDOW_SECONDS + settings.WIB_LOGIN_LOCKOUT_SECONDS
    keep = max(needed, settings.WIB_LOGIN_ATTEMPT_RETENTION_SECONDS)
    return now - datetime.timedelta(seconds=keep)


def rate_limits_horizon(now: datetime.datetime) -> datetime.datetime:
    """Counters whose window started before this moment are closed for every limiter in use.

    Windows are fixed per limiter and not stored per row, so the horizon is the longest window
    any limiter uses (WIB_RATE_LIMIT_RETENTION_SECONDS, by default one hour; the longest in use
    is the 15 minutes of second-factor codes).
    """
    longest = max(
        settings.WIB_RATE_LIMIT_RETENTION_SECONDS,
        settings.WIB_API_RATE_LIMIT_WINDOW_SECONDS,
        settings.WIB_LOGIN_WINDOW_SECONDS,
    )
    return now - datetime.timedelta(seconds=longest)


def purge_login_attempts(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete login attempts past the horizon; returns how many went (or would go)."""
    horizon = login_attempts_horizon(now or timezone.now())
    old = LoginAttempt.objects.filter(attempted_at__lt=horizon)
    if dry_run:
        return old.count()
    with transaction.atomic():
        deleted, _details = old.delete()
    return deleted


def purge_rate_limit_counters(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> int:
    """Delete rate-limit counters of closed windows; returns how many went (or would go)."""
    before = rate_limits_horizon(now or timezone.now())
    if dry_run:
        return RateLimitCounter.objects.filter(window_start__lt=before).count()
    return purge_rate_limits(before=before)
