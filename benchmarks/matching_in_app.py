"""Benchmark of matching from the application: database → instance → three plans → page.

    .venv/bin/python benchmarks/matching_in_app.py [--households 2000] [--units 400]

Writes, in a fresh SQLite database in a temporary folder (or the database of DATABASE_URL,
which should then be empty), one SIAO's waiting list on one programme — households of one
to six persons, each with a request, an assessment (1–2 wished départements among 5,
resources and housing benefit), a commission decision and a referral — and that
programme's vacant units over the same 5 départements. Then measures, as a user starting a
run would cause it:

- `build_seconds`: `matching.adapters.build_instance` (the queries and the instance);
- `solve_seconds`: `matching.services.execute_run` (the optimal, greedy and serial plans,
  saved with the run);
- `page_seconds`: `matching.plan.describe` (what the run's page shows: its first page, from
  the rows the run stored when it finished).

Prints the figures and writes them to benchmarks/results/matching_in_app.json. No speed
target is set for this part; the figures say what a département's or the national
platform's list costs.
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

DEPARTMENTS = ["80", "60", "02", "59", "62"]
TYPOLOGIES = [("T1", 330), ("T2", 420), ("T3", 500), ("T4", 580), ("T5", 650)]


def write_scene(households, units, seed):
    from seuil.core.enums import OrganisationKind, Role
    from seuil.core.models import Organisation, User
    from seuil.households.models import Household, Membership, Person
    from seuil.housing.models import HousingUnit, Programme
    from seuil.orientation.models import (
        Assessment,
        CommissionMeeting,
        Referral,
        ReferralDecision,
        Request,
        Vacancy,
    )

    rng = random.Random(seed)
    today = datetime.date.today()
    siao = Organisation.objects.create(
        ref="siao-banc", name="SIAO banc d'essai", kind=OrganisationKind.SIAO, department="80"
    )
    operator = Organisation.objects.create(
        ref="asso-banc", name="Association banc d'essai", kind=OrganisationKind.OPERATOR
    )
    coordinator = User.objects.create(
        username="coordination-banc", organisation=siao, role=Role.SIAO_COORDINATOR
    )
    programme = Programme.objects.create(
        organisation=operator, ref="iml-banc", name="IML banc d'essai", kind="iml"
    )
    meeting = CommissionMeeting.objects.create(siao=siao, held_on=today - datetime.timedelta(30))
    homes = Household.objects.bulk_create(
        Household(organisation=siao, ref=f"M{n:06d}", prior_situation="specialised_shelter")
        for n in range(households)
    )
    persons, memberships = [], []
    for n, household in enumerate(homes):
        size = rng.choice([1, 1, 2, 2, 3, 4, 5, 6])
        adults = 1 if size == 1 else rng.choice([1, 2])
        for k in range(size):
            adult = k < adults
            persons.append(
                Person(
                    organisation=siao,
                    ref=f"P{n:06d}-{k}",
                    first_name=f"Prénom{k}",
                    last_name=f"NOM{n}",
                    sex=rng.choice("FM"),
                    birth_date=today - datetime.timedelta(days=(12000 if adult else 2500) + k),
                )
            )
            role = "head" if k == 0 else ("partner" if adult else "child")
            memberships.append((household, len(persons) - 1, role))
    persons = Person.objects.bulk_create(persons)
    Membership.objects.bulk_create(
        Membership(household=h, person=persons[i], role=role) for h, i, role in memberships
    )
    requests = Request.objects.bulk_create(
        Request(
            ref=f"D{n:06d}",
            household=household,
            siao=siao,
            received_on=(received := today - datetime.timedelta(days=rng.randint(40, 700))),
            origin="shelter",
            status="admitted",
            status_since=received,
        )
        for n, household in enumerate(homes)
    )
    Assessment.objects.bulk_create(
        Assessment(
            request=request,
            assessed_on=request.received_on,
            support_level="standard",
            wished_territories=rng.sample(DEPARTMENTS, rng.choice([1, 2])),
            monthly_resources=rng.randint(500, 1800),
            housing_benefit=rng.randint(100, 450),
            priority_criteria=rng.sample(["shelter_exit", "young_child", "hosted"], 1)
            if rng.random() < 0.4
            else [],
        )
        for request in requests
    )
    decisions = ReferralDecision.objects.bulk_create(
        ReferralDecision(
            meeting=meeting,
            request=request,
            outcome="admitted",
            programme=programme,
            decided_on=meeting.held_on,
        )
        for request in requests
    )
    Referral.objects.bulk_create(
        Referral(
            ref=f"O{n:06d}",
            request=request,
            decision=decision,
            household=request.household,
            programme=programme,
            siao=siao,
            admitted_on=meeting.held_on,
        )
        for n, (request, decision) in enumerate(zip(requests, decisions, strict=True))
    )
    built = HousingUnit.objects.bulk_create(
        HousingUnit(
            organisation=operator,
            ref=f"L{n:05d}",
            programme=programme,
            typology=(typology := rng.choice(TYPOLOGIES))[0],
            commune=f"{rng.choice(DEPARTMENTS)}001",
            rent=typology[1] + rng.randint(-60, 60),
            charges=rng.randint(30, 90),
            captured_on=today - datetime.timedelta(days=400),
        )
        for n in range(units)
    )
    Vacancy.objects.bulk_create(
        Vacancy(
            ref=f"V{n:05d}",
            unit=unit,
            opened_on=today - datetime.timedelta(days=10),
            opening_reason="new_unit",
        )
        for n, unit in enumerate(built)
    )
    return coordinator, programme


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, round(time.perf_counter() - start, 3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", default=str(HERE / "results" / "matching_in_app.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="seuil-bench-") as folder:
        setup_django(Path(folder))
        from django.utils import timezone

        from seuil.matching import adapters, plan, services
        from seuil.matching.models import MatchingRun

        coordinator, programme = write_scene(args.households, args.units, args.seed)
        day = timezone.localdate()
        (instance, links, left_out), build = timed(
            adapters.build_instance, coordinator, programme, day
        )
        run = MatchingRun.objects.create(
            organisation=coordinator.organisation,
            programme=programme,
            day=day,
            created_by=coordinator,
            instance=instance,
            links=links,
            left_out=left_out,
        )
        run, solve = timed(services.execute_run, run)
        shown, page = timed(plan.describe, run)
        figures = {
            "households": len(instance["households"]),
            "units": len(instance["units"]),
            "eligible_pairs": run.results["optimal"]["eligible_pairs"],
            "placed_optimal": len(run.results["optimal"]["assignments"]),
            "build_seconds": build,
            "solve_seconds": solve,
            "page_seconds": page,
            "peak_rss_mb": peak_rss_mb(),
            "database": "postgresql" if "postgres" in os.environ["DATABASE_URL"] else "sqlite",
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        }
        assert len(shown["rows"]) == figures["units"]
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    print(f"Résultats écrits dans {output}")


if __name__ == "__main__":
    main()
