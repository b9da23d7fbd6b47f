"""Write docs/procedures.md from the procedure definitions."""

from pathlib import Path

from django.core.management.base import BaseCommand

from wib.procedures.docs import write_markdown


class Command(BaseCommand):
    help = "Generate docs/procedures.md (state diagrams and documents) from the definitions."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = write_markdown(options["output"])
        self.stdout.write(f"Wrote {path}")
