"""The household list's state (`households.list_state`): what its filters ask of each
household, stored with the days it holds for. Filled by the housing migration that
follows (it reads the stays); a state not filled is stale and the filters read their
definition for it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_inputs_version"),
        ("households", "0009_household_head_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="list_head_status",
            field=models.CharField(blank=True, db_default="", editable=False, max_length=30),
        ),
        migrations.AddField(
            model_name="household",
            name="list_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="household",
            name="list_presence",
            field=models.CharField(blank=True, db_default="", editable=False, max_length=8),
        ),
        migrations.AddField(
            model_name="household",
            name="list_programme",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="household",
            name="list_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["list_until"], name="household_list_until"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["list_on"], name="household_list_on"),
        ),
    ]
