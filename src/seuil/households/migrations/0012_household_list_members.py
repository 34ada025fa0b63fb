from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0011_household_org_list_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="list_members",
            field=models.PositiveIntegerField(db_default=0, editable=False),
        ),
    ]
