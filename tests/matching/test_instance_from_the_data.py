"""The instance a run solves is read from the orientation data as EXCHANGE.md describes it:
each field of a household and of a unit checked against what a person would compute by hand
from the file, and what is left out (and why)."""

import datetime
from decimal import Decimal

import pytest

from seuil.core.enums import OrganisationKind, Role
from seuil.matching import adapters
from seuil.matching.models import TerritoryEmployment
from seuil.orientation import waiting
from seuil.orientation.models import Assessment
from seuil.orientation.services.proposals import answer_proposal, make_proposal
from seuil.orientation.services.vacancies import close_vacancy, declare_vacancy
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.factories import ProgrammeFactory
from tests.matching.scenario import admit, admit_household, scene, vacant
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


def born_years_ago(day, years):
    """The birth date of someone who turns `years` on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def build(s):
    return adapters.build_instance(s.coordinator, s.programme, today())


def households_of(instance):
    return {h["ref"]: h for h in instance["households"]}


def units_of(instance):
    return {u["ref"]: u for u in instance["units"]}


def refuse(s, vacancy, referral):
    """The household is offered the vacancy and refuses it (the vacancy stays open)."""
    proposal = make_proposal(
        vacancy,
        referral,
        proposed_on=today(),
        acting_user=s.coordinator,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )
    return answer_proposal(
        proposal,
        party="household",
        accepted=False,
        on=today(),
        reason="location",
        acting_user=s.coordinator,
    )


@pytest.fixture
def s(db):
    return scene()


def test_adults_and_children_are_counted_by_their_age_on_the_day(s):
    day = today()
    family = HouseholdFactory(organisation=s.siao)

    def member(first_name, role, *, sex="M", birth_date=None, **dates):
        person = PersonFactory(
            organisation=s.siao, first_name=first_name, sex=sex, birth_date=birth_date
        )
        MembershipFactory(household=family, person=person, role=role, **dates)

    member("Maryam", "head", sex="F", birth_date=datetime.date(1980, 5, 1))
    member("Omar", "partner", birth_date=None)  # unknown age: counted as an adult
    member("Yasmine", "child", sex="F", birth_date=born_years_ago(day, 18))  # 18 today
    member("Idriss", "child", birth_date=born_years_ago(day, 18) + DAY)  # 18 tomorrow
    member("Nour", "child", sex="F", birth_date=day - 400 * DAY)
    member("Karim", "other", birth_date=datetime.date(1960, 1, 1), left_on=day - 30 * DAY)
    referral = admit_household(s, "Maryam", family)
    vacant(s, "L-T5", typology="T5", rent=600)

    instance, _, left_out = build(s)

    maryam = households_of(instance)[referral.ref]
    # Maryam, Omar (no birth date) and Yasmine (18 today); Idriss (17) and Nour; Karim left.
    assert (maryam["adults"], maryam["children"]) == (3, 2)
    assert maryam["head_sex"] == "F"
    assert left_out == []


def test_the_head_gives_the_sex_of_the_household(s):
    father = admit(s, "Paul", adults=1, children=2, sex="M")
    unknown = admit(s, "Sam", adults=1, sex="")

    households = households_of(build(s)[0])

    assert households[father.ref]["head_sex"] == "M"
    assert households[father.ref]["children"] == 2
    assert households[unknown.ref]["head_sex"] is None


def test_the_rent_limit_is_the_bearable_rent_else_30_percent_of_resources_plus_benefit(s):
    given = admit(s, "Awa", bearable_rent=610, resources=2000, benefit=0)
    computed = admit(s, "Bilal", resources=915, benefit=130)
    # As if the bearable rent had never been written (an assessment from before it was
    # suggested): the instance computes it.
    Assessment.objects.filter(request=computed.request).update(bearable_rent=None)
    unknown = admit(s, "Chen", resources=None, benefit=None)
    Assessment.objects.filter(request=unknown.request).update(bearable_rent=None)

    instance, links, left_out = build(s)

    households = households_of(instance)
    assert households[given.ref]["max_rent"] == 610
    assert households[computed.ref]["max_rent"] == 405  # 30 % of 915 + 130 = 404.50, to the euro
    assert unknown.ref not in households
    assert {"kind": "household", "id": unknown.pk, "reason": "no_rent"} in left_out
    assert unknown.ref not in links["households"]


def test_wishes_keep_the_department_codes_in_the_households_order(s):
    referral = admit(s, "Awa", wishes=("80", "Grand Amiénois", "60", "2A", "Paris"))

    household = households_of(build(s)[0])[referral.ref]

    assert household["wishes"] == ["80", "60", "2A"]


def test_priority_and_waiting_are_those_of_the_waiting_list(s):
    # Default weights: 1 point per full month of waiting, "sans abri" 10, "monoparentale" 3.
    old = admit(
        s, "Awa", children=1, received_days_ago=200, criteria=("no_shelter", "single_parent")
    )
    new = admit(s, "Bilal", received_days_ago=45)
    day = today()

    households = households_of(build(s)[0])

    assert (households[old.ref]["waiting_days"], households[old.ref]["priority_points"]) == (
        200,
        6 + 10 + 3,
    )
    assert (households[new.ref]["waiting_days"], households[new.ref]["priority_points"]) == (45, 1)
    listed = {r.ref: b for _, r, b in waiting.ranking(s.programme.pk, s.siao.pk, day)[1]}
    for ref, household in households.items():
        assert household["waiting_days"] == listed[ref].waiting_days
        assert household["priority_points"] == listed[ref].total


def test_a_unit_the_household_refused_is_listed_as_refused_for_it_only(s):
    awa = admit(s, "Awa")
    bilal = admit(s, "Bilal")
    refused = vacant(s, "L1")
    other = vacant(s, "L2")
    refuse(s, refused, awa)

    instance, _, left_out = build(s)

    # The refusal leaves the vacancy open and free: it is still offered to the others.
    assert set(units_of(instance)) == {refused.ref, other.ref}
    households = households_of(instance)
    assert households[awa.ref]["refused_units"] == [refused.ref]
    assert households[bilal.ref]["refused_units"] == []
    assert left_out == []


def test_a_refusal_follows_the_unit_into_its_next_vacancy(s):
    awa = admit(s, "Awa")
    first = vacant(s, "L1")
    refuse(s, first, awa)
    close_vacancy(first, closed_on=today(), reason="other", acting_user=s.coordinator)
    manager = UserFactory(organisation=s.operator, role=Role.SERVICE_MANAGER)
    again = declare_vacancy(first.unit, opened_on=today(), acting_user=manager)

    instance, _, _ = build(s)

    assert list(units_of(instance)) == [again.ref]
    assert households_of(instance)[awa.ref]["refused_units"] == [again.ref]


def test_a_household_or_unit_with_a_proposal_in_progress_stays_out(s):
    awa = admit(s, "Awa")
    bilal = admit(s, "Bilal")
    held = vacant(s, "L1")
    free = vacant(s, "L2")
    make_proposal(
        held,
        awa,
        proposed_on=today(),
        acting_user=s.coordinator,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )

    instance, links, left_out = build(s)

    assert set(households_of(instance)) == {bilal.ref}
    assert set(units_of(instance)) == {free.ref}
    assert left_out == [{"kind": "household", "id": awa.pk, "reason": "open_proposal"}]
    assert set(links["units"]) == {free.ref}


def test_only_the_programmes_units_with_a_rent_are_matched(s):
    admit(s, "Awa")
    own = vacant(s, "L1")
    elsewhere = vacant(s, "L2", programme=ProgrammeFactory(organisation=s.operator, name="ALT"))
    no_rent = vacant(s, "L3", rent=None)

    instance, links, left_out = build(s)

    assert set(units_of(instance)) == {own.ref}
    assert elsewhere.ref not in links["units"]
    assert left_out == [{"kind": "unit", "id": no_rent.pk, "reason": "unit_no_rent"}]


def test_the_territory_of_a_unit_is_its_department(s):
    admit(s, "Awa")
    reunion = vacant(s, "L-974", commune="97411")
    corsica = vacant(s, "L-2A", commune="2A004")
    amiens = vacant(s, "L-80", commune="80021")
    s.operator.department = "62"
    s.operator.save()
    no_commune = vacant(s, "L-X", commune="")
    nowhere = OrganisationFactory(name="Association sans département", department="")
    lost = vacant(s, "L-0", commune="")
    lost.unit.organisation = nowhere
    lost.unit.save()

    instance, _, left_out = build(s)

    territories = {ref: unit["territory"] for ref, unit in units_of(instance).items()}
    assert territories == {
        reunion.ref: "974",
        corsica.ref: "2A",
        amiens.ref: "80",
        no_commune.ref: "62",  # the operator's department
    }
    assert left_out == [{"kind": "unit", "id": lost.pk, "reason": "unit_no_territory"}]


def test_territories_carry_the_employment_score_in_force_on_the_day(s):
    day = today()
    platform = OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM, department="")

    def rate(territory, score, days_from_today):
        TerritoryEmployment.objects.create(
            organisation=platform,
            territory=territory,
            employment_score=Decimal(score),
            effective_from=day + days_from_today * DAY,
        )

    rate("80", "0.300", -100)
    rate("80", "0.650", -10)  # the latest in force wins
    rate("80", "0.900", 1)  # not yet in force
    rate("60", "0.400", -5)
    rate("33", "0.800", -5)  # no unit there, nobody wishes it
    rate("974", "0.700", 3)  # not yet in force
    admit(s, "Awa", wishes=("80", "60"))
    vacant(s, "L-80")
    vacant(s, "L-974", commune="97411")

    instance, _, _ = build(s)

    assert instance["territories"] == [
        {"code": "60", "employment_score": 0.4},
        {"code": "80", "employment_score": 0.65},
    ]
