import datetime
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import Organisation, User
from seuil.demo.households import contact_details_of
from seuil.demo.load import load_demo
from seuil.demo.organisations import DEMO_PASSWORD, DEMO_USERS
from seuil.demo.plan import check_plan, plan_demo
from seuil.households.models import (
    ContactDetails,
    Household,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing import invariants
from seuil.housing.models import EvictionProcedure, HousingUnit, Landlord, Stay
from tests.conftest import TODAY, examples


@pytest.fixture
def loaded(demo_loaded):
    """The demo of TODAY (written once per run, copied into the test's database)."""


def operator():
    return Organisation.objects.get(ref="apremis")


def test_demo_creates_the_organisations_of_the_chain(loaded):
    kinds = dict(Organisation.objects.values_list("ref", "kind"))
    assert kinds == {
        "apremis": OrganisationKind.OPERATOR,
        "siao80": OrganisationKind.SIAO,
        "opac80": OrganisationKind.LANDLORD,
        "ddets80": OrganisationKind.STATE,
        "plateforme-nationale": OrganisationKind.NATIONAL_PLATFORM,
        # The shelter in Île-de-France the national mobility paths leave from.
        "cada94": OrganisationKind.OPERATOR,
    }
    assert Organisation.objects.get(ref="ddets80").name == "DDETS de la Somme"
    assert Organisation.objects.get(ref="siao80").department == "80"


def test_demo_creates_one_user_per_role_in_the_right_organisation(loaded):
    users = list(User.objects.select_related("organisation"))
    # One per role, and the departure shelter's social worker.
    assert sorted(u.role for u in users) == sorted([*Role.values, Role.SOCIAL_WORKER])
    expected_kind = {
        Role.SOCIAL_WORKER: "operator",
        Role.TENANCY_OFFICER: "operator",
        Role.SERVICE_MANAGER: "operator",
        Role.PSYCHOLOGIST: "operator",
        Role.ADMINISTRATOR: "operator",
        Role.SIAO_EVALUATOR: "siao",
        Role.SIAO_COORDINATOR: "siao",
        Role.LANDLORD: "landlord",
        Role.STATE: "state",
        Role.NATIONAL_PLATFORM: "national_platform",
    }
    for user in users:
        assert user.organisation.kind == expected_kind[user.role], user.username
        assert user.check_password(DEMO_PASSWORD)


def test_demo_password_passes_the_password_validators(loaded):
    for user in User.objects.all():
        validate_password(DEMO_PASSWORD, user)


def test_the_landlord_user_sees_the_units_of_its_organisation(loaded):
    landlord_user = User.objects.get(role=Role.LANDLORD)
    opac = Landlord.objects.get(organisation=operator(), ref="opac80")
    assert opac.name == "OPAC de la Somme"
    assert opac.account == landlord_user.organisation
    visible = HousingUnit.objects.visible_to(landlord_user)
    assert visible.count() == HousingUnit.objects.filter(landlord=opac).count() > 5


def test_demo_has_about_twenty_units_and_sixty_households_over_five_years(loaded):
    org = operator()
    units = HousingUnit.objects.filter(organisation=org).exclude(programme__kind="mobility")
    assert 18 <= units.count() <= 24
    assert 50 <= Household.objects.filter(organisation=org).count() <= 70
    first_entry = Stay.objects.filter(organisation=org).earliest("entered_on").entered_on
    assert (TODAY - first_entry).days > 4 * 365
    assert set(org.programmes.values_list("ref", flat=True)) == {"iml-r", "asg", "mobilite"}
    assert set(org.sectors.values_list("ref", flat=True)) == {
        "grand-amienois",
        "abbevillois",
        "santerre-haute-somme",
    }


def test_no_two_stays_overlap_in_a_unit_or_for_a_household(loaded):
    stays = list(Stay.objects.all())
    by_unit = [(s.unit_id, s.entered_on, s.exited_on, s.ref) for s in stays]
    by_household = [(s.household_id, s.entered_on, s.exited_on, s.ref) for s in stays]
    assert invariants.find_overlaps(by_unit) == []
    assert invariants.find_overlaps(by_household) == []
    for a in stays:
        for b in stays:
            if a.pk < b.pk and a.unit_id == b.unit_id:
                assert not invariants.intervals_overlap(
                    a.entered_on, a.exited_on, b.entered_on, b.exited_on
                )


def test_stays_lie_within_the_stock_dates_and_exit_after_entry(loaded):
    for stay in Stay.objects.select_related("unit"):
        unit = stay.unit
        assert not unit.rooms.exists(), "nobody lives in a whole shared flat"
        assert stay.entered_on >= unit.captured_on
        assert stay.entered_on <= TODAY
        if unit.returned_on:
            assert stay.exited_on is not None and stay.exited_on <= unit.returned_on
        if stay.exited_on:
            assert stay.exited_on > stay.entered_on
            assert stay.exited_on <= TODAY
            assert stay.exit_destination
            months = (stay.exited_on - stay.entered_on).days / 30.4375
            assert 6 <= months <= 24.5
        assert stay.programme_id == unit.programme_id


def test_memberships_and_dated_facts_are_consistent(loaded):
    for membership in Membership.objects.select_related("household", "person"):
        stay = membership.household.stays.first()
        if membership.left_on and membership.joined_on:
            assert membership.left_on >= membership.joined_on
        if membership.joined_on:
            assert stay is not None and stay.entered_on < membership.joined_on <= TODAY
        if membership.left_on:
            assert stay.entered_on < membership.left_on <= TODAY
    for person in Person.objects.all():
        assert person.legal_status_records.exists()
        assert person.birth_date <= TODAY
    for household in Household.objects.all():
        assert household.head_on(None) is not None
        assert household.resource_records.exists()
    assert not ResourceRecord.objects.filter(types=[]).exists()


def test_demo_tells_the_stories_of_the_field(loaded):
    org = operator()
    memberships = Membership.objects.filter(household__organisation=org)
    assert memberships.filter(joined_reason="birth").count() >= 2
    assert memberships.filter(joined_reason="family_reunification").count() >= 2
    assert memberships.filter(left_on__isnull=False).exists()
    asylum_then_protected = (
        Person.objects.filter(legal_status_records__status="asylum_seeker")
        .filter(legal_status_records__status__in=["refugee", "subsidiary_protection"])
        .distinct()
    )
    assert asylum_then_protected.count() >= 5
    resource_types = {t for r in ResourceRecord.objects.all() for t in r.types}
    assert {"asylum_allowance", "rsa", "salary", "activity_bonus"} <= resource_types
    changing = [h for h in Household.objects.all() if h.resource_records.count() >= 3]
    assert len(changing) >= 5
    stays = Stay.objects.filter(organisation=org)
    assert stays.filter(lease_transferred=True).count() >= 3
    assert stays.filter(support_intensity="reinforced").exists()
    destinations = set(stays.exclude(exited_on=None).values_list("exit_destination", flat=True))
    assert {"social_landlord", "private_landlord", "other_programme"} <= destinations
    assert EvictionProcedure.objects.filter(stay__organisation=org).count() == 1


def test_demo_has_a_shared_flat_split_into_three_rooms(loaded):
    flat = HousingUnit.objects.get(organisation=operator(), ref="L08")
    assert flat.rooms.count() == 3
    assert set(flat.rooms.values_list("typology", flat=True)) == {"room"}
    assert Stay.objects.filter(unit__parent=flat).count() >= 3


def test_demo_has_returned_units_present_households_and_vacant_units_today(loaded):
    units = HousingUnit.objects.filter(organisation=operator())
    assert units.returned().count() >= 4
    assert units.filter(returned_on__isnull=False, stays__lease_transferred=True).exists()
    assert units.vacant_on(TODAY).count() >= 2
    assert units.occupied_on(TODAY).count() >= 8
    assert Household.objects.present_on(TODAY).count() >= 8


def test_demo_names_carry_accents_and_apostrophes(loaded):
    names = {p.full_name for p in Person.objects.all()}
    for name in ("Aïcha N'Diaye", "Maryam Al-Hassan", "Tesfaye Gebremedhin", "Éléonore Lefèvre"):
        assert name in names


def test_loading_the_demo_twice_adds_nothing(loaded):
    models = [Organisation, User, HousingUnit, Household, Person, Membership, Stay]
    counts = {m: m.objects.count() for m in models}
    assert load_demo(today=TODAY) is None
    assert {m: m.objects.count() for m in models} == counts


def test_the_demo_is_the_same_for_the_same_day_and_seed():
    first, second = plan_demo(TODAY), plan_demo(TODAY)
    assert first.households == second.households
    assert first.units == second.units


def check_the_plan_of(day):
    planner = plan_demo(day)
    assert check_plan(planner) == []
    present = [h for h in planner.households if h["stay"] and h["stay"]["exited_on"] is None]
    assert len(present) >= 8


@pytest.mark.parametrize("day", [datetime.date(2024, 2, 29), datetime.date(2026, 1, 1), TODAY])
def test_the_plan_keeps_every_invariant_whatever_the_day(day):
    check_the_plan_of(day)


@settings(max_examples=examples(40), deadline=None)
@given(st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2040, 12, 31)))
def test_the_plan_keeps_every_invariant_on_any_day(day):
    check_the_plan_of(day)


