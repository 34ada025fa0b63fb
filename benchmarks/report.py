"""Benchmark of the activity report: facts (bulk queries) + compute + JSON.

    .venv/bin/python benchmarks/report.py --scale operator   # 1 operator, 1,000 households
    .venv/bin/python benchmarks/report.py --scale national   # 100,000 households, 300 operators
    .venv/bin/python benchmarks/report.py --scale both

Generates the data in plain Python (10 years, 2015–2024, about 3 persons and 1.3 stays per
household, units reused one household after the other, shared flats split into rooms,
returned units, lease transfers, births, family reunifications, status and resource
changes, eviction procedures, a few missing birth dates and sexes), inserts it with
`bulk_create` into a fresh SQLite file in a temporary folder — or into the database of
DATABASE_URL when it is set (use an empty PostgreSQL database). Then times, for the largest
organisation (all its programmes) and the year 2024: `load_facts`, `compute` and
`json.dumps`, three runs each (first run and best run are reported). At national scale the
largest operator holds 30 % of the households. Also times `compute` alone on the whole
national data set as one scope. Prints the figures and writes them to
benchmarks/results/report.json, under the database engine and the scale (other entries are
kept). Memory: the process's peak resident set (resource.getrusage) before and after the
runs, and tracemalloc's peak over one facts + compute run.

Targets: operator scale < 1 s, national scale < 10 s on PostgreSQL.
"""

import argparse
import datetime
import gc
import heapq
import json
import os
import platform
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402

FIRST_DAY = datetime.date(2015, 1, 1)
LAST_DAY = datetime.date(2024, 12, 31)
PERIOD = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
SCALES = {
    "operator": {"households": 1_000, "organisations": 1, "largest_share": 1.0},
    "national": {"households": 100_000, "organisations": 300, "largest_share": 0.3},
}
TARGETS = {"operator": 1.0, "national": 10.0}
RESOURCES = [
    ["rsa"],
    ["family_benefits", "rsa"],
    ["salary"],
    ["activity_bonus", "salary"],
    ["unemployment_benefit"],
    ["asylum_allowance"],
    ["aah"],
    ["none"],
]
DESTINATIONS = [
    "social_landlord",
    "private_landlord",
    "outside_department",
    "other_programme",
    "shelter",
    "end_of_support",
    "other",
    "",
]
PRIOR = ["specialised_shelter"] * 4 + ["general_shelter", "street_or_115", "own_housing", ""]


def day_between(rng, low, high):
    return low + datetime.timedelta(days=rng.randint(0, max(0, (high - low).days)))


class Data:
    """Rows of every table, as plain tuples, with explicit ids."""

    def __init__(self):
        self.organisations, self.programmes, self.sectors = [], [], []
        self.units, self.households, self.persons, self.members = [], [], [], []
        self.statuses, self.resources, self.stays, self.evictions = [], [], [], []


def generate(households, organisations, largest_share, seed):
    rng = random.Random(seed)
    data = Data()
    largest = int(households * largest_share)
    sizes = [largest] + [
        (households - largest) // max(1, organisations - 1) for _ in range(organisations - 1)
    ]
    sizes[0] += households - sum(sizes)
    for number, size in enumerate(sizes, start=1):
        generate_organisation(rng, data, number, size)
    return data


