"""``manage.py import_kbo PATH.zip``: apply a KBO open-data extract (full or update)."""

import sys

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wib.registry.kbo_import import ExtractRefused, import_extract


class Command(BaseCommand):
    help = "Apply a KBO/BCE open-data extract zip (full or update) to the enterprise register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="KboOpenData_<n>_<yyyy>_<mm>_Full.zip or _Update.zip")
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100_000,
            help="report progress on stderr every this many rows of a file (0: only totals)",
        )

    def handle(self, *args: object, **options: object) -> None:
        def progress(name: str, rows: int, done: bool) -> None:
            if done:
                message = _("%(file)s: %(rows)s rows, done") % {"file": name, "rows": rows}
            else:
                message = _("%(file)s: %(rows)s rows") % {"file": name, "rows": rows}
            self.stderr.write(message)

        try:
            result = import_extract(
                str(options["path"]),
                progress=progress,
                progress_every=int(options["progress_every"]),  # type: ignore[call-overload]
            )
        except ExtractRefused as error:
            self.stderr.write(str(error))
            sys.exit(2)
        self.stdout.write(result.message)
