"""`seuil report activity`: the JSON document from the database, and French errors."""

import datetime
import io
import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from seuil.households.models import LegalStatusRecord, Membership, ResourceRecord
from seuil.housing.models import EvictionProcedure, HousingUnit, Sector, Stay
from seuil.reports import compute as plain
from tests.core.factories import OrganisationFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory
from tests.reports import reference
from tests.reports.reference import reference_report

pytestmark = pytest.mark.django_db

D = datetime.date
# The codes of EXCHANGE.md §2, every table listing all of them (the reference's lists).
TYPOLOGY_KEYS = [*reference.TYPOLOGY, "unknown"]
COMPOSITION_KEYS = reference.COMPOSITION
STATUS_KEYS = reference.STATUS
AGE_KEYS = reference.BANDS
RESOURCE_KEYS = reference.RESOURCE
PRIOR_KEYS = reference.PRIOR
DESTINATION_KEYS = reference.DESTINATION


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "activity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


@pytest.fixture
def apremis(db):
    """A small operator: 2 programmes, 3 units (one shared flat of 2 rooms), 3 households."""
    org = OrganisationFactory(ref="apremis", name="APREMIS")
    iml = ProgrammeFactory(organisation=org, ref="iml-r")
    ProgrammeFactory(organisation=org, ref="mobilite", name="Mobilité nationale")
    nord = Sector.objects.create(organisation=org, ref="nord", name="Nord")
    Sector.objects.create(organisation=org, ref="sud", name="Sud")
    flat = HousingUnitFactory(organisation=org, programme=iml, typology="T4", sector=nord)
    room = HousingUnitFactory(organisation=org, programme=iml, typology="room", parent=flat)
    HousingUnitFactory(organisation=org, programme=iml, typology="room", parent=flat)
    t3 = HousingUnitFactory(
        organisation=org,
        programme=iml,
        typology="T3",
        sector=nord,
        captured_on=D(2023, 12, 1),
        returned_on=D(2024, 10, 31),
    )
    # A woman alone in a room since 2023, refugee, RSA.
    alone = HouseholdFactory(organisation=org, prior_situation="street_or_115")
    head = MembershipFactory(household=alone, role="head").person
    LegalStatusRecordFactory(person=head, since=D(2021, 6, 1), status="refugee")
    ResourceRecordFactory(household=alone, on=D(2023, 1, 1), types=["rsa"])
    StayFactory(household=alone, unit=room, programme=iml, entered_on=D(2023, 3, 1))
    # A couple with a child born during the stay; the lease slid to them on 31 Oct 2024.
    family = HouseholdFactory(organisation=org, prior_situation="")
    MembershipFactory(household=family, role="head", person__sex="M")
    MembershipFactory(household=family, role="partner", person__birth_date=D(1990, 1, 1))
    MembershipFactory(
        household=family,
        role="child",
        person__birth_date=D(2024, 5, 2),
        person__sex="",
        joined_on=D(2024, 5, 2),
        joined_reason="birth",
    )
    family_stay = StayFactory(
        household=family,
        unit=t3,
        programme=iml,
        entered_on=D(2023, 12, 15),
        exited_on=D(2024, 10, 31),
        exit_destination="social_landlord",
        lease_transferred=True,
        support_intensity="reinforced",
    )
    EvictionProcedure.objects.create(stay=family_stay, started_on=D(2024, 2, 1))
    # A household of the other programme, in a unit of the other programme.
    other = HouseholdFactory(organisation=org)
    MembershipFactory(household=other, role="head")
    StayFactory(household=other, programme=None, entered_on=D(2024, 1, 1))
    return org


