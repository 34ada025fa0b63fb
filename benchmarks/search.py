"""Benchmark of the search (`/recherche/`) at national scale.

    .venv/bin/python benchmarks/search.py [--persons 1000000] [--organisations 100] [--seed 14]
    DATABASE_URL=… .venv/bin/python benchmarks/search.py --measure-only   # measure again

Writes, in a fresh SQLite database in a temporary folder (or the database of DATABASE_URL,
which should then be empty: use PostgreSQL for the national scale), `--persons` persons
spread over `--organisations` operators, in households of one to three persons: French
names drawn from a skewed list of common names (Martin, Bernard, Dupont… with their
accents) and a long tail of made-up ones, birth dates between 1940 and 2024. On
PostgreSQL the rows are written with COPY, the search's trigram index built after them.
The first operator is also linked (scope ``linked``) to 2,000 households of the others.

Then, as a social worker of that first operator (scope ``linked``), times typical searches,
three runs each (first and best reported): the search itself (`households.search.search`)
and the whole page of results (`/recherche/?r=…`, access log included). Target: each page
under 200 ms on PostgreSQL for 1,000,000 persons. Prints the figures and writes them to
benchmarks/results/search.json, under the database engine (other entries are kept).
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
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402

TARGET_SECONDS = 0.2
BATCH = 5000
LINKED = 2000

LAST_NAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel "
    "Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour "
    "Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud "
    "Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
    "Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey "
    "Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger "
    "Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury "
    "Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault "
    "N'Diaye Diallo Traoré Koné Diop Sow Camara Benali Haddad Mansouri Belkacem Nguyen Tran "
    "Kaya Yılmaz Kaboré Ouédraogo Mendy Da-Silva Ferreira Pereira Lefebvre D'Almeida"
).split()
FIRST_NAMES = (
    "Marie Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Daniel Christian "
    "Frédéric Éric Laurent Stéphane David Olivier Pascal Thierry Julien Sébastien Isabelle "
    "Nathalie Sylvie Catherine Françoise Christine Monique Valérie Sophie Sandrine Aurélie "
    "Céline Julie Camille Léa Emma Chloé Manon Inès Sarah Lucas Hugo Louis Gabriel Arthur "
    "Mohamed Ahmed Fatima Aïcha Amina Youssef Karim Mamadou Moussa Awa Ibrahim Omar Yasmine "
    "Leïla Nora Élodie Noé Hélène Zoé Jean-Pierre Marie-Claire Anaïs Maëlle Loïc"
).split()
SYLLABLES = (
    "ba be bi bo bou da de di do dou ka ke ki ko ku la le li lo lu ma me mi mo mu na ne "
    "ni no nou ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za zo an en in "
    "on ar er ir or ur el al ol"
).split()


def names(rng):
    def last():
        if rng.random() < 0.6:  # common names, the first ones far more than the others
            index = min(int(rng.paretovariate(1.1)) - 1, len(LAST_NAMES) - 1)
            return LAST_NAMES[index] if rng.random() < 0.5 else rng.choice(LAST_NAMES)
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    return last(), rng.choice(FIRST_NAMES)


def birth_date(rng):
    return datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 84))


def write_scene(persons, organisations, seed):
    """The organisations, households, persons and links; (the social worker, samples of
    references and birth dates to search for)."""
    from django.db import connection
    from django.utils import timezone

    from seuil.core.enums import OrganisationKind, Role
    from seuil.core.models import Organisation, User
    from seuil.households.models import Household, HouseholdLink, Membership, Person
    from seuil.households.names import search_name

    rng = random.Random(seed)
    orgs = Organisation.objects.bulk_create(
        Organisation(
            ref=f"banc-recherche-{n}", name=f"Opérateur {n}", kind=OrganisationKind.OPERATOR
        )
        for n in range(organisations)
    )
    worker = User.objects.create_user(
        username="recherche-ts",
        password="bench-search-42",  # noqa: S106 — a throwaway database
        organisation=orgs[0],
        role=Role.SOCIAL_WORKER,
    )
    now = timezone.now()
    households, people, memberships = [], [], []
    h_id = p_id = 0
    first_ids = _next_ids(connection, (Household, Person, Membership))
    while p_id < persons:
        h_id += 1
        org = orgs[rng.randrange(organisations)].pk
        households.append((first_ids[0] + h_id, org, f"M-{h_id:08X}"))
        for role in ("head", "partner", "child")[: rng.choice((1, 1, 2, 3))]:
            if p_id >= persons:
                break
            p_id += 1
            last, first = names(rng)
            people.append((first_ids[1] + p_id, org, f"P-{p_id:08X}", first, last, birth_date(rng)))
            memberships.append(
                (first_ids[2] + p_id, first_ids[0] + h_id, first_ids[1] + p_id, role)
            )
    if connection.vendor == "postgresql":
        _copy(connection, households, people, memberships, now)
    else:
        _bulk(households, people, memberships, now)
    others = [h for h in households if h[1] != orgs[0].pk]
    HouseholdLink.objects.bulk_create(
        (
            HouseholdLink(
                organisation=orgs[0],
                household_id=h[0],
                reason="stay",
                source=uuid.uuid4(),
                valid_from=datetime.date(2024, 1, 1),
            )
            for h in rng.sample(others, min(LINKED, len(others)))
        ),
        batch_size=BATCH,
    )
    mine = [p for p in people if p[1] == orgs[0].pk]
    sample = rng.choice(mine)
    samples = {
        "person_ref": sample[2],
        "household_ref": next(h[2] for h in households if h[1] == orgs[0].pk),
        "birth_date": f"{sample[5]:%d/%m/%Y}",
        "name": f"{sample[4]} {sample[3]}",
        "search_name": search_name(sample[3], sample[4]),
    }
    counts = {
        "persons": len(people),
        "households": len(households),
        "organisations": organisations,
        "persons_of_the_worker_organisation": len(mine),
        "linked_households": min(LINKED, len(others)),
    }
    return worker, samples, counts


def _next_ids(connection, models):
    from django.db.models import Max

    return [model.objects.aggregate(m=Max("pk"))["m"] or 0 for model in models]


def _bulk(households, people, memberships, now):
    """SQLite (and the test): through the ORM, `search_name` filled by `bulk_create`."""
    from seuil.households.models import Household, Membership, Person

    Household.objects.bulk_create(
        (Household(pk=pk, organisation_id=org, ref=ref) for pk, org, ref in households),
        batch_size=BATCH,
    )
    Person.objects.bulk_create(
        (
            Person(
                pk=pk,
                organisation_id=org,
                ref=ref,
                first_name=first,
                last_name=last,
                birth_date=born,
            )
            for pk, org, ref, first, last, born in people
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(pk=pk, household_id=h, person_id=p, role=role)
            for pk, h, p, role in memberships
        ),
        batch_size=BATCH,
    )


def _copy(connection, households, people, memberships, now):
    """PostgreSQL: COPY, the search's indexes dropped during the load and built again."""
    from seuil.households.models import Household, Membership, Person
    from seuil.households.names import search_name

    person_table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname IN ('person_search_name_trgm', 'person_birth_date')",
            [person_table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        raw = cursor.cursor  # psycopg's own cursor, for COPY

        def copy(table, columns, rows):
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
                for row in rows:
                    out.write_row(row)

        copy(
            Household._meta.db_table,
            [
                "id",
                "uuid",
                "organisation_id",
                "ref",
                "prior_situation",
                "created_at",
                "updated_at",
                "version",
                "social_note",
                "sensitive_details",
            ],
            ((pk, uuid.uuid4(), org, ref, "", now, now, 1, "", "") for pk, org, ref in households),
        )
        copy(
            person_table,
            [
                "id",
                "uuid",
                "organisation_id",
                "ref",
                "first_name",
                "last_name",
                "sex",
                "birth_date",
                "search_name",
                "updated_at",
                "version",
            ],
            (
                (
                    pk,
                    uuid.uuid4(),
                    org,
                    ref,
                    first,
                    last,
                    "",
                    born,
                    search_name(first, last),
                    now,
                    1,
                )
                for pk, org, ref, first, last, born in people
            ),
        )
        copy(
            Membership._meta.db_table,
            ["id", "uuid", "household_id", "person_id", "role", "joined_reason"],
            ((pk, uuid.uuid4(), h, p, role, "") for pk, h, p, role in memberships),
        )
        # The foreign keys' checks deferred to the commit run now: PostgreSQL builds no
        # index on a table with such checks pending (inside a test's transaction).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # What the ORM's writes keep (the list's order), in one UPDATE.
        Household.objects.filter(pk__gte=households[0][0]).refresh_head_names()
        for _, definition in indexes:
            cursor.execute(definition)
        for model in (Household, Person, Membership):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
            cursor.execute(f"ANALYZE {table}")


def existing_scene():
    """The scene a previous run wrote in the database of DATABASE_URL (`--measure-only`)."""
    from seuil.core.models import User
    from seuil.households.models import Household, Person

    worker = User.objects.get(username="recherche-ts")
    person = (
        Person.objects.filter(organisation=worker.organisation_id, birth_date__isnull=False)
        .order_by("pk")
        .first()
    )
    samples = {
        "person_ref": person.ref,
        "household_ref": Household.objects.filter(organisation=worker.organisation_id)
        .order_by("pk")
        .first()
        .ref,
        "birth_date": f"{person.birth_date:%d/%m/%Y}",
        "name": f"{person.last_name} {person.first_name}",
        "search_name": person.search_name,
    }
    counts = {"persons": Person.objects.count(), "households": Household.objects.count()}
    return worker, samples, counts


def queries(samples):
    """The typical searches: (label, text)."""
    return [
        ("nom très courant", "martin"),
        ("prénom et nom", "marie martin"),
        ("nom et prénom inversés, sans accents", "lefevre helene"),
        ("faute de frappe", "dupond"),
        ("orthographe proche", "mohammed"),
        ("nom et année", "nguyen 1985"),
        ("date de naissance seule", samples["birth_date"]),
        ("nom et date de naissance", f"{samples['name']} {samples['birth_date']}"),
        ("référence d'une personne", samples["person_ref"]),
        ("référence d'un ménage", samples["household_ref"]),
        ("aucun résultat", "zzyzxq"),
    ]


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
    """Wall clock (first and best run) and the best CPU time of this process (Django and
    Python, the database server's own work left out): on a shared machine the wall clock
    also counts the waits for a processor."""
    seconds, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "first": round(seconds[0], 4),
        "best": round(min(seconds), 4),
        "cpu": round(min(cpu), 4),
    }


