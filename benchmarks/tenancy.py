"""Benchmarks of the tenancy (issue targets in brackets):

    .venv/bin/python benchmarks/tenancy.py calls      # one month of rent calls for 30,000
                                                      # sub-leases [< 10 s, SQLite]
    .venv/bin/python benchmarks/tenancy.py arrears    # arrears with ages as of a day, N
                                                      # sub-leases with 10 years of history
                                                      # [100,000 in < 5 s, PostgreSQL]
    .venv/bin/python benchmarks/tenancy.py bank       # a 5,000-line CAMT.053 statement
                                                      # imported and reconciled [< 10 s]
    .venv/bin/python benchmarks/tenancy.py month      # the officer's month page, 3,000
                                                      # sub-leases [< 300 ms]
    .venv/bin/python benchmarks/tenancy.py all

Each scenario writes its data with `bulk_create` into a fresh SQLite file in a temporary
folder, or into the database of DATABASE_URL when it is set (use an empty PostgreSQL
database; there the sub-leases and ten years of `arrears` are written by the database
itself, INSERT … SELECT, indexes built after). `arrears` times the standings from the whole
history, then builds the yearly closings (`seuil.tenancy.closings`, what `seuil daily`
keeps) and times them again from the closings (the same figures, checked); then
times the action (best of three runs where it can be repeated, the month page five): wall
clock and CPU time of the process, with the machine's load average. On a machine shared
with other work, the CPU time is the figure to compare with the target. `--sub-leases`
changes the size of `arrears`. Figures are printed and written to
benchmarks/results/tenancy.json under the database engine.

The data of `arrears` stays in the database of DATABASE_URL: `--reuse` times it again
(the same `--sub-leases`) without writing it anew, in a minute where writing ten years
of 100,000 sub-leases takes many:

    DATABASE_URL=postgres://…/seuil_bench .venv/bin/python benchmarks/tenancy.py \
        arrears --sub-leases 100000 --reuse
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2025, 6, 15)


def organisation_with_sub_leases(count, *, entered_from, seed=15):
    """An operator with `count` present stays, each with its sub-lease and one term."""
    from seuil.core.models import Organisation
    from seuil.households.models import Household
    from seuil.housing.models import HousingUnit, Stay
    from seuil.tenancy.models import SubLease, SubLeaseTerm

    rng = random.Random(seed)  # nosec B311: benchmark data
    org = Organisation.objects.create(ref=f"bench-{count}-{seed}", name="Bench", kind="operator")
    units = HousingUnit.objects.bulk_create(
        HousingUnit(organisation=org, ref=f"L{i}", typology="T2", captured_on=entered_from)
        for i in range(count)
    )
    households = Household.objects.bulk_create(
        Household(organisation=org, ref=f"M{i}") for i in range(count)
    )
    stays = Stay.objects.bulk_create(
        Stay(
            organisation=org,
            ref=f"S{i}",
            household=households[i],
            unit=units[i],
            entered_on=entered_from + DAY * rng.randint(0, 27),
        )
        for i in range(count)
    )
    sub_leases = SubLease.objects.bulk_create(
        SubLease(
            organisation=org, ref=f"B{i}", stay=stays[i], signed_on=stays[i].entered_on, due_day=5
        )
        for i in range(count)
    )
    SubLeaseTerm.objects.bulk_create(
        SubLeaseTerm(
            sub_lease=s,
            starts_on=s.signed_on,
            rent=Decimal(rng.randint(300, 600)),
            charges=Decimal(60),
            housing_benefit=Decimal(rng.choice([0, 150, 250])),
        )
        for s in sub_leases
    )
    return org, sub_leases


def copies_in_sql(template, source, columns, params):
    """PostgreSQL: one copy of the saved row `template` per row of `source` (SQL: a FROM
    clause whose rows are named `x`), the columns of `columns` (name → SQL expression over
    `x`) set, a new uuid, the other columns as in the template."""
    from django.db import connection

    table = template._meta.db_table
    names, values = [], []
    for field in template._meta.concrete_fields:
        column = field.column
        if column == "id":
            continue
        names.append(f'"{column}"')
        if column == "uuid":
            values.append("gen_random_uuid()")
        else:
            values.append(columns.get(column, f't."{column}"'))
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)}"  # nosec B608
        f" FROM {table} t, {source} WHERE t.id = %(template)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "template": template.pk})


def organisation_with_sub_leases_in_sql(count, *, entered_from):
    """`organisation_with_sub_leases` written by PostgreSQL: a first stay with its unit,
    household, sub-lease and term saved as usual, then copied `count` − 1 times by
    INSERT … SELECT (seconds, where a million model instances take many minutes)."""
    from seuil.core.models import Organisation
    from seuil.households.models import Household
    from seuil.housing.models import HousingUnit, Stay
    from seuil.tenancy.models import SubLease, SubLeaseTerm

    org = Organisation.objects.create(ref=f"bench-{count}-sql", name="Bench", kind="operator")
    unit = HousingUnit.objects.create(
        organisation=org, ref="L0", typology="T2", captured_on=entered_from
    )
    household = Household.objects.create(organisation=org, ref="M0")
    stay = Stay.objects.create(
        organisation=org, ref="S0", household=household, unit=unit, entered_on=entered_from
    )
    sub_lease = SubLease.objects.create(
        organisation=org, ref="B0", stay=stay, signed_on=entered_from, due_day=5
    )
    term = SubLeaseTerm.objects.create(
        sub_lease=sub_lease,
        starts_on=entered_from,
        rent=Decimal(450),
        charges=Decimal(60),
        housing_benefit=Decimal(150),
    )
    params = {"org": org.pk, "count": count, "from": entered_from}
    numbers = "generate_series(1, %(count)s - 1) x(i)"
    copies_in_sql(unit, numbers, {"ref": "'L' || x.i"}, params)
    copies_in_sql(household, numbers, {"ref": "'M' || x.i"}, params)
    units, households = HousingUnit._meta.db_table, Household._meta.db_table
    copies_in_sql(
        stay,
        numbers,
        {
            "ref": "'S' || x.i",
            "household_id": f"(SELECT id FROM {households} WHERE organisation_id = %(org)s"
            " AND ref = 'M' || x.i)",
            "unit_id": f"(SELECT id FROM {units} WHERE organisation_id = %(org)s"
            " AND ref = 'L' || x.i)",
            "entered_on": "%(from)s::date + floor(random() * 28)::int",
        },
        params,
    )
    stays = Stay._meta.db_table
    copies_in_sql(
        sub_lease,
        f"(SELECT * FROM {stays} WHERE organisation_id = %(org)s AND id <> %(stay)s) x",
        {"ref": "'B' || substr(x.ref, 2)", "stay_id": "x.id", "signed_on": "x.entered_on"},
        {**params, "stay": stay.pk},
    )
    sub_leases = SubLease._meta.db_table
    copies_in_sql(
        term,
        f"(SELECT * FROM {sub_leases} WHERE organisation_id = %(org)s AND id <> %(first)s) x",
        {
            "sub_lease_id": "x.id",
            "starts_on": "x.signed_on",
            "rent": "300 + floor(random() * 301)",
            "housing_benefit": "(ARRAY[0, 150, 250])[1 + floor(random() * 3)::int]",
        },
        {**params, "first": sub_lease.pk},
    )
    return org


def timed(action, runs=3, cpu=None):
    """The result of `action` and its wall-clock times over `runs` runs; `cpu`, a list,
    receives the CPU times of this process (the measure that a machine shared with other
    work does not blur, the database included on SQLite)."""
    times = []
    result = None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        times.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - started_cpu)
    return result, times


def load_average():
    """The machine's load over the last minute (other work competing for its cores)."""
    return round(os.getloadavg()[0], 1)


