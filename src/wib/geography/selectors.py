"""What screens need of the authorities and municipalities: public reference data, no scoping."""

from wib.geography.models import Authority, Municipality


def authority_by_code(code: str) -> Authority | None:
    """The authority with its contacts, e.g. for a file's "who decides" box; None if unknown."""
    return Authority.objects.filter(code=code).first()


def authorities(*, kind: str = "") -> list[Authority]:
    """Every authority, or those deciding on one part ("work" or "residence"), by code."""
    queryset = Authority.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset.order_by("code"))


def municipalities_of_authority(code: str) -> list[Municipality]:
    """The municipalities an authority is competent for (work), in REFNIS order."""
    return list(Municipality.objects.filter(authority_code=code).order_by("refnis"))
