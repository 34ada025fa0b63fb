"""The migrations build the schema the models describe.

The suite's own databases are created from the models directly (`--no-migrations` in
pyproject.toml: each test worker saves applying every migration); this is where the
migrations run: `seuil migrate` into an empty database of the suite's kind (SQLite, or
PostgreSQL, production's, on the server of `DATABASE_URL`), compared table by table with one
created from the models (columns, keys, indexes and constraints)."""

import os
import re
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connections, router

# SQLite's names for unnamed unique and check constraints and for every foreign key.
MADE_UP_NAME = re.compile(r"__unnamed_constraint_\d+__|sqlite_autoindex_|fk_\d+$")
# What no model describes, made by a migration on PostgreSQL alone: the trigram index of the
# search by name (households 0008, in SQL: an operator class and two extensions).
MIGRATION_ONLY = {"person_search_name_trgm"}
# Django's own difference: its migrations give the link between groups and permissions of
# `auth` a 64-bit id (the project's DEFAULT_AUTO_FIELD), its model a 32-bit one (the app's).
SIZE_MAY_DIFFER = {("auth_group_permissions", "id")}


@pytest.fixture
def empty_database(tmp_path, django_db_blocker):
    """`empty_database(name)`: an empty database of the suite's kind under a connection alias
    of its own, and the `DATABASE_URL` that names it (for a `seuil` command)."""
    default = connections["default"]
    made = []

    def make(name):
        alias = f"schema-{name}"
        if default.vendor == "postgresql":
            database = f"{default.settings_dict['NAME']}_{name}"
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')  # left by a killed run
                cursor.execute(f'CREATE DATABASE "{database}"')
            settings = {**default.settings_dict, "NAME": database}
            url = _postgres_url(settings)
        else:
            database = tmp_path / f"{name}.sqlite3"
            settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": database}
            url = f"sqlite:///{database}"
        connections.settings[alias] = connections.configure_settings(
            {"default": connections.settings["default"], alias: settings}
        )[alias]
        made.append((alias, database))
        return connections[alias], url

    with django_db_blocker.unblock():
        yield make
        for alias, database in made:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]
            if default.vendor == "postgresql":
                with default.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')


def _postgres_url(settings):
    user = settings.get("USER") or ""
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{quote(user)}{password}@{host}{port}/{settings['NAME']}"


def schema(connection):
    """Table → its columns and its constraints, names left out where SQLite's introspection
    makes them up (they depend on the order of the columns); what the models cannot describe
    left out (`MIGRATION_ONLY`, `SIZE_MAY_DIFFER`)."""
    introspection = connection.introspection
    tables = {}
    with connection.cursor() as cursor:
        for table in introspection.get_table_list(cursor):
            if table.type != "t" or table.name == "django_migrations":
                continue
            columns = {
                column.name: column._replace(type_code=None, display_size=None, internal_size=None)
                if (table.name, column.name) in SIZE_MAY_DIFFER
                else column
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
                if name not in MIGRATION_ONLY
            )
            tables[table.name] = {"columns": columns, "constraints": constraints}
    return tables


def test_the_migrations_build_the_schema_the_models_describe(tmp_path, empty_database):
    migrated, url = empty_database("migrated")
    environment = {**os.environ, "DATABASE_URL": url, "SEUIL_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "seuil.cli", "migrate", "--no-input"],
        env=environment,
        check=True,
        capture_output=True,
    )

    from_models, _ = empty_database("from_models")
    with from_models.schema_editor() as editor:
        for config in apps.get_app_configs():
            for model in router.get_migratable_models(config, from_models.alias):
                if model._meta.can_migrate(from_models):
                    editor.create_model(model)

    built, described = schema(migrated), schema(from_models)
    assert sorted(built) == sorted(described)
    for table in described:
        assert built[table] == described[table], table