def bench_calls(args):
    from seuil.tenancy.models import RentCall
    from seuil.tenancy.services import generate_rent_calls

    org, _ = organisation_with_sub_leases(30_000, entered_from=datetime.date(2024, 1, 1))
    started = time.perf_counter()
    created = generate_rent_calls(org, datetime.date(2025, 6, 1))
    first = time.perf_counter() - started
    again, times = timed(lambda: generate_rent_calls(org, datetime.date(2025, 6, 1)), runs=1)
    assert created == 30_000 and again == 0
    assert RentCall.objects.filter(sub_lease__organisation=org).count() == 30_000
    return {
        "sub_leases": 30_000,
        "created": created,
        "seconds": round(first, 2),
        "again_seconds": round(times[0], 2),
        "target_seconds": 10,
    }


def history(sub_leases, years, rng):
    """`years` of monthly calls and payments (most on time, some late, some partial)."""
    from seuil.tenancy.models import Payment, RentCall, first_of_month, next_month

    for start in range(0, len(sub_leases), 2000):
        calls, payments = [], []
        for s in sub_leases[start : start + 2000]:
            month = first_of_month(TODAY - DAY * 365 * years)
            kind = rng.random()
            n = 0
            while month <= TODAY:
                share = Decimal(rng.choice([150, 250, 300]))
                calls.append(
                    RentCall(sub_lease=s, month=month, due_on=month.replace(day=5), rent=share)
                )
                # Nine households in ten always pay; the others miss a month in five
                # and pay half of one in ten.
                if kind < 0.9 or rng.random() < 0.8:
                    paid = share if kind < 0.9 or rng.random() < 0.9 else share / 2
                    n += 1
                    payments.append(
                        Payment(
                            organisation_id=s.organisation_id,
                            ref=f"R{s.pk}-{n}",
                            sub_lease=s,
                            paid_on=month.replace(day=5) + DAY * rng.randint(0, 30),
                            amount=paid,
                            method="transfer",
                        )
                    )
                month = next_month(month)
        RentCall.objects.bulk_create(calls, batch_size=5000)
        Payment.objects.bulk_create(payments, batch_size=5000)


