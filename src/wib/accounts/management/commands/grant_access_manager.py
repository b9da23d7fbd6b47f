"""Sets the first access manager of an enterprise (an administrator's task)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wib.accounts.services import grant_access_manager
from wib.core.identifiers import normalize_enterprise_number


class Command(BaseCommand):
    help = "Make a user access manager of an enterprise (the first one is set by an administrator)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enterprise", required=True, help="enterprise number")
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument(
            "--create-enterprise",
            action="store_true",
            help="create the enterprise if it is not in the imported register (demo, manual entry)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from wib.registry.models import Enterprise

        try:
            number = normalize_enterprise_number(options["enterprise"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        enterprise = Enterprise.objects.filter(number=number).first()
        if enterprise is None and options["create_enterprise"]:
            from wib.registry.services import ensure_enterprise

            enterprise = ensure_enterprise(number=number)
        if enterprise is None:
            raise CommandError(f"No enterprise {number} in the register.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        # Run from the operator's shell: the system acts, recorded without a user.
        grant_access_manager(enterprise=enterprise, user=user, actor=None)
        self.stdout.write(f"{user.username} is now access manager of {number}.")
