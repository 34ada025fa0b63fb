"""A small SIAO scene for the matching in the application: one SIAO and its coordinator,
one operator's IML programme, households admitted to it through the orientation services,
vacant units of the programme."""

import datetime
from dataclasses import dataclass, field

from seuil.core.enums import OrganisationKind, Role
from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.requests import record_assessment, record_request
from seuil.orientation.services.vacancies import declare_vacancy
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)


@dataclass
class Scene:
    siao: object
    coordinator: object
    operator: object
    programme: object
    referrals: dict = field(default_factory=dict)  # name → referral
    vacancies: dict = field(default_factory=dict)  # name → vacancy


def scene():
    siao = OrganisationFactory(kind=OrganisationKind.SIAO, name="SIAO de la Somme", department="80")
    operator = OrganisationFactory(name="Association Accueil", department="80")
    return Scene(
        siao=siao,
        coordinator=UserFactory(organisation=siao, role=Role.SIAO_COORDINATOR),
        operator=operator,
        programme=ProgrammeFactory(organisation=operator, name="IML Somme"),
    )


def household(scene, name, *, adults=1, children=0, sex="F", organisation=None):
    household = HouseholdFactory(organisation=organisation or scene.siao)
    for index in range(adults + children):
        born = datetime.date(1985, 1, 1) if index < adults else today() - 5 * 365 * DAY
        person = PersonFactory(
            organisation=household.organisation,
            first_name=f"{name}{index or ''}",
            last_name="Test",
            sex=sex if index == 0 else "M",
            birth_date=born,
        )
        MembershipFactory(
            household=household, person=person, role="head" if index == 0 else "child"
        )
    return household


def admit(scene, name, *, adults=1, children=0, sex="F", **options):
    """A household of the SIAO, assessed and admitted to the programme; returns its referral.
    `options`: those of `admit_household`."""
    h = household(scene, name, adults=adults, children=children, sex=sex)
    return admit_household(scene, name, h, **options)


def admit_household(
    scene,
    name,
    h,
    *,
    received_days_ago=200,
    wishes=("80",),
    bearable_rent=None,
    resources=900,
    benefit=250,
    criteria=(),
    accessible=False,
    accepts_shared=False,
):
    """`admit` for a household built by the caller (members of any age or none)."""
    received_on = today() - received_days_ago * DAY
    request = record_request(
        h,
        siao=scene.siao,
        received_on=received_on,
        origin="shelter",
        acting_user=scene.coordinator,
    )
    record_assessment(
        request,
        acting_user=scene.coordinator,
        assessed_on=received_on,
        support_level="standard",
        wished_territories=list(wishes),
        needs_accessible=accessible,
        accepts_shared=accepts_shared,
        monthly_resources=resources,
        housing_benefit=benefit,
        bearable_rent=bearable_rent,
        priority_criteria=list(criteria),
    )
    meeting = schedule_meeting(scene.siao, held_on=received_on + DAY, acting_user=scene.coordinator)
    add_to_agenda(meeting, [request], acting_user=scene.coordinator)
    decision = decide(
        meeting,
        request,
        outcome="admitted",
        programme=scene.programme,
        acting_user=scene.coordinator,
    )
    scene.referrals[name] = decision.referral
    return decision.referral


def vacant(
    scene,
    name,
    *,
    typology="T2",
    rent=400,
    charges=50,
    commune="80021",
    accessible=False,
    programme=None,
):
    """A unit of the programme, declared vacant today by the operator."""
    unit = HousingUnitFactory(
        organisation=scene.operator,
        programme=programme or scene.programme,
        ref=name,
        typology=typology,
        rent=rent,
        charges=charges,
        commune=commune,
        accessible=accessible,
    )
    manager = UserFactory(organisation=scene.operator, role=Role.SERVICE_MANAGER)
    vacancy = declare_vacancy(unit, opened_on=today(), acting_user=manager)
    scene.vacancies[name] = vacancy
    return vacancy