def test_demo_command_prints_the_logins_and_the_password(db):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "Démonstration chargée" in text
    assert "Identifiant" in text and "Mot de passe" in text
    assert DEMO_PASSWORD in text
    for username, *_ in DEMO_USERS:
        assert username in text
    assert "DDETS de la Somme" in text
    assert "Régisseur·euse social·e" in text
    assert "Seuil est prêt" not in text

    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "déjà chargée" in again.getvalue()
    assert User.objects.count() == len(DEMO_USERS) == len(Role.values) + 1


def test_demo_adults_have_contact_details_and_languages_the_same_every_time(loaded):
    records = list(ContactDetails.objects.filter(person__organisation=operator()))
    assert len(records) > 40
    assert sum(bool(r.phones) for r in records) > len(records) // 2
    assert any(r.email.endswith("@example.org") for r in records)
    assert any(r.postal_address for r in records)
    assert all(r.languages for r in records)
    assert any(r.interpreter_needed for r in records) and not all(
        r.interpreter_needed for r in records
    )
    assert all(r.phone_digits.strip() for r in records if r.phones)  # found by a search
    assert all(r.since <= TODAY for r in records)
    # Children have none.
    for record in records:
        born = record.person.birth_date
        assert born is None or (TODAY - born).days >= 18 * 365
    # The same demo, the same details.
    drawn, again = (drawn_contact_details(plan_demo(TODAY)) for _ in range(2))
    assert drawn == again
    assert len([d for d in drawn if d]) == len(records)


def drawn_contact_details(plan):
    """The contact details the demo draws for each person of `plan`, in the plan's order."""
    members = [(h, m) for h in plan.households for m in h["members"]]
    return [contact_details_of(plan, h, m, number) for number, (h, m) in enumerate(members, 1)]
