"""`manage.py process_outbox`: the cron safety net that schedules every due outbox message."""

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from wib.deliveries.services import process_outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Schedule every due outbox message; release messages stuck in delivery past the lease."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, once every SECONDS (for `make run`; production uses cron).",
        )
        parser.add_argument(
            "--housekeeping-every",
            type=int,
            default=settings.WIB_HOUSEKEEPING_EVERY_SECONDS,
            metavar="SECONDS",
            help=(
                "With --every: also run `manage.py housekeeping` once every SECONDS "
                "(0: never). Production runs housekeeping from cron instead."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        housekeeping_every = options["housekeeping_every"]
        housekeeping_due = time.monotonic()
        while True:
            result = process_outbox()
            if not every or result["released"] or result["enqueued"]:
                self.stdout.write(
                    f"released {result['released']} stuck message(s), "
                    f"scheduled {result['enqueued']}"
                )
            if not every:
                return
            if housekeeping_every and time.monotonic() >= housekeeping_due:
                housekeeping_due = time.monotonic() + housekeeping_every
                try:
                    call_command("housekeeping", stdout=self.stdout)
                except Exception:
                    # Housekeeping is deferrable; the outbox loop it rides on is not.
                    logger.exception("housekeeping failed; trying again in the next period")
            # A long-lived loop must not keep a connection the database has since closed.
            close_old_connections()
            time.sleep(every)
