"""The application's notion of the current time: one place, so tests can freeze it."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    """The current aware datetime."""
    return timezone.now()


def today() -> date:
    """Today's date in the configured time zone (Europe/Brussels), not in UTC."""
    return timezone.localdate(timezone.now())
