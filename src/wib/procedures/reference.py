"""Looking up the reference value (fee, threshold, deadline) in force on a given day."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from wib.procedures.models import ReferenceValue


def reference_value(
    *,
    kind: str,
    on: date,
    authority_code: str = "",
    category: str = "",
    procedure_code: str = "",
) -> ReferenceValue | None:
    """The most specific value in force on `on`; a blank column in a row matches anything."""
    candidates = ReferenceValue.objects.filter(kind=kind, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        Q(authority_code="") | Q(authority_code=authority_code),
        Q(category="") | Q(category=category),
        Q(procedure_code="") | Q(procedure_code=procedure_code),
    )

    def specificity(row: ReferenceValue) -> tuple[int, date]:
        score = sum(bool(value) for value in (row.authority_code, row.category, row.procedure_code))
        return (score, row.valid_from)

    rows = sorted(candidates, key=specificity, reverse=True)
    return rows[0] if rows else None