def measure(worker, samples, runs=3):
    """{label: {"text", "results", "search", "page"}} for each typical search."""
    from seuil.households.search import search

    client = client_for(worker)
    figures = {}
    for label, text in queries(samples):
        groups = search(worker, text)
        url = client.post("/recherche/", {"q": text}).url

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        figures[label] = {
            "text": text,  # made-up persons: no personal data
            "results": {g.kind.code: len(g.results) for g in groups},
            "search": timed(lambda text=text: search(worker, text), runs),
            "page": timed(page, runs),
        }
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="mesure sur les données d'une exécution précédente (DATABASE_URL), sans écrire",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.conf import settings
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()
        started = time.perf_counter()
        if args.measure_only:
            worker, samples, counts = existing_scene()
            write_seconds = None
        else:
            worker, samples, counts = write_scene(args.persons, args.organisations, args.seed)
            write_seconds = round(time.perf_counter() - started, 1)
            print(f"Données écrites en {write_seconds} s : {counts}")
        figures = measure(worker, samples)
        engine = connection.vendor
        for label, f in figures.items():
            best = f["page"]["best"]
            flag = "" if best < TARGET_SECONDS else "  (> cible)"
            print(
                f"{label:38s} recherche {f['search']['best'] * 1000:6.1f} ms, page "
                f"premier {f['page']['first'] * 1000:6.1f} ms, meilleur {best * 1000:6.1f} ms "
                f"(CPU Django {f['page']['cpu'] * 1000:5.1f} ms){flag}  {f['results']}"
            )
        print(f"Charge de la machine (load average) : {os.getloadavg()}")
        record = {
            "engine": engine,
            "python": platform.python_version(),
            "counts": counts,
            "write_seconds": write_seconds,
            "seconds": figures,
            "target_seconds_per_page": TARGET_SECONDS,
            "peak_rss_mb": peak_rss_mb(),
            "load_average": os.getloadavg(),
            "debug": settings.DEBUG,
        }
        out = HERE / "results" / "search.json"
        out.parent.mkdir(exist_ok=True)
        previous = json.loads(out.read_text()) if out.exists() else {}
        previous[engine] = record
        out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            connection.close()


if __name__ == "__main__":
    main()
