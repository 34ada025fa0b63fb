"""Compute the households' list state again, now with its count of members
(`Household.list_members`): the same filling as migration 0006."""

from importlib import import_module

from django.db import migrations

fill_list_state = import_module(
    "seuil.housing.migrations.0006_fill_household_list_state"
).fill_list_state


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0012_household_list_members"),
        ("housing", "0006_fill_household_list_state"),
    ]

    operations = [
        migrations.RunPython(fill_list_state, migrations.RunPython.noop, elidable=True),
    ]