def test_json_has_exactly_the_keys_of_the_exchange_format(apremis, tmp_path):
    path = tmp_path / "rapport.json"
    out, err = run(
        "--organisation",
        "apremis",
        "--start",
        "2023-11-01",
        "--end",
        "2024-10-31",
        "--format",
        "json",
        "--output",
        str(path),
    )
    assert out == ""
    assert "Rapport écrit dans" in err
    report = json.loads(path.read_text(encoding="utf-8"))
    assert list(report) == [
        "format",
        "period",
        "scope",
        "housing",
        "present",
        "entries",
        "exits",
        "previous",
        "missing",
        "orientation",
        "tenancy",
        "support",
        "outcomes",
        "checks",
    ]
    assert report["format"] == "seuil-activity-report/1"
    assert report["period"] == {"start": "2023-11-01", "end": "2024-10-31"}
    assert report["scope"] == {"organisation": "apremis", "programmes": []}
    housing = report["housing"]
    assert list(housing) == [
        "captured",
        "vacant_at_end",
        "occupied_at_end",
        "returned",
        "occupancy_rate",
        "average_units",
    ]
    for key in ("captured", "vacant_at_end", "occupied_at_end"):
        assert list(housing[key]) == ["units", "by_typology", "by_sector"]
        assert list(housing[key]["by_typology"]) == TYPOLOGY_KEYS
        assert list(housing[key]["by_sector"]) == ["nord", "sud", "unknown"]
    assert list(housing["returned"]) == ["units", "lease_transferred", "by_typology", "by_sector"]
    present = report["present"]
    assert list(present) == [
        "households",
        "persons",
        "adults",
        "children",
        "adult_children",
        "reinforced_support",
        "eviction_procedure",
        "composition",
        "legal_status",
        "age_bands",
        "resources",
        "prior_situation",
        "length_of_stay",
    ]
    entries = report["entries"]
    assert list(entries) == [
        "households",
        "persons_at_entry",
        "persons_joined",
        "births",
        "persons",
        "composition",
        "legal_status",
        "age_bands",
        "resources",
        "prior_situation",
    ]
    exits = report["exits"]
    assert list(exits) == [
        "households",
        "persons",
        "composition",
        "legal_status",
        "age_bands",
        "length_of_stay",
        "destinations",
    ]
    for section in (present, entries, exits):
        assert list(section["composition"]) == COMPOSITION_KEYS
        for row in section["composition"].values():
            assert list(row) == ["households", "children", "adult_children", "reinforced_support"]
        assert list(section["legal_status"]) == STATUS_KEYS
        for row in section["legal_status"].values():
            assert list(row) == ["households", "persons"]
        assert list(section["age_bands"]) == AGE_KEYS
        for row in section["age_bands"].values():
            assert list(row) == ["persons", "adult_children"]
    for section in (present, entries):
        assert list(section["resources"]) == ["combinations", "by_type", "unknown"]
        assert list(section["resources"]["by_type"]) == RESOURCE_KEYS
        assert list(section["prior_situation"]) == PRIOR_KEYS
    assert list(present["length_of_stay"]) == ["bands", "mean_months"]
    assert list(present["length_of_stay"]["bands"]) == ["<6", "6-12", ">12"]
    assert list(exits["length_of_stay"]["bands"]) == ["<6", "6-12", "13-18", ">18"]
    assert list(exits["destinations"]) == DESTINATION_KEYS
    for row in exits["destinations"].values():
        assert list(row) == ["households", "lease_transferred", "reinforced_support"]
    assert report["previous"] == {
        "present": {"households": 1, "persons": 1},
        "entries": {"households": 1, "persons": 1},
        "exits": {"households": 0, "persons": 0},
    }
    assert list(report["missing"]) == [
        "sex",
        "birth_date",
        "legal_status",
        "resources",
        "prior_situation",
    ]
    assert report["checks"] and all(list(c) == ["name", "ok"] for c in report["checks"])
    assert all(c["ok"] for c in report["checks"])


def test_known_figures_of_a_small_operator(apremis):
    out, _ = run("--organisation", "apremis", "--start", "2023-11-01", "--end", "2024-10-31")
    report = json.loads(out)
    housing = report["housing"]
    # Lettable units: 2 rooms and the T3 (the shared flat itself is not let), plus the unit
    # of the household without programme.
    assert housing["captured"]["units"] == 1
    assert housing["returned"] == {
        "units": 1,
        "lease_transferred": 1,
        "by_typology": dict.fromkeys(TYPOLOGY_KEYS, 0) | {"T3": 1},
        "by_sector": {"nord": 1, "sud": 0, "unknown": 0},
    }
    assert housing["occupied_at_end"]["units"] == 2
    assert housing["vacant_at_end"]["by_typology"]["room"] == 1
    present = report["present"]
    assert (present["households"], present["persons"]) == (2, 2)
    assert present["composition"]["single_woman"]["households"] == 2
    assert present["legal_status"]["refugee"] == {"households": 1, "persons": 1}
    exits = report["exits"]
    assert (exits["households"], exits["persons"]) == (1, 3)
    assert exits["destinations"]["social_landlord"] == {
        "households": 1,
        "lease_transferred": 1,
        "reinforced_support": 1,
    }
    assert exits["composition"]["couple_with_children"]["households"] == 1
    entries = report["entries"]
    assert (entries["households"], entries["persons_at_entry"], entries["births"]) == (2, 3, 1)
    assert entries["persons"] == 4
    assert report["missing"]["prior_situation"] == 1


