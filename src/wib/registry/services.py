"""Changes to the enterprise register made outside the KBO open-data import."""

from django.db import transaction

from wib.core.identifiers import normalize_enterprise_number
from wib.registry.models import Address, Denomination, Enterprise

# KBO codes used for an entry made by hand: "001" is the official name, "REGO" the seat.
NAME_TYPE_OFFICIAL = "001"
ADDRESS_TYPE_REGISTERED_OFFICE = "REGO"


@transaction.atomic
def ensure_enterprise(*, number: str, name: str = "", postcode: str = "") -> Enterprise:
    """Return the enterprise with this number, creating it when the register does not have it.

    For demonstrations and manual entry of an enterprise not (yet) in the imported register; the
    name and postcode are only filled in when the enterprise has none, so that the published data
    of a listed enterprise always wins.
    """
    digits = normalize_enterprise_number(number)
    enterprise, _created = Enterprise.objects.get_or_create(number=digits)
    if name and not Denomination.objects.filter(entity_number=digits).exists():
        Denomination.objects.create(
            entity_number=digits,
            language="",
            type_of_denomination=NAME_TYPE_OFFICIAL,
            denomination=name,
        )
    has_office = Address.objects.filter(
        entity_number=digits, type_of_address=ADDRESS_TYPE_REGISTERED_OFFICE
    ).exists()
    if postcode and not has_office:
        Address.objects.create(
            entity_number=digits,
            type_of_address=ADDRESS_TYPE_REGISTERED_OFFICE,
            zipcode=postcode.strip(),
        )
    return enterprise