def generate_organisation(rng, data, number, size):
    org = number
    data.organisations.append((org, f"org-{number:03d}", f"Opérateur {number}"))
    programme_ids = []
    for ref in ("iml-r", "mobilite", "asg"):
        programme_ids.append(len(data.programmes) + 1)
        data.programmes.append((programme_ids[-1], org, ref))
    sector_ids = []
    for ref in ("nord", "centre", "sud"):
        sector_ids.append(len(data.sectors) + 1)
        data.sectors.append((sector_ids[-1], org, ref))
    # Units: about one for four households over ten years; a fifth are rooms of flats.
    free = []  # heap of (free from, unit id, typology)
    wanted = max(3, size // 4)
    while len(free) < wanted:
        captured = day_between(rng, FIRST_DAY, FIRST_DAY + datetime.timedelta(days=900))
        programme = rng.choice(programme_ids)
        sector = rng.choice([*sector_ids, None])
        if rng.random() < 0.07:
            flat = len(data.units) + 1
            data.units.append([flat, org, programme, "T4", None, sector, captured, None])
            for _ in range(3):
                room = len(data.units) + 1
                data.units.append([room, org, programme, "room", flat, sector, captured, None])
                heapq.heappush(free, (captured, room))
        else:
            unit = len(data.units) + 1
            typology = rng.choice(["T1", "T2", "T2", "T3", "T3", "T4", "T5"])
            data.units.append([unit, org, programme, typology, None, sector, captured, None])
            heapq.heappush(free, (captured, unit))
    for _ in range(size):
        household = len(data.households) + 1
        data.households.append((household, org, f"M{household:07d}", rng.choice(PRIOR)))
        free_from, unit = heapq.heappop(free) if free else (LAST_DAY, None)
        entered = free_from + datetime.timedelta(days=rng.randint(0, 75))
        if unit is None or entered > LAST_DAY:  # on file, never housed: no stay
            generate_members(rng, data, org, household, day_between(rng, FIRST_DAY, LAST_DAY), None)
            continue
        length = rng.randint(60, 900)
        exited = entered + datetime.timedelta(days=length)
        exited = exited if exited <= LAST_DAY else None
        unit_row = data.units[unit - 1]
        transferred = exited is not None and unit_row[3] != "room" and rng.random() < 0.1
        stay = len(data.stays) + 1
        data.stays.append(
            (
                stay,
                org,
                household,
                unit,
                unit_row[2],
                entered,
                exited,
                (rng.choice(DESTINATIONS) if not transferred else "social_landlord")
                if exited
                else "",
                transferred,
                "reinforced" if rng.random() < 0.15 else "standard",
            )
        )
        if transferred:
            unit_row[7] = exited
        elif exited is not None and rng.random() < 0.03:
            unit_row[7] = exited + datetime.timedelta(days=rng.randint(0, 60))
        elif exited is not None:
            heapq.heappush(free, (exited, unit))
        if exited is not None and rng.random() < 0.3 and exited < LAST_DAY:  # a second stay
            other_free, other = heapq.heappop(free) if free else (None, None)
            if other is not None and other_free <= LAST_DAY:
                again = max(exited, other_free)
                until = again + datetime.timedelta(days=rng.randint(60, 600))
                until = until if until <= LAST_DAY else None
                data.stays.append(
                    (
                        len(data.stays) + 1,
                        org,
                        household,
                        other,
                        data.units[other - 1][2],
                        again,
                        until,
                        rng.choice(DESTINATIONS) if until else "",
                        False,
                        "standard",
                    )
                )
                if until is not None:
                    heapq.heappush(free, (until, other))
        if rng.random() < 0.02:
            started = entered + datetime.timedelta(days=rng.randint(30, 300))
            ended = exited if exited and exited > started and rng.random() < 0.5 else None
            data.evictions.append((len(data.evictions) + 1, stay, started, ended))
        generate_members(rng, data, org, household, entered, exited)


def generate_members(rng, data, org, household, entered, exited):
    size = rng.choices([1, 2, 3, 4, 5, 6], weights=[25, 15, 20, 20, 12, 8])[0]
    roles = ["head"]
    if size >= 2 and rng.random() < 0.6:
        roles.append("partner")
    roles += ["child"] * (size - len(roles))
    asylum = rng.random() < 0.3
    granted = entered - datetime.timedelta(days=rng.randint(-150, 900))
    end = exited or LAST_DAY
    for position, role in enumerate(roles):
        person = len(data.persons) + 1
        years = rng.randint(19, 60) if role != "child" else rng.randint(0, 20)
        birth = entered - datetime.timedelta(days=int(365.25 * years) + rng.randint(0, 364))
        joined = reason = None
        if role == "partner" and rng.random() < 0.1 and end > entered + datetime.timedelta(9):
            joined, reason = (
                day_between(rng, entered + datetime.timedelta(1), end),
                "family_reunification",
            )
        if role == "child" and position == len(roles) - 1 and rng.random() < 0.08:
            if end > entered + datetime.timedelta(days=9):
                joined = birth = day_between(rng, entered + datetime.timedelta(1), end)
                reason = "birth"
        sex = rng.choice("FM") if rng.random() > 0.01 else ""
        data.persons.append(
            (person, org, f"P{person:07d}", sex, birth if rng.random() > 0.02 else None)
        )
        left = None
        if role == "child" and rng.random() < 0.03:
            left = day_between(rng, joined or entered, end)
        data.members.append(
            (len(data.members) + 1, household, person, role, joined, reason or "", left)
        )
        if reason == "birth":
            data.statuses.append((len(data.statuses) + 1, person, birth, "other"))
        elif asylum:
            asked = granted - datetime.timedelta(days=rng.randint(120, 700))
            data.statuses.append((len(data.statuses) + 1, person, asked, "asylum_seeker"))
            data.statuses.append((len(data.statuses) + 1, person, granted, "refugee"))
        elif rng.random() > 0.03:
            status = rng.choice(["refugee"] * 6 + ["subsidiary_protection"] * 3 + ["regularised"])
            data.statuses.append((len(data.statuses) + 1, person, granted, status))
    on = entered
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        data.resources.append((len(data.resources) + 1, household, on, rng.choice(RESOURCES)))
        on = on + datetime.timedelta(days=rng.randint(30, 400))


def insert(data):
    import uuid

    from django.core.management.color import no_style
    from django.db import connection, transaction

    from seuil.core.models import Organisation
    from seuil.households.models import (
        Household,
        LegalStatusRecord,
        Membership,
        Person,
        ResourceRecord,
    )
    from seuil.housing.models import EvictionProcedure, HousingUnit, Programme, Sector, Stay

    def bulk(model, rows, build):
        for low in range(0, len(rows), 20_000):
            model.objects.bulk_create(
                [build(row) for row in rows[low : low + 20_000]], batch_size=5_000
            )

    with transaction.atomic():
        bulk(
            Organisation,
            data.organisations,
            lambda r: Organisation(id=r[0], ref=r[1], name=r[2], kind="operator"),
        )
        bulk(
            Programme,
            data.programmes,
            lambda r: Programme(id=r[0], organisation_id=r[1], ref=r[2], name=r[2]),
        )
        bulk(
            Sector,
            data.sectors,
            lambda r: Sector(id=r[0], organisation_id=r[1], ref=r[2], name=r[2]),
        )
        bulk(
            HousingUnit,
            data.units,
            lambda r: HousingUnit(
                id=r[0],
                uuid=uuid.uuid4(),
                organisation_id=r[1],
                ref=f"L{r[0]:07d}",
                programme_id=r[2],
                typology=r[3],
                parent_id=r[4],
                sector_id=r[5],
                captured_on=r[6],
                returned_on=r[7],
            ),
        )
        bulk(
            Household,
            data.households,
            lambda r: Household(
                id=r[0], uuid=uuid.uuid4(), organisation_id=r[1], ref=r[2], prior_situation=r[3]
            ),
        )
        bulk(
            Person,
            data.persons,
            lambda r: Person(
                id=r[0],
                uuid=uuid.uuid4(),
                organisation_id=r[1],
                ref=r[2],
                sex=r[3],
                birth_date=r[4],
            ),
        )
        bulk(
            Membership,
            data.members,
            lambda r: Membership(
                id=r[0],
                uuid=uuid.uuid4(),
                household_id=r[1],
                person_id=r[2],
                role=r[3],
                joined_on=r[4],
                joined_reason=r[5],
                left_on=r[6],
            ),
        )
        bulk(
            LegalStatusRecord,
            data.statuses,
            lambda r: LegalStatusRecord(
                id=r[0], uuid=uuid.uuid4(), person_id=r[1], since=r[2], status=r[3]
            ),
        )
        bulk(
            ResourceRecord,
            data.resources,
            lambda r: ResourceRecord(
                id=r[0], uuid=uuid.uuid4(), household_id=r[1], on=r[2], types=r[3]
            ),
        )
        bulk(
            Stay,
            data.stays,
            lambda r: Stay(
                id=r[0],
                uuid=uuid.uuid4(),
                organisation_id=r[1],
                ref=f"S{r[0]:07d}",
                household_id=r[2],
                unit_id=r[3],
                programme_id=r[4],
                entered_on=r[5],
                exited_on=r[6],
                exit_destination=r[7],
                lease_transferred=r[8],
                support_intensity=r[9],
            ),
        )
        bulk(
            EvictionProcedure,
            data.evictions,
            lambda r: EvictionProcedure(
                id=r[0], uuid=uuid.uuid4(), stay_id=r[1], started_on=r[2], ended_on=r[3]
            ),
        )
    models = [
        Organisation,
        Programme,
        Sector,
        HousingUnit,
        Household,
        Person,
        Membership,
        LegalStatusRecord,
        ResourceRecord,
        Stay,
        EvictionProcedure,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def plain_facts_of_everything(data):
    """All organisations as one scope, for timing `compute` alone at national scale."""
    from seuil.reports import compute

    persons = {p[0]: p for p in data.persons}
    return compute.Facts(
        organisation="france",
        sectors=sorted({s[2] for s in data.sectors}),
        units=[
            compute.Unit(u[0], u[3], f"s{u[5]}" if u[5] else None, u[6], u[7], u[4])
            for u in data.units
        ],
        stays=[
            compute.Stay(s[0], s[2], s[3], s[5], s[6], s[7], s[8], s[9] == "reinforced")
            for s in data.stays
        ],
        households=[compute.Household(h[0], h[3]) for h in data.households],
        members=[
            compute.Member(m[1], m[2], m[3], persons[m[2]][3], persons[m[2]][4], m[4], m[5], m[6])
            for m in data.members
        ],
        legal_statuses=[compute.LegalStatusRecord(s[1], s[2], s[3]) for s in data.statuses],
        resources=[compute.ResourceRecord(r[1], r[2], tuple(r[3])) for r in data.resources],
        evictions=[compute.EvictionProcedure(e[1], e[2], e[3]) for e in data.evictions],
    )


def timed_report(organisation_ref, runs=3):
    from seuil.reports.compute import compute
    from seuil.reports.facts import load_facts

    start, end = PERIOD
    timings = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        facts = load_facts(organisation_ref, [], start, end)
        t1 = time.perf_counter()
        report = compute(facts, start, end)
        t2 = time.perf_counter()
        text = json.dumps(report, ensure_ascii=False)
        t3 = time.perf_counter()
        timings.append(
            {
                "facts": round(t1 - t0, 3),
                "compute": round(t2 - t1, 3),
                "json": round(t3 - t2, 4),
                "total": round(t3 - t0, 3),
            }
        )
    sizes = {
        "units": len(facts.units),
        "stays": len(facts.stays),
        "households": len(facts.households),
        "members": len(facts.members),
        "legal_statuses": len(facts.legal_statuses),
        "resources": len(facts.resources),
    }
    del facts
    gc.collect()
    tracemalloc.start()
    compute(load_facts(organisation_ref, [], start, end), start, end)
    traced_peak = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    tracemalloc.stop()
    headline = {
        "present_households": report["present"]["households"],
        "present_persons": report["present"]["persons"],
        "entries": report["entries"]["households"],
        "exits": report["exits"]["households"],
        "occupancy_rate": report["housing"]["occupancy_rate"],
        "checks_ok": all(c["ok"] for c in report["checks"]),
        "json_kb": round(len(text.encode()) / 1024, 1),
    }
    return {
        "first": timings[0],
        "best": min(timings, key=lambda t: t["total"]),
        "facts_sizes": sizes,
        "tracemalloc_peak_mb": traced_peak,
        "report": headline,
    }


def run_scale(name, seed):
    from django.conf import settings

    spec = SCALES[name]
    t0 = time.perf_counter()
    data = generate(spec["households"], spec["organisations"], spec["largest_share"], seed)
    generated = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    insert(data)
    inserted = round(time.perf_counter() - t0, 2)
    sizes = {
        "organisations": len(data.organisations),
        "households": len(data.households),
        "persons": len(data.persons),
        "units": len(data.units),
        "stays": len(data.stays),
        "legal_status": len(data.statuses),
        "resources": len(data.resources),
        "eviction_procedures": len(data.evictions),
    }
    print(f"[{name}] données : {sizes} (générées en {generated} s, insérées en {inserted} s)")
    before = peak_rss_mb()
    result = timed_report(data.organisations[0][1])
    result["peak_rss_mb_before"] = before
    result["peak_rss_mb_after"] = peak_rss_mb()
    best = result["best"]
    print(
        f"[{name}] rapport de « {data.organisations[0][1]} » : {best['total']} s "
        f"(faits {best['facts']} s, calcul {best['compute']} s, JSON {best['json']} s ; "
        f"1re exécution {result['first']['total']} s), "
        f"mémoire max {result['peak_rss_mb_after']} Mo, "
        f"pic tracemalloc {result['tracemalloc_peak_mb']} Mo"
    )
    if name == "national":
        from seuil.reports.compute import compute

        facts = plain_facts_of_everything(data)
        t0 = time.perf_counter()
        report = compute(facts, *PERIOD)
        seconds = round(time.perf_counter() - t0, 2)
        result["compute_everything"] = {
            "seconds": seconds,
            "households": len(facts.households),
            "members": len(facts.members),
            "present_households": report["present"]["households"],
            "checks_ok": all(c["ok"] for c in report["checks"]),
        }
        print(
            f"[{name}] calcul seul sur toutes les données "
            f"({len(facts.members)} membres) : {seconds} s"
        )
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return {
        "database": engine,
        "data": sizes,
        "generate_seconds": generated,
        "insert_seconds": inserted,
        "period": [PERIOD[0].isoformat(), PERIOD[1].isoformat()],
        "organisation": data.organisations[0][1],
        **result,
        "target_seconds": TARGETS[name],
        "ok": best["total"] < TARGETS[name],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["operator", "national", "both"], default="operator")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", default=str(HERE / "results" / "report.json"))
    args = parser.parse_args(argv)
    scales = ["operator", "national"] if args.scale == "both" else [args.scale]
    output = Path(args.output)
    results = {}
    if output.exists():
        results = json.loads(output.read_text(encoding="utf-8"))
    results.update(
        {
            "benchmark": "seuil report activity (facts + compute + JSON)",
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
            "seed": args.seed,
        }
    )
    results.pop("scales", None)
    with tempfile.TemporaryDirectory(prefix="seuil-bench-report-") as tmp:
        setup_django(Path(tmp))
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        runs = results.setdefault("databases", {}).setdefault(engine, {})
        for name in scales:
            if name != scales[0]:
                from django.core.management import call_command

                call_command("flush", interactive=False, verbosity=0)
            runs[name] = run_scale(name, args.seed)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats écrits dans {output}")


if __name__ == "__main__":
    main()
