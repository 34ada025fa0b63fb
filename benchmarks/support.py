"""Benchmark of support: a worker's week, the manager's dashboard, caseload and due pages,
and the `support` section of the activity report, for a large operator and nationally.

    .venv/bin/python benchmarks/support.py [--households 3000] [--workers 40] [--seed 16]

Writes, in a fresh SQLite database in a temporary folder (or the database of DATABASE_URL,
which should then be empty; on PostgreSQL, ANALYZE follows the load), one operator over
the ten years before today: about 600 units let one household after the other, 3,000
households of one person, their stays, a contract per stay with up to two amendments,
three objectives per household, a referent per household among `--workers` social
workers, and a contact every two to five days of each stay (about 450,000 contacts), those
of the current week planned. Then times, three runs each (first and best reported):

- `week_page`: the social worker's week (`/accompagnement/semaine/`) of the busiest worker;
- `dashboard_page`, `caseloads_page` and `due_page`: the manager's pages
  (`/accompagnement/tableau-de-bord/`, `/accompagnement/referents/`,
  `/accompagnement/echeances/`);
- `support_section`: `reports.facts.load_support` + `support_figures.support_section`
  over the last twelve months, all programmes;
- `support_section_national`: `support_section` alone over the facts of a national data set
  (`--national-households`, 100,000 by default, ten years, the same contracts, objectives
  and contacts per stay), drawn in plain Python as `load_support` would give them for one
  scope: every stay, contract and amendment, the objectives set or closed in the period and
  the contacts of the period (about 1.5 million). As `benchmarks/report.py` times `compute`
  alone at national scale.

Targets: each page under 300 ms on PostgreSQL; the national support section under 5 s.
Prints the figures and writes them to benchmarks/results/support.json, under the database
engine (other entries are kept).
"""

import argparse
import datetime
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402

DAY = datetime.timedelta(days=1)
TARGET_SECONDS = 0.3
NATIONAL_TARGET_SECONDS = 5.0
BATCH = 5000


