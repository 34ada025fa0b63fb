"""The migrations build the schema the models describe.

The suite's own databases are created from the models directly (`--no-migrations` in
pyproject.toml: each test worker saves applying every migration); this is where the
migrations run: `seuil migrate` into an empty SQLite database, compared table by table with
one created from the models (columns, keys, indexes and constraints)."""

import os
import re
import subprocess
import sys

import pytest
from django.apps import apps
from django.db import connections, router

# SQLite's names for unnamed unique and check constraints and for every foreign key.
MADE_UP_NAME = re.compile(r"__unnamed_constraint_\d+__|sqlite_autoindex_|fk_\d+$")


@pytest.fixture
def empty_database(tmp_path, django_db_blocker):
    """An empty SQLite database under a connection alias of its own: `empty_database(name)`."""
    aliases = []

    def make(name):
        alias = f"schema-{name}"
        connections.settings[alias] = connections.configure_settings(
            {
                "default": connections.settings["default"],
                alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / name},
            }
        )[alias]
        aliases.append(alias)
        return connections[alias]

    with django_db_blocker.unblock():
        yield make
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def schema(connection):
    """Table → its columns and its constraints, names left out where SQLite's introspection
    makes them up (they depend on the order of the columns)."""
    introspection = connection.introspection
    tables = {}
    with connection.cursor() as cursor:
        for table in introspection.get_table_list(cursor):
            if table.type != "t" or table.name == "django_migrations":
                continue
            columns = {
                column.name: column
                for column in introspection.get_table_description(cursor, table.name)
            }
            constraints = sorted(
                repr(
                    (
                        "" if MADE_UP_NAME.match(name) else name,
                        sorted(constraint.items()),
                    )
                )
                for name, constraint in introspection.get_constraints(cursor, table.name).items()
            )
            tables[table.name] = {"columns": columns, "constraints": constraints}
    return tables


def test_the_migrations_build_the_schema_the_models_describe(tmp_path, empty_database):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["SEUIL_DATA_DIR"] = str(tmp_path / "migrated")
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "seuil.cli", "migrate", "--no-input"],
        env=environment,
        check=True,
        capture_output=True,
    )
    migrated = empty_database("migrated/seuil.sqlite3")

    from_models = empty_database("from-models.sqlite3")
    with from_models.schema_editor() as editor:
        for config in apps.get_app_configs():
            for model in router.get_migratable_models(config, from_models.alias):
                if model._meta.can_migrate(from_models):
                    editor.create_model(model)

    built, described = schema(migrated), schema(from_models)
    assert sorted(built) == sorted(described)
    for table in described:
        assert built[table] == described[table], table
