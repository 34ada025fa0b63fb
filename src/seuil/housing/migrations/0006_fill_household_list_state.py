"""Fill the household list's state (`households.list_state`) of the households already
recorded, by the rule of `list_state.store_states`. Here, above households, because it
reads the stays. On PostgreSQL, the table is analysed once filled."""

from django.db import migrations
from django.utils import timezone


def fill_list_state(apps, schema_editor):
    from seuil.households.list_state import store_states

    alias = schema_editor.connection.alias

    def rows(app, model):
        return apps.get_model(app, model).objects.using(alias)

    store_states(
        timezone.localdate(),
        rows("households", "Household").order_by("pk"),
        rows("housing", "Stay").all(),
        rows("households", "Membership").all(),
        rows("households", "LegalStatusRecord").all(),
    )
    if schema_editor.connection.vendor == "postgresql":
        # The filters find the stale households by these dates: the planner must know
        # that there are none left, or it reads the stays and statuses to find them.
        schema_editor.execute("ANALYZE households_household")


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0010_household_list_state"),
        ("housing", "0005_unit_and_stay_documents"),
    ]

    operations = [
        migrations.RunPython(fill_list_state, migrations.RunPython.noop, elidable=True),
    ]
