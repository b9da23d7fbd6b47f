"""Seed the demo: reference data comes with migrations; this adds demo accounts and prints them."""

from typing import Any

from django.core.management.base import BaseCommand

from wib.core.demo import seed_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo accounts and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        lines = seed_demo()
        self.stdout.write("Demo accounts (password in the last column):")
        for line in lines:
            self.stdout.write(f"  {line}")
