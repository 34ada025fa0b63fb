"""`Person.search_name`: the folded names the search reads, filled for the persons already
recorded; indexes for the search by birth date and by reference; on PostgreSQL, the trigram index that makes the search fast at national scale
(extensions pg_trgm and btree_gin, both trusted: the database's owner may create them)."""

from django.db import migrations, models

from seuil.households.names import search_name

BATCH = 2000
TRIGRAM_INDEX = "person_search_name_trgm"


def fill_search_names(apps, schema_editor):
    Person = apps.get_model("households", "Person")
    persons = Person.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(persons.filter(pk__gt=last).only("pk", "first_name", "last_name")[:BATCH])
        if not batch:
            return
        for person in batch:
            person.search_name = search_name(person.first_name, person.last_name)
        Person.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_name"])
        last = batch[-1].pk


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the search reads search_name without an index of its own
    table = apps.get_model("households", "Person")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON {table} "
        "USING gin (organisation_id, search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_api_token_expiry"),
        ("households", "0007_contact_details_and_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=320),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["organisation", "birth_date"], name="person_birth_date"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["ref"], name="person_ref"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["ref"], name="household_ref"),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
