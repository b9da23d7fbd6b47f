"""`manage.py housekeeping`: purge stale login attempts, rate-limit counters and orphan files."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from wib.accounts.housekeeping import purge_login_attempts, purge_rate_limit_counters
from wib.documents.housekeeping import purge_orphan_files


class Command(BaseCommand):
    help = (
        "Delete login attempts and rate-limit counters that no longer count, and stored files "
        "no row points at that are older than the grace period. Safe to run at any time."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print what would be removed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        # One moment for every purge, so the report describes one consistent cut.
        now = timezone.now()
        verb = "would remove" if dry_run else "removed"
        attempts = purge_login_attempts(now=now, dry_run=dry_run)
        counters = purge_rate_limit_counters(now=now, dry_run=dry_run)
        orphans = purge_orphan_files(now=now, dry_run=dry_run)
        self.stdout.write(f"login attempts: {verb} {attempts}")
        self.stdout.write(f"rate-limit counters: {verb} {counters}")
        self.stdout.write(
            f"orphan files: {verb} {len(orphans)} ({sum(orphan.size for orphan in orphans)} bytes)"
        )
        for orphan in orphans:
            self.stdout.write(
                f"  {orphan.name} ({orphan.size} bytes, {orphan.modified_at:%Y-%m-%d %H:%M})"
            )
