"""`Household.head_name`: the current head's names as the search folds them
(`Person.search_name`: last name then first name, lower case, no accents), was the last
name in the database's lower case (SQLite's changes only ASCII letters: « Écrivain » came
after « Zola »); filled again in one UPDATE (the same expression as
`HouseholdQuerySet.refresh_head_names`)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_head_names(apps, schema_editor):
    alias = schema_editor.connection.alias
    Household = apps.get_model("households", "Household")
    Membership = apps.get_model("households", "Membership")
    head = (
        Membership.objects.using(alias)
        .filter(household=OuterRef("pk"), role="head", left_on__isnull=True)
        .order_by("joined_on", "id")
        .values("person__search_name")[:1]
    )
    Household.objects.using(alias).update(head_name=Subquery(head))


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0012_household_list_members"),
    ]

    operations = [
        migrations.AlterField(
            model_name="household",
            name="head_name",
            field=models.CharField(blank=True, editable=False, max_length=320, null=True),
        ),
        migrations.RunPython(fill_head_names, migrations.RunPython.noop),
    ]
