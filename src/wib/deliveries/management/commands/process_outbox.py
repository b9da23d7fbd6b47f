"""`manage.py process_outbox`: the cron safety net that schedules every due outbox message."""

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from wib.deliveries.services import process_outbox


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

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        while True:
            result = process_outbox()
            if not every or result["released"] or result["enqueued"]:
                self.stdout.write(
                    f"released {result['released']} stuck message(s), "
                    f"scheduled {result['enqueued']}"
                )
            if not every:
                return
            # A long-lived loop must not keep a connection the database has since closed.
            close_old_connections()
            time.sleep(every)
