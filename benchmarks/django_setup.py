"""What the benchmarks share: the process's peak memory, and for those that need the
database, a fresh SQLite database in a temporary folder (or the database of DATABASE_URL
when set). Django is imported only by `setup_django`."""

import os
import resource
import sys


def peak_rss_mb():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024, 1)


def setup_django(workdir):
    if not os.environ.get("DATABASE_URL"):
        os.environ["SEUIL_DATA_DIR"] = str(workdir)
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    # A throwaway instance: the test environment, not production (seuil.core.environment).
    os.environ.setdefault("SEUIL_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seuil.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
