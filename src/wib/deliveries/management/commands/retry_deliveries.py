"""`manage.py retry_deliveries [--all-failed | ID...]`: an operator sends failed messages again."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.deliveries.services import NotRetryable, retry_failed_delivery


class Command(BaseCommand):
    help = "Retry failed outbox messages, by id or all of them; records the operator."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ids", nargs="*", help="Outbox message ids.")
        parser.add_argument("--all-failed", action="store_true", help="Retry every failed message.")
        parser.add_argument(
            "--operator",
            default="",
            help="Username of the operator (recorded on the message); default: none.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["ids"]) == bool(options["all_failed"]):
            raise CommandError("Give message ids or --all-failed (not both).")
        actor = None
        if options["operator"]:
            try:
                actor = get_user_model().objects.get(username=options["operator"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user {options['operator']!r}.") from error
        if options["all_failed"]:
            ids = [
                str(message_id)
                for message_id in OutboxMessage.objects.filter(
                    status=DeliveryStatus.FAILED
                ).values_list("id", flat=True)
            ]
        else:
            ids = options["ids"]
        retried = 0
        for message_id in ids:
            try:
                retry_failed_delivery(message_id=message_id, actor=actor)
            except (NotRetryable, OutboxMessage.DoesNotExist, ValidationError) as error:
                self.stderr.write(f"{message_id}: {error}")
                continue
            retried += 1
        self.stdout.write(f"scheduled {retried} message(s) again")
