"""Seed the fees and salary thresholds known from public sources (see docs/domain.md)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

CHECK = "(check)"

ROWS = [
    # kind, authority, category, from, until, amount, unit, note
    ("fee", "", "", date(2024, 1, 1), date(2025, 12, 31), "357.00", "once", f"2024 amount {CHECK}; 2025 indexation unknown"),
    ("fee", "", "", date(2026, 1, 1), None, "366.00", "once", f"2026 amount {CHECK}; indexed every 1 January"),
    ("salary_threshold", "flanders", "highly-qualified", date(2025, 1, 1), date(2025, 12, 31), "48912.00", "yearly", CHECK),
    ("salary_threshold", "flanders", "highly-qualified-under-30", date(2025, 1, 1), date(2025, 12, 31), "39129.60", "yearly", f"under 30, nurses, teachers {CHECK}"),
    ("salary_threshold", "flanders", "executive", date(2025, 1, 1), date(2025, 12, 31), "78259.00", "yearly", CHECK),
    ("salary_threshold", "flanders", "eu-blue-card", date(2025, 1, 1), date(2025, 12, 31), "63586.00", "yearly", CHECK),
    ("salary_threshold", "wallonia", "highly-qualified", date(2026, 1, 1), date(2026, 12, 31), "53220.00", "yearly", CHECK),
    ("salary_threshold", "wallonia", "highly-qualified-under-30", date(2026, 1, 1), date(2026, 12, 31), "42576.00", "yearly", f"under 30 {CHECK}"),
    ("salary_threshold", "wallonia", "executive", date(2026, 1, 1), date(2026, 12, 31), "88790.00", "yearly", CHECK),
    ("salary_threshold", "wallonia", "eu-blue-card", date(2026, 1, 1), date(2026, 12, 31), "68815.00", "yearly", CHECK),
    ("salary_threshold", "brussels", "highly-qualified", date(2024, 10, 1), None, "3703.44", "monthly", f"DmfA remuneration code 1 only {CHECK}"),
    ("salary_threshold", "brussels", "executive", date(2024, 10, 1), None, "6647.20", "monthly", f"DmfA remuneration code 1 only {CHECK}"),
    ("salary_threshold", "brussels", "eu-blue-card", date(2024, 10, 1), None, "4748.00", "monthly", f"DmfA remuneration code 1 only {CHECK}"),
]


def seed(apps, schema_editor):
    reference_value = apps.get_model("procedures", "ReferenceValue")
    for kind, authority, category, valid_from, valid_until, amount, unit, note in ROWS:
        reference_value.objects.get_or_create(
            kind=kind,
            authority_code=authority,
            category=category,
            valid_from=valid_from,
            defaults={
                "valid_until": valid_until,
                "amount": Decimal(amount),
                "unit": unit,
                "note": note,
            },
        )


def unseed(apps, schema_editor):
    reference_value = apps.get_model("procedures", "ReferenceValue")
    for kind, authority, category, valid_from, *_rest in ROWS:
        reference_value.objects.filter(
            kind=kind, authority_code=authority, category=category, valid_from=valid_from
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