@contextlib.contextmanager
def indexes_put_off(cursor, tables):
    """PostgreSQL: drop the indexes, unique and foreign key constraints of `tables` (their
    primary keys kept), and create them again on leaving: millions of rows are written
    several times faster, each index then built at once."""
    again = []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        for name, definition in cursor.fetchall():
            again.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s"
            " AND i.indexname NOT IN (SELECT conname FROM pg_constraint"
            " WHERE conrelid = %s::regclass)",
            [table, table],
        )
        for name, definition in cursor.fetchall():
            again.insert(0, definition)
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    for statement in again:
        cursor.execute(statement)


def history_in_sql(org, years):
    """The same history as `history`, written by PostgreSQL itself (generate_series): the
    twelve million calls and payments of 100,000 sub-leases over ten years in minutes,
    where Python objects would take hours. A sub-lease in ten (by its key) is a bad payer;
    the database's generator is seeded."""
    from django.db import connection

    start = (TODAY - DAY * 365 * years).replace(day=1)
    params = {"org": org.pk, "start": start, "today": TODAY}
    tables = ["tenancy_rentcall", "tenancy_payment"]
    with connection.cursor() as cursor, indexes_put_off(cursor, tables):
        cursor.execute("SELECT setseed(0.16)")
        cursor.execute(
            """
            INSERT INTO tenancy_rentcall
                (uuid, sub_lease_id, month, due_on, rent, charges, housing_benefit, updated_at)
            SELECT gen_random_uuid(), s.id, m::date, m::date + 4,
                   (ARRAY[150, 250, 300])[1 + floor(random() * 3)::int], 0, 0, now()
            FROM generate_series(%(start)s::date, %(today)s::date, interval '1 month') m
            CROSS JOIN tenancy_sublease s
            WHERE s.organisation_id = %(org)s
            ORDER BY m, s.id
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO tenancy_payment
                (uuid, organisation_id, ref, sub_lease_id, paid_on, amount, method, updated_at)
            SELECT gen_random_uuid(), %(org)s, 'R' || c.id, c.sub_lease_id,
                   c.due_on + floor(random() * 31)::int,
                   CASE WHEN c.sub_lease_id %% 10 <> 0 OR random() < 0.9
                        THEN c.rent ELSE c.rent / 2 END,
                   'transfer', now()
            FROM tenancy_rentcall c JOIN tenancy_sublease s ON s.id = c.sub_lease_id
            WHERE s.organisation_id = %(org)s AND (c.sub_lease_id %% 10 <> 0 OR random() < 0.8)
            ORDER BY 5, c.id
            """,
            params,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def server_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend (its parallel
    workers left out), None elsewhere or when the server's processes cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(action, runs):
    """`timed` with the CPU of the database server's backend too: (result, figures)."""
    cpu, server = [], []

    def with_server():
        before = server_cpu()
        result = action()
        after = server_cpu()
        if before is not None and after is not None:
            server.append(after - before)
        return result

    result, times = timed(with_server, runs=runs, cpu=cpu)
    figures = {
        "first_seconds": round(times[0], 2),
        "best_seconds": round(min(times), 2),
        "best_cpu_seconds_of_this_process": round(min(cpu), 2),
    }
    if server:
        figures["best_cpu_seconds_of_the_database_backend"] = round(min(server), 2)
    return result, figures


def bench_arrears(args):
    from django.db import connection

    from seuil.core.models import Organisation
    from seuil.tenancy import closings
    from seuil.tenancy.models import Payment, RentCall, SubLease, SubLeaseClosing
    from seuil.tenancy.services import standings

    count = args.sub_leases
    started = time.perf_counter()
    entered_from = datetime.date(2015, 1, 1)
    postgresql = connection.vendor == "postgresql"
    ref = f"bench-{count}-sql" if postgresql else f"bench-{count}-15"
    org = Organisation.objects.filter(ref=ref).first() if args.reuse else None
    if org is not None:
        written = None
        print(f"data of {count} sub-leases reused (organisation {ref})", flush=True)
    else:
        if postgresql:
            org = organisation_with_sub_leases_in_sql(count, entered_from=entered_from)
            structure = round(time.perf_counter() - started)
            history_in_sql(org, 10)
        else:
            org, sub_leases = organisation_with_sub_leases(count, entered_from=entered_from)
            structure = round(time.perf_counter() - started)
            history(sub_leases, 10, random.Random(16))  # nosec B311
        written = round(time.perf_counter() - started)
        print(f"data written in {written} s (sub-leases and terms: {structure} s)", flush=True)
    queryset = SubLease.objects.filter(organisation=org)
    runs = 1 if count > 20_000 else 3
    from_the_start, without = measured(
        lambda: standings(queryset, TODAY, use_closings=False), runs=runs
    )
    print("without closings", json.dumps(without), flush=True)
    started, started_cpu = time.perf_counter(), time.process_time()
    built = closings.build(TODAY)
    build = {
        "closings_written": built,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds_of_this_process": round(time.process_time() - started_cpu, 1),
    }
    print("closings built", json.dumps(build), flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tenancy_subleaseclosing")
    result, with_closings = measured(lambda: standings(queryset, TODAY), runs=3)
    assert result == from_the_start, "the closings changed a figure"
    # "As of any date": a day in the middle of a past year, from that year's closing.
    past = TODAY.replace(year=TODAY.year - 4, month=7, day=15)
    past_result, as_of_past = measured(lambda: standings(queryset, past), runs=3)
    past_from_the_start = standings(queryset, past, use_closings=False)
    assert past_result == past_from_the_start, "the closings changed a figure of the past day"
    as_of_past = {"day": past.isoformat(), **as_of_past}
    print("as of a past day", json.dumps(as_of_past), flush=True)
    in_arrears = sum(1 for s in result.values() if s.arrears is not None)
    return {
        "sub_leases": count,
        "years": 10,
        "rent_calls": RentCall.objects.filter(sub_lease__organisation=org).count(),
        "payments": Payment.objects.filter(organisation=org).count(),
        "closings": SubLeaseClosing.objects.filter(sub_lease__organisation=org).count(),
        "data_written_seconds": written,
        "in_debt": sum(1 for s in result.values() if s.balance > 0),
        "in_arrears": in_arrears,
        "without_closings": without,
        "closings_build": build,
        **with_closings,
        "as_of_a_past_day": as_of_past,
        "load_average": load_average(),
        "target": "100,000 sub-leases in < 5 s on PostgreSQL",
    }


def camt(lines):
    entries = "".join(
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>BQ{i:06d}</AcctSvcrRef>"
        f"<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>MENAGE {i}</Nm></Dbtr></RltdPties>"
        f"<RmtInf><Ustrd>LOYER {ref}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for i, (day, amount, ref) in enumerate(lines)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Document '
        'xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>'
        f"{entries}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def bench_bank(args):
    from seuil.core.models import User
    from seuil.tenancy import bank
    from seuil.tenancy.models import BankLine

    org, sub_leases = organisation_with_sub_leases(5_000, entered_from=datetime.date(2024, 1, 1))
    user = User.objects.create(username="bench-officer", organisation=org, role="tenancy_officer")
    data = camt([(TODAY - DAY * (i % 20), 170 + i % 50, s.ref) for i, s in enumerate(sub_leases)])

    steps = {}

    def step(name, started):
        steps[name] = round(time.perf_counter() - started, 2)
        return time.perf_counter()

    def run():
        started = time.perf_counter()
        lines = bank.read_camt053(data)
        started = step("read", started)
        statement = bank.import_statement(org, lines, kind="camt053", by=user)
        started = step("import", started)
        pending = list(BankLine.objects.filter(organisation=org, status="to_reconcile"))
        proposals = bank.propose(org, pending)
        started = step("propose", started)
        pairs = [(p.line, p.sub_lease) for p in proposals if p.sub_lease]
        booked = len(bank.book_many(pairs, by=user)) if pairs else 0
        step("book", started)
        return statement.lines_new, booked

    started = time.perf_counter()
    new, booked = run()
    first = time.perf_counter() - started
    first_steps = dict(steps)
    (again_new, again_booked), times = timed(run, runs=1)
    assert (new, booked, again_new, again_booked) == (5_000, 5_000, 0, 0)
    return {
        "lines": 5_000,
        "booked": booked,
        "seconds": round(first, 2),
        "steps": first_steps,
        "same_statement_again_seconds": round(times[0], 2),
        "target_seconds": 10,
    }


def bench_month(args):
    from django.test import Client

    from seuil.core.models import User

    org, sub_leases = organisation_with_sub_leases(3_000, entered_from=datetime.date(2023, 6, 1))
    history(sub_leases, 2, random.Random(17))  # nosec B311
    user = User.objects.create(username="bench-month", organisation=org, role="tenancy_officer")
    from seuil.accounts import twofactor

    twofactor.disable_for_demo()  # the page only: the second factor is not measured
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get():
        response = client.get("/gestion-locative/", {"mois": "2025-06"})
        assert response.status_code == 200, response.status_code
        return len(response.content)

    cpu = []
    size, times = timed(get, runs=5, cpu=cpu)
    return {
        "sub_leases": 3_000,
        "years": 2,
        "bytes": size,
        "first_ms": round(times[0] * 1000),
        "best_ms": round(min(times) * 1000),
        "best_cpu_ms": round(min(cpu) * 1000),
        "load_average": load_average(),
        "target_ms": 300,
    }


SCENARIOS = {
    "calls": bench_calls,
    "arrears": bench_arrears,
    "bank": bench_bank,
    "month": bench_month,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    parser.add_argument("--sub-leases", type=int, default=10_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="arrears: time again the data a former run left in the database of "
        "DATABASE_URL (same --sub-leases), written first if it is not there",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.db import connection

        from seuil.core.daily import daily_tasks  # noqa: F401 (apps ready)

        engine = connection.vendor
        results = {}
        for name in SCENARIOS if args.scenario == "all" else [args.scenario]:
            results[name] = SCENARIOS[name](args)
            print(name, json.dumps(results[name], ensure_ascii=False))
        results["peak_rss_mb"] = peak_rss_mb()
    out = HERE / "results" / "tenancy.json"
    out.parent.mkdir(exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous[engine] = (
        previous.get(engine, {})
        | results
        | {
            "python": platform.python_version(),
            "measured_on": datetime.date.today().isoformat(),
        }
    )
    out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
