"""``manage.py show_enterprise NUMBER``: one enterprise of the register as a JSON object."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wib.core.identifiers import IdentifierError, normalize_enterprise_number
from wib.registry.selectors import EnterpriseDetails, enterprise_details


def enterprise_as_json(details: EnterpriseDetails) -> dict[str, Any]:
    """The machine-readable shape of an enterprise, as printed by show_enterprise."""
    office = details.registered_office
    return {
        "enterprise_number": details.formatted_number,
        "status": details.status,
        "start_date": details.start_date.isoformat() if details.start_date else None,
        "listed_in_register": details.listed_in_register,
        "names": [
            {"language": name.language, "type": name.type, "name": name.name}
            for name in details.names
        ],
        "legal_form": (
            {
                "code": details.legal_form.code,
                "description": details.legal_form.descriptions,
            }
            if details.legal_form
            else None
        ),
        "registered_office": office.as_dict() if office else None,
        "establishments": [
            {
                "number": unit.formatted_number,
                "start_date": unit.start_date.isoformat() if unit.start_date else None,
                "postcode": unit.postcode,
                "municipality": unit.municipality,
                "municipality_refnis": unit.municipality_refnis,
                "street": unit.street,
                "house_number": unit.address.house_number,
                "box": unit.address.box,
                "authority": unit.authority,
                "names": [
                    {"language": name.language, "type": name.type, "name": name.name}
                    for name in unit.names
                ],
            }
            for unit in details.establishments
        ],
    }


class Command(BaseCommand):
    help = "Print an enterprise of the register (names, legal form, seat, units) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="enterprise number, e.g. 0123.456.749 or BE0123456749")

    def handle(self, *args: object, **options: object) -> None:
        try:
            digits = normalize_enterprise_number(str(options["number"]))
        except IdentifierError as error:
            self.stderr.write(" ".join(error.messages))
            sys.exit(2)
        details = enterprise_details(digits)
        if details is None:
            self.stderr.write(
                _("Enterprise %(number)s is not in the register.") % {"number": options["number"]}
            )
            sys.exit(2)
        self.stdout.write(json.dumps(enterprise_as_json(details), ensure_ascii=False, indent=2))
