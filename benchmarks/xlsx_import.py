"""Benchmark of the spreadsheet import of the interface: the workbook written, checked
(read, then imported and rolled back: the preview), then imported.

    .venv/bin/python benchmarks/xlsx_import.py [--households 1000] [--seed 42]

The organisation's data is generated (benchmarks/generate.py), written as the XLSX
workbook of the exchange format, then read and imported into a fresh SQLite database in a
temporary folder (or the database of DATABASE_URL). Prints the seconds of each step (wall
clock, and CPU: the figures kept, the machine may be shared). The page checks and imports
at once a workbook of `SEUIL_IMPORT_INLINE_MAX_BYTES` at most, in the background above.
"""

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402
from generate import generate  # noqa: E402


def timed(what, function, *args, **kwargs):
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    seconds = round(time.perf_counter() - start, 2)
    cpu = round(time.process_time() - cpu, 2)
    print(f"{what} : {seconds} s ({cpu} s de CPU, mémoire max {peak_rss_mb()} Mo)", flush=True)
    return result, cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="seuil-bench-") as tmp:
        setup_django(Path(tmp))
        from seuil.core.models import Organisation
        from seuil.exchange import workbook
        from seuil.exchange.importer import import_exchange
        from seuil.exchange.services import workbook_rows

        document = generate(households=args.households, seed=args.seed)
        organisation = Organisation.objects.create(
            ref=document["organisation"]["ref"], name=document["organisation"]["name"]
        )
        document["organisation"]["kind"] = organisation.kind
        data, write_s = timed("Écriture du classeur", workbook.write_workbook, document)
        reading, read_s = timed("Lecture du classeur", workbook.read_workbook, data, organisation)
        assert not reading.problems, reading.sorted_problems()[:5]
        _, preview_s = timed(
            "Aperçu (import annulé)", import_exchange, reading.document, dry_run=True
        )
        _, import_s = timed("Import", import_exchange, reading.document)
        print(
            json.dumps(
                {
                    "households": args.households,
                    "rows": workbook_rows(reading.document),
                    "xlsx_mb": round(len(data) / 1e6, 2),
                    "write_s": write_s,
                    "check_s": round(read_s + preview_s, 2),
                    "import_s": import_s,
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
