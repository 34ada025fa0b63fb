"""`Household.head_name`: the current head's last name in lower case, which orders the
household list through an index; filled for the households already recorded, in one
UPDATE (the same expression as `HouseholdQuerySet.refresh_head_names`)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower


def fill_head_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    Household = apps.get_model("households", "Household")
    Membership = apps.get_model("households", "Membership")
    head = (
        Membership.objects.using(alias)
        .filter(household=OuterRef("pk"), role="head", left_on__isnull=True)
        .order_by("joined_on", "id")
        .values("person__last_name")[:1]
    )
    Household.objects.using(alias).update(head_name=Lower(Subquery(head)))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_workerheartbeat"),
        ("households", "0008_person_search_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="head_name",
            field=models.CharField(blank=True, editable=False, max_length=150, null=True),
        ),
        migrations.RunPython(fill_head_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["head_name", "id"], name="household_list_order"),
        ),
    ]