def test_programme_scope_keeps_only_its_stays_and_units(apremis):
    out, _ = run(
        "--organisation",
        "apremis",
        "--programme",
        "iml-r",
        "--start",
        "2023-11-01",
        "--end",
        "2024-10-31",
    )
    report = json.loads(out)
    assert report["scope"] == {"organisation": "apremis", "programmes": ["iml-r"]}
    assert report["present"]["households"] == 1
    assert report["entries"]["households"] == 1
    assert report["housing"]["occupied_at_end"]["units"] == 1
    assert report["housing"]["vacant_at_end"]["units"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2024-13-01", "--end", "2024-12-31"], "Date de début invalide"),
        (["--start", "2024-01-01", "--end", "31/12/2024"], "Date de fin invalide"),
        (["--start", "2024-12-31", "--end", "2024-01-01"], "est postérieure à la date de fin"),
        (
            ["--start", "2024-01-01", "--end", "2024-12-31", "--format", "pdf"],
            "indiquez où l'écrire avec --output",
        ),
        (
            ["--start", "2024-01-01", "--end", "2024-12-31", "--programme", "nulle-part"],
            "Dispositif inconnu dans l'organisation « apremis » : « nulle-part ».",
        ),
    ],
)
def test_errors_are_explained_in_french(apremis, args, message):
    assert message in refused("--organisation", "apremis", *args)


def test_an_unknown_organisation_is_refused(db):
    message = refused("--organisation", "inconnue", "--start", "2024-01-01", "--end", "2024-12-31")
    assert message == "Organisation inconnue : « inconnue »."


# ------------------------------------------------------------------ random database


def random_organisation(seed):
    """Random data written through the ORM; returns the organisation."""
    rng = random.Random(seed)
    org = OrganisationFactory(ref=f"hasard-{seed}")
    programmes = [ProgrammeFactory(organisation=org, ref=ref) for ref in ("p1", "p2")]
    sectors = [Sector.objects.create(organisation=org, ref=r, name=r) for r in ("a", "b")]

    def day(low=0, high=1400):
        return D(2021, 1, 1) + datetime.timedelta(rng.randint(low, high))

    units = []
    for _ in range(14):
        captured = day(0, 1200)
        parent = rng.choice(units) if units and rng.random() < 0.2 else None
        returned = captured + datetime.timedelta(rng.randint(0, 900))
        units.append(
            HousingUnitFactory(
                organisation=org,
                programme=rng.choice([*programmes, None]),
                typology=rng.choice(["room", "T1", "T2", "T5", "T6"]),
                sector=rng.choice([*sectors, None]),
                parent=parent,
                captured_on=captured,
                returned_on=returned if rng.random() < 0.3 else None,
            )
        )
    for _ in range(14):
        household = HouseholdFactory(
            organisation=org, prior_situation=rng.choice(["", "other", "own_housing"])
        )
        for role in rng.sample(["head", "partner", "child", "child", "other"], rng.randint(0, 4)):
            joined = day() if rng.random() < 0.3 else None
            person = PersonFactory(
                organisation=org,
                sex=rng.choice(["F", "M", "X", ""]),
                birth_date=rng.choice([None, D(2008, 2, 29), day(-9000, 1200)]),
            )
            MembershipFactory(
                household=household,
                person=person,
                role=role,
                joined_on=joined,
                joined_reason=rng.choice(["birth", "other"]) if joined else "",
                left_on=(joined or D(2021, 1, 1)) + datetime.timedelta(rng.randint(0, 900))
                if rng.random() < 0.2
                else None,
            )
            for since in {day() for _ in range(rng.randint(0, 2))}:
                LegalStatusRecordFactory(
                    person=person, since=since, status=rng.choice(["refugee", "other"])
                )
        for on in {day() for _ in range(rng.randint(0, 2))}:
            ResourceRecordFactory(
                household=household, on=on, types=rng.sample(["rsa", "salary", "none"], 2)
            )
        for _ in range(rng.randint(0, 3)):
            entered = day()
            exited = entered + datetime.timedelta(rng.randint(0, 700))
            stay = StayFactory(
                household=household,
                unit=rng.choice(units),
                programme=rng.choice([*programmes, None]),
                entered_on=entered,
                exited_on=exited if rng.random() < 0.6 else None,
                exit_destination=rng.choice(["", "shelter"]),
                lease_transferred=rng.random() < 0.3,
                support_intensity=rng.choice(["standard", "reinforced"]),
            )
            if rng.random() < 0.3:
                EvictionProcedure.objects.create(stay=stay, started_on=day(), ended_on=None)
    return org


