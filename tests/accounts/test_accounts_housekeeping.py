"""Housekeeping drops login attempts and rate-limit counters once they no longer count."""

import datetime
import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from wib.accounts.housekeeping import purge_login_attempts, purge_rate_limit_counters
from wib.accounts.models import LoginAttempt, RateLimitCounter
from wib.accounts.ratelimit import hit
from wib.accounts.services import login_lockout, record_login_attempt

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
FAILED = LoginAttempt.Outcome.FAILED


def attempts_at(moment, *, username="victim", count=1):
    for _index in range(count):
        record_login_attempt(username=username, ip_address="192.0.2.7", outcome=FAILED, now=moment)


def test_login_attempts_past_the_window_and_lockout_go_recent_ones_stay(settings):
    settings.WIB_LOGIN_WINDOW_SECONDS = 900
    settings.WIB_LOGIN_LOCKOUT_SECONDS = 900
    attempts_at(NOW - datetime.timedelta(hours=2), username="old", count=3)
    attempts_at(NOW - datetime.timedelta(minutes=31), username="old")
    attempts_at(NOW - datetime.timedelta(minutes=29), username="recent")
    attempts_at(NOW, username="recent")

    assert purge_login_attempts(now=NOW, dry_run=True) == 4
    assert LoginAttempt.objects.count() == 6
    assert purge_login_attempts(now=NOW) == 4
    assert sorted(LoginAttempt.objects.values_list("username", flat=True)) == ["recent", "recent"]


def test_a_lockout_in_force_survives_housekeeping(settings):
    settings.WIB_LOGIN_MAX_FAILURES = 5
    attempts_at(NOW - datetime.timedelta(minutes=10), count=5)
    assert login_lockout(username="victim", ip_address="198.51.100.1", now=NOW).locked
    purge_login_attempts(now=NOW)
    assert login_lockout(username="victim", ip_address="198.51.100.1", now=NOW).locked


def test_a_longer_retention_keeps_attempts_as_evidence(settings):
    settings.WIB_LOGIN_ATTEMPT_RETENTION_SECONDS = 30 * 24 * 3600
    attempts_at(NOW - datetime.timedelta(days=29))
    attempts_at(NOW - datetime.timedelta(days=31))
    assert purge_login_attempts(now=NOW) == 1
    assert LoginAttempt.objects.get().attempted_at == NOW - datetime.timedelta(days=29)


def test_a_retention_shorter_than_the_lockout_is_not_honoured(settings):
    settings.WIB_LOGIN_ATTEMPT_RETENTION_SECONDS = 60
    attempts_at(NOW - datetime.timedelta(minutes=20))
    assert purge_login_attempts(now=NOW) == 0


def test_closed_rate_limit_windows_go_open_ones_stay(settings):
    settings.WIB_RATE_LIMIT_RETENTION_SECONDS = 3600
    hit(key="otp:1", limit=10, window_seconds=900, now=NOW - datetime.timedelta(hours=3))
    hit(key="api:ip:x", limit=10, window_seconds=60, now=NOW - datetime.timedelta(hours=2))
    hit(key="otp:1", limit=10, window_seconds=900, now=NOW - datetime.timedelta(minutes=10))
    hit(key="api:ip:x", limit=10, window_seconds=60, now=NOW)

    assert purge_rate_limit_counters(now=NOW, dry_run=True) == 2
    assert RateLimitCounter.objects.count() == 4
    assert purge_rate_limit_counters(now=NOW) == 2
    assert RateLimitCounter.objects.count() == 2
    # The open second-factor window still counts its hit.
    later = NOW - datetime.timedelta(minutes=5)
    assert hit(key="otp:1", limit=10, window_seconds=900, now=later).count == 2


def test_the_command_reports_and_a_dry_run_removes_nothing():
    attempts_at(timezone.now() - datetime.timedelta(days=3), count=2)
    hit(key="old", limit=1, window_seconds=60, now=timezone.now() - datetime.timedelta(days=3))
    attempts_at(timezone.now())

    out = io.StringIO()
    call_command("housekeeping", "--dry-run", stdout=out)
    assert "login attempts: would remove 2" in out.getvalue()
    assert "rate-limit counters: would remove 1" in out.getvalue()
    assert LoginAttempt.objects.count() == 3
    assert RateLimitCounter.objects.count() == 1

    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "login attempts: removed 2" in out.getvalue()
    assert "rate-limit counters: removed 1" in out.getvalue()
    assert "orphan files: removed 0" in out.getvalue()
    assert LoginAttempt.objects.count() == 1
    assert not RateLimitCounter.objects.exists()


def test_the_outbox_loop_offers_housekeeping():
    help_text = subprocess.run(
        [sys.executable, "manage.py", "process_outbox", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "wib.config.settings.test", "PYTHONPATH": "src"},
    ).stdout
    assert "--housekeeping-every" in help_text
