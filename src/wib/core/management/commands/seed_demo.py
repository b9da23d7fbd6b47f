"""`manage.py seed_demo`: create what is missing of the demo and print who can log in."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wib.core.demo import DemoAccount, demo_enabled, seed_demo


def account_table(accounts: list[DemoAccount]) -> list[str]:
    """The demo accounts as an aligned text table, with the second-factor hint below."""
    header = ("role", "username", "password", "enterprise / authority", "TOTP secret")
    rows = [header] + [
        (a.role, a.username, a.password, a.where, a.totp_secret or "-") for a in accounts
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        "Officials and the administrator confirm a second factor: add the TOTP secret to an "
        "authenticator app, or print the current code with `manage.py demo_totp USERNAME`."
    )
    return [line.rstrip() for line in lines]


class Command(BaseCommand):
    help = "Create (or complete) the demo enterprises, accounts and files, and print the logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the table.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_enabled():
            raise CommandError("The demo is off: set WIB_DEMO_ENABLED=1 (never in production).")
        accounts = seed_demo()
        if options["quiet"]:
            return
        self.stdout.write("Demo accounts:")
        for line in account_table(accounts):
            self.stdout.write(f"  {line}")