def plain_facts_of(org, programme_refs):
    """Everything of the organisation, read object by object (no date filter at all)."""
    in_scope = set(programme_refs)

    def kept(programme):
        return not in_scope or (programme is not None and programme.ref in in_scope)

    units = [
        plain.Unit(
            u.pk,
            u.typology,
            u.sector.ref if u.sector else None,
            u.captured_on,
            u.returned_on,
            u.parent_id,
            kept(u.programme),
        )
        for u in HousingUnit.objects.filter(organisation=org)
    ]
    stays = [
        plain.Stay(
            s.pk,
            s.household_id,
            s.unit_id,
            s.entered_on,
            s.exited_on,
            s.exit_destination,
            s.lease_transferred,
            s.support_intensity == "reinforced",
            kept(s.programme),
        )
        for s in Stay.objects.filter(organisation=org)
    ]
    return plain.Facts(
        organisation=org.ref,
        programmes=sorted(in_scope),
        sectors=sorted(Sector.objects.filter(organisation=org).values_list("ref", flat=True)),
        units=units,
        stays=stays,
        households=[plain.Household(h.pk, h.prior_situation) for h in org.households.all()],
        members=[
            plain.Member(
                m.household_id,
                m.person_id,
                m.role,
                m.person.sex,
                m.person.birth_date,
                m.joined_on,
                m.joined_reason,
                m.left_on,
            )
            for m in Membership.objects.filter(household__organisation=org).order_by("id")
        ],
        legal_statuses=[
            plain.LegalStatusRecord(r.person_id, r.since, r.status)
            for r in LegalStatusRecord.objects.filter(person__organisation=org)
        ],
        resources=[
            plain.ResourceRecord(r.household_id, r.on, tuple(r.types))
            for r in ResourceRecord.objects.filter(household__organisation=org)
        ],
        evictions=[
            plain.EvictionProcedure(e.stay_id, e.started_on, e.ended_on)
            for e in EvictionProcedure.objects.filter(stay__organisation=org)
        ],
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("programmes", [[], ["p1"], ["p1", "p2"]])
def test_the_command_equals_the_reference_on_random_data(seed, programmes):
    org = random_organisation(seed)
    start, end = D(2022, 3, 1) + datetime.timedelta(seed * 100), D(2023, 2, 28)
    end += datetime.timedelta(seed * 100)
    args = ["--organisation", org.ref, "--start", start.isoformat(), "--end", end.isoformat()]
    for ref in programmes:
        args += ["--programme", ref]
    report = json.loads(run(*args)[0])
    expected = reference_report(plain_facts_of(org, programmes), start, end)
    assert expected["entries"]["households"] + expected["exits"]["households"] > 0
    # `orientation`, `tenancy`, `support` and `outcomes` are not in this reference: their own
    # tests check them (test_orientation_figures.py, test_tenancy_figures.py,
    # test_support_figures.py); `outcomes` against its own reference just below.
    left_out = ("checks", "orientation", "tenancy", "support", "outcomes")
    assert {k: v for k, v in report.items() if k not in left_out} == expected
    assert report["outcomes"] == outcomes_reference(org, programmes, start, end)
    assert all(c["ok"] for c in report["checks"])


def outcomes_reference(org, programmes, start, end):
    """The `outcomes` section by the brute-force reference of test_outcomes_figures, on
    every stay of the organisation (those of other programmes only as returns)."""
    from seuil.outcomes.rules import EntryFact, ExitFact, OutcomeFacts
    from tests.reports.test_outcomes_figures import reference

    stays = Stay.objects.filter(organisation=org).select_related("programme")
    facts = OutcomeFacts(
        exits=[
            ExitFact(
                s.pk,
                s.household_id,
                s.exited_on,
                s.exit_destination,
                s.lease_transferred,
                not programmes or (s.programme is not None and s.programme.ref in programmes),
            )
            for s in stays
            if s.exited_on is not None
        ],
        entries=[EntryFact(s.household_id, s.entered_on) for s in stays],
    )
    return reference(facts, start, end)
