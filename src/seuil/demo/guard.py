"""Where the demo may write: its accounts have a public password (README), so it writes
only into an empty database or one that holds nothing but an earlier demo, and never in
production. `check_demo_database()` decides before anything is written (migrations
included)."""

from django.conf import settings
from django.db import connection

from seuil.core.environment import IN_PRODUCTION
from seuil.core.models import Organisation

NAMES_SHOWN = 5


class DemoRefused(Exception):
    """The demo must not write into this database (French message for the user)."""


def _organisation_columns():
    """The columns of the organisation table, or None when the table does not exist yet."""
    table = Organisation._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return None
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def check_demo_database():
    """Raise `DemoRefused` unless the demo may write into this database; write nothing."""
    if settings.PRODUCTION:
        raise DemoRefused(
            f"La démonstration ne s'installe jamais {IN_PRODUCTION} : ses comptes ont un "
            "mot de passe public. Rien n'a été écrit. Pour une démonstration, lancez-la sur "
            "une base vide sans SECRET_KEY ni SEUIL_HTTPS, ou avec SEUIL_ENV=demo."
        )
    columns = _organisation_columns()
    if columns is None:
        return
    organisations = Organisation.objects.all()
    if "demo" in columns:
        organisations = organisations.filter(demo=False)
    # Without the column, the database predates the marker: no organisation is known to
    # come from the demo.
    refs = list(organisations.order_by("ref").values_list("ref", flat=True)[: NAMES_SHOWN + 1])
    if refs:
        shown = ", ".join(refs[:NAMES_SHOWN]) + (", …" if len(refs) > NAMES_SHOWN else "")
        raise DemoRefused(
            f"La base de données contient des organisations que la démonstration n'a pas "
            f"créées ({shown}) : la démonstration n'y écrit rien, car ses comptes ont un mot "
            "de passe public. Lancez-la sur une base vide (par exemple avec un autre "
            "SEUIL_DATA_DIR, ou une autre DATABASE_URL)."
        )
