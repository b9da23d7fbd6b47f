"""`manage.py resolve_authority`: the competent authority for postcodes, one JSON line each.

Pure: reads no database, so it works right after installation and without a database at all.
All postcodes are checked first; if any is unknown nothing is printed and the exit status is 2,
so a script never acts on a partial answer.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from wib.geography.resolver import (
    BASIS_PLACE_OF_EMPLOYMENT,
    BASIS_RESIDENCE,
    GeographyError,
    Place,
    Resolution,
    resolve_authority,
)


class Command(BaseCommand):
    help = (
        "Print the authority competent for each postcode as one JSON object per line, in input "
        "order. --municipality REFNIS values pair with the --postcode values in order (the "
        "first municipality with the first postcode, and so on); a postcode without one gets "
        "the first municipality of the postcode. Exit status 2 if any postcode is unknown."
    )
    # No system checks: they may need a database or apps this pure command does not.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--postcode", action="append", required=True, help="a Belgian postcode (repeatable)"
        )
        parser.add_argument(
            "--municipality",
            action="append",
            default=[],
            help="REFNIS code of the municipality, for the postcode in the same position",
        )
        parser.add_argument(
            "--basis",
            choices=[BASIS_PLACE_OF_EMPLOYMENT, BASIS_RESIDENCE],
            default=BASIS_PLACE_OF_EMPLOYMENT,
            help="place of employment (default) or the worker's residence",
        )
        parser.add_argument(
            "--language",
            choices=["en", "nl", "fr", "de"],
            default="en",
            help="language of the explanations and messages (default English)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        postcodes: list[str] = options["postcode"]
        municipalities: list[str] = options["municipality"]
        if len(municipalities) > len(postcodes):
            raise CommandError(
                "More --municipality than --postcode values: each municipality pairs with the "
                "postcode in the same position.",
                returncode=2,
            )
        with translation.override(options["language"]):
            resolutions: list[Resolution] = []
            problems: list[str] = []
            for index, postcode in enumerate(postcodes):
                refnis = municipalities[index] if index < len(municipalities) else ""
                place = Place(postcode=postcode, municipality_refnis=refnis)
                try:
                    resolutions.append(resolve_authority(places=[place], basis=options["basis"]))
                except GeographyError as error:
                    problems.extend(f"{postcode!r}: {message}" for message in error.messages)
            if problems:
                raise CommandError("\n".join(problems), returncode=2)
            for resolution in resolutions:
                self.stdout.write(json.dumps(resolution.as_dict(), ensure_ascii=False))