def write_scene(households, workers, seed):
    from django.contrib.auth.hashers import make_password

    from seuil.core.enums import OrganisationKind, Role
    from seuil.core.models import Organisation, User
    from seuil.households.models import Household, Membership, Person
    from seuil.housing.models import HousingUnit, Programme, Stay
    from seuil.support.models import (
        Amendment,
        Contact,
        Objective,
        Referent,
        SupportContract,
        SupportSettings,
    )

    rng = random.Random(seed)
    today = datetime.date.today()
    first = today - 3652 * DAY
    monday = today - today.weekday() * DAY
    org = Organisation.objects.create(
        ref="bench-support", name="Opérateur", kind=OrganisationKind.OPERATOR
    )
    password = make_password("bench-support-42")
    staff = [
        User(
            username=f"ts{n:02d}",
            first_name="Travailleur",
            last_name=f"Social {n:02d}",
            organisation=org,
            role=Role.SOCIAL_WORKER,
            password=password,
        )
        for n in range(workers)
    ]
    staff.append(
        User(username="responsable", organisation=org, role=Role.SERVICE_MANAGER, password=password)
    )
    User.objects.bulk_create(staff)
    staff = list(User.objects.filter(organisation=org, role=Role.SOCIAL_WORKER))
    iml = Programme.objects.create(organisation=org, ref="iml-r", name="IML", max_support_months=18)
    asg = Programme.objects.create(organisation=org, ref="asg", name="ASG")
    SupportSettings.objects.create(programme=iml, households_per_worker=12)
    SupportSettings.objects.create(programme=asg, households_per_worker=10, reinforced_weight=2)

    units = HousingUnit.objects.bulk_create(
        HousingUnit(
            organisation=org,
            ref=f"L{n:04d}",
            programme=iml if n % 3 else asg,
            typology="T3",
            captured_on=first,
        )
        for n in range(max(1, households // 5))
    )
    plan = []  # (unit, entered, exited)
    cursor = {u.pk: first + rng.randint(0, 60) * DAY for u in units}
    while len(plan) < households:
        unit = rng.choice(units)
        entered = cursor[unit.pk]
        if entered > today:
            if all(c > today for c in cursor.values()):
                break
            continue
        exited = entered + rng.randint(180, 900) * DAY
        cursor[unit.pk] = exited + rng.randint(7, 45) * DAY
        plan.append((unit, entered, exited if exited <= today else None))
    house = Household.objects.bulk_create(
        (Household(organisation=org, ref=f"M{n:05d}") for n in range(len(plan))), batch_size=BATCH
    )
    persons = Person.objects.bulk_create(
        (
            Person(organisation=org, ref=f"P{n:05d}", first_name="Prénom", last_name=f"Nom{n}")
            for n in range(len(plan))
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(household=h, person=p, role="head")
            for h, p in zip(house, persons, strict=True)
        ),
        batch_size=BATCH,
    )
    stays = Stay.objects.bulk_create(
        (
            Stay(
                organisation=org,
                ref=f"S{n:05d}",
                household=h,
                unit=unit,
                programme_id=unit.programme_id,
                entered_on=entered,
                exited_on=exited,
                exit_destination="social_landlord" if exited else "",
                support_intensity="reinforced" if rng.random() < 0.15 else "standard",
            )
            for n, (h, (unit, entered, exited)) in enumerate(zip(house, plan, strict=True))
        ),
        batch_size=BATCH,
    )
    contracts, amendments, objectives, referents, contacts = [], [], [], [], []
    for n, stay in enumerate(stays):
        worker = staff[n % len(staff)]
        stop = stay.exited_on or today
        signed = stay.entered_on + rng.randint(3, 45) * DAY
        end = signed + 182 * DAY
        contract = SupportContract(
            organisation=org,
            ref=f"C{n:05d}",
            stay=stay,
            signed_on=signed,
            starts_on=signed,
            ends_on=end,
        )
        contracts.append(contract)
        for k in range(2):
            if end >= stop:
                break
            end += 182 * DAY
            amendments.append((contract, f"A{n:05d}-{k}", end - 190 * DAY, end))
        referents.append(
            Referent(
                organisation=org,
                household=stay.household,
                worker=worker,
                since=stay.entered_on,
                until=stay.exited_on,
            )
        )
        for k, domain in enumerate(rng.sample(["budget", "french", "employment", "housing"], 3)):
            set_on = stay.entered_on + (10 + 30 * k) * DAY
            closed = set_on + 200 * DAY
            done = closed <= stop
            objectives.append(
                Objective(
                    organisation=org,
                    ref=f"O{n:05d}-{k}",
                    household=stay.household,
                    domain=domain,
                    set_on=set_on,
                    closed_on=closed if done else None,
                    outcome=rng.choice(["achieved", "not_achieved"]) if done else "",
                )
            )
        day = stay.entered_on
        end_of_contacts = stay.exited_on or monday + 7 * DAY
        while day < end_of_contacts:
            contacts.append(
                Contact(
                    organisation=org,
                    ref=f"K{len(contacts):07d}",
                    household=stay.household,
                    on=day,
                    kind=rng.choice(["office_appointment", "home_visit", "phone"]),
                    status="planned" if day >= today else "done",
                    worker=worker,
                )
            )
            day += rng.randint(2, 5) * DAY
    SupportContract.objects.bulk_create(contracts, batch_size=BATCH)
    Amendment.objects.bulk_create(
        (
            Amendment(organisation=org, ref=ref, contract=c, signed_on=signed, ends_on=end)
            for c, ref, signed, end in amendments
        ),
        batch_size=BATCH,
    )
    Objective.objects.bulk_create(objectives, batch_size=BATCH)
    Referent.objects.bulk_create(referents, batch_size=BATCH)
    for start in range(0, len(contacts), 50_000):
        Contact.objects.bulk_create(contacts[start : start + 50_000], batch_size=BATCH)
    return org, {
        "households": len(house),
        "stays": len(stays),
        "contracts": len(contracts),
        "amendments": len(amendments),
        "objectives": len(objectives),
        "contacts": len(contacts),
        "workers": len(staff),
    }


def national_facts(households, seed, start, end):
    """The support facts of a national data set over the ten years before `end`: one stay
    of 180 to 900 days per household, a contract signed 3 to 45 days after entry for six
    months with up to two amendments, three objectives, a contact every two to five days of
    the stay; filtered to what `load_support` reads for [start, end]."""
    from seuil.reports.support_figures import (
        ContactFact,
        ContractFact,
        ObjectiveFact,
        StayFact,
        SupportFacts,
    )

    rng = random.Random(seed)
    first = end - 3652 * DAY
    kinds = ["office_appointment", "home_visit", "phone", "joint_home_visit"]
    domains = ["budget", "french", "employment", "housing", "health"]
    facts = SupportFacts()
    for n in range(households):
        entered = first + rng.randint(0, 3652 - 30) * DAY
        exited = entered + rng.randint(180, 900) * DAY
        exited = exited if exited <= end else None
        facts.stays.append(StayFact(n, n, entered, exited))
        stop = exited or end
        signed = entered + rng.randint(3, 45) * DAY
        ends = signed + 182 * DAY
        amendments = []
        for _ in range(2):
            if ends >= stop:
                break
            ends += 182 * DAY
            amendments.append((ends - 190 * DAY, ends))
        facts.contracts.append(
            ContractFact(n, signed, signed, signed + 182 * DAY, tuple(amendments))
        )
        for k, domain in enumerate(rng.sample(domains, 3)):
            set_on = entered + (10 + 30 * k) * DAY
            closed = set_on + 200 * DAY
            closed = closed if closed <= stop else None
            if start <= set_on <= end or (closed and start <= closed <= end):
                outcome = rng.choice(["achieved", "not_achieved"]) if closed else ""
                facts.objectives.append(ObjectiveFact(n, domain, set_on, closed, outcome))
        day = max(entered, start)
        while day <= min(stop, end):
            facts.contacts.append(ContactFact(n, day, rng.choice(kinds)))
            day += rng.randint(2, 5) * DAY
    return facts


def client_for(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(action, runs=3):
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return {"first": round(seconds[0], 3), "best": round(min(seconds), 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--national-households", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.conf import settings
        from django.db import connection
        from django.db.models import Count
        from django.test.utils import setup_test_environment

        setup_test_environment()
        from seuil.core.models import User
        from seuil.reports.facts import load_support
        from seuil.reports.support_figures import support_section
        from seuil.support.models import Contact

        started = time.perf_counter()
        org, counts = write_scene(args.households, args.workers, args.seed)
        if connection.vendor == "postgresql":
            # The statistics autovacuum keeps on a live database, after a bulk load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        write_seconds = round(time.perf_counter() - started, 1)
        print(f"Données écrites en {write_seconds} s : {counts}")
        today = datetime.date.today()
        monday = today - today.weekday() * DAY
        busiest = (
            Contact.objects.filter(organisation=org, on__range=(monday, monday + 6 * DAY))
            .values("worker")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        worker = (
            User.objects.get(pk=busiest["worker"])
            if busiest
            else User.objects.filter(organisation=org, role="social_worker").first()
        )
        manager = User.objects.get(username="responsable")
        worker_client, manager_client = client_for(worker), client_for(manager)

        def page(client, url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return get

        start, end = today - 364 * DAY, today
        results = {
            "week_page": timed(page(worker_client, "/accompagnement/semaine/")),
            "dashboard_page": timed(page(manager_client, "/accompagnement/tableau-de-bord/")),
            "caseloads_page": timed(page(manager_client, "/accompagnement/referents/")),
            "due_page": timed(page(manager_client, "/accompagnement/echeances/")),
            "support_section": timed(
                lambda: support_section(load_support(org, set(), start, end), start, end)
            ),
        }
        national = national_facts(args.national_households, args.seed, start, end)
        counts["national"] = {
            "households": args.national_households,
            "contacts_in_period": len(national.contacts),
            "objectives_in_period": len(national.objectives),
        }
        results["support_section_national"] = timed(lambda: support_section(national, start, end))
        engine = connection.vendor
        record = {
            "engine": engine,
            "python": platform.python_version(),
            "counts": counts,
            "write_seconds": write_seconds,
            "seconds": results,
            "target_seconds_per_page": TARGET_SECONDS,
            "target_seconds_national_section": NATIONAL_TARGET_SECONDS,
            "peak_rss_mb": peak_rss_mb(),
            "debug": settings.DEBUG,
        }
        for name, figures in results.items():
            target = {
                "support_section": None,
                "support_section_national": NATIONAL_TARGET_SECONDS,
            }.get(name, TARGET_SECONDS)
            flag = "" if target is None or figures["best"] < target else "  (> cible)"
            first, best = figures["first"], figures["best"]
            print(f"{name:25s} premier {first:.3f} s, meilleur {best:.3f} s{flag}")
        out = HERE / "results" / "support.json"
        out.parent.mkdir(exist_ok=True)
        previous = json.loads(out.read_text()) if out.exists() else {}
        previous[engine] = record
        out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            connection.close()


if __name__ == "__main__":
    main()
