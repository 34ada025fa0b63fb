"""Matching in the demo (called by `seuil.demo.load` after orientation): the platform's
employment ratings per département, and a national mobility programme whose vacant units
lie in three départements, with households of the operator admitted to it that consented to
share their mobility file with the platform. The SIAO coordinator can then match the IML
list or the mobility list; the platform, the mobility list across départements."""

import datetime

from seuil.core.models import User
from seuil.core.refs import seeded_ref
from seuil.households.models import (
    Consent,
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.models import HousingUnit, Programme
from seuil.matching.models import TerritoryEmployment
from seuil.orientation.models import CommissionMeeting
from seuil.orientation.services.commission import add_to_agenda, decide
from seuil.orientation.services.requests import record_assessment, record_request
from seuil.orientation.services.vacancies import declare_vacancy

DAY = datetime.timedelta(days=1)
SOURCE = "Démonstration : d'après les taux de retour à l'emploi par département"
EMPLOYMENT = {"02": 0.41, "59": 0.58, "60": 0.63, "76": 0.55, "80": 0.52, "35": 0.71}
# Units of the mobility programme: ref, typology, commune (INSEE), rent, charges.
MOBILITY_UNITS = [
    ("MOB-01", "T2", "80021", 390, 50),
    ("MOB-02", "T3", "60057", 470, 70),
    ("MOB-03", "T4", "02691", 520, 90),
    ("MOB-04", "T1", "60175", 310, 40),
    ("MOB-05", "T3", "80001", 450, 60),
]
# Households: ref, head (first name, last name, sex), adults, children, wishes, resources,
# housing benefit, days since the request (assessed a week later, admitted at the SIAO's
# last commission).
MOBILITY_HOUSEHOLDS = [
    ("MN1", ("Samir", "Haidari", "M"), 2, 2, ["60", "80"], 1300, 380, 210),
    ("MN2", ("Helen", "Tesfaye", "F"), 1, 1, ["80"], 950, 290, 160),
    ("MN3", ("Abdullah", "Rahimi", "M"), 1, 0, [], 780, 180, 120),
    ("MN4", ("Nour", "Al Khatib", "F"), 2, 3, ["02", "60"], 1450, 460, 300),
    ("MN5", ("Dawit", "Gebre", "M"), 1, 0, ["60"], 850, 200, 90),
]


def _household(operator, ref, head, adults, children, on):
    household = Household.objects.create(
        organisation=operator,
        ref=seeded_ref(Household, ref),
        prior_situation="specialised_shelter",
    )
    first_name, last_name, sex = head
    for number in range(adults + children):
        is_head, is_child = number == 0, number >= adults
        person = Person.objects.create(
            organisation=operator,
            ref=seeded_ref(Person, f"{ref}-{number + 1}"),
            first_name=first_name if is_head else f"{first_name[0]}. ({number + 1})",
            last_name=last_name,
            sex=sex if is_head else ("F" if number % 2 else "M"),
            birth_date=on - (3000 if is_child else 12000 + 400 * number) * DAY,
        )
        role = "head" if is_head else ("child" if is_child else "partner")
        Membership.objects.create(household=household, person=person, role=role)
        LegalStatusRecord.objects.create(person=person, since=on - 200 * DAY, status="refugee")
    ResourceRecord.objects.create(household=household, on=on, types=["rsa"])
    return household


def write_matching_demo(today, organisations):
    operator, siao = organisations["apremis"], organisations["siao80"]
    platform = organisations["plateforme-nationale"]
    users = {u.username: u for u in User.objects.filter(organisation__in=organisations.values())}
    coordinator, manager = users["coordinatrice-siao"], users.get("responsable")
    TerritoryEmployment.objects.bulk_create(
        TerritoryEmployment(
            organisation=platform,
            territory=code,
            employment_score=score,
            effective_from=today - 60 * DAY,
            source=SOURCE,
            set_by=users.get("plateforme"),
        )
        for code, score in EMPLOYMENT.items()
    )
    mobility = Programme.objects.create(
        organisation=operator, ref="mobilite", name="Mobilité nationale", kind="mobility"
    )
    for ref, typology, commune, rent, charges in MOBILITY_UNITS:
        unit = HousingUnit.objects.create(
            organisation=operator,
            ref=ref,
            programme=mobility,
            typology=typology,
            commune=commune,
            rent=rent,
            charges=charges,
            captured_on=today - 90 * DAY,
        )
        declare_vacancy(unit, opened_on=today - 10 * DAY, acting_user=manager)
    meeting = CommissionMeeting.objects.filter(siao=siao, held_on__lt=today).latest("held_on")
    for ref, head, adults, children, wishes, resources, benefit, days in MOBILITY_HOUSEHOLDS:
        received_on = today - days * DAY
        household = _household(operator, ref, head, adults, children, received_on)
        request = record_request(
            household,
            siao=siao,
            received_on=received_on,
            origin="shelter",
            prescriber="Centre d'hébergement d'urgence de Paris 19e",
            acting_user=coordinator,
        )
        record_assessment(
            request,
            acting_user=coordinator,
            assessed_on=received_on + 7 * DAY,
            support_level="standard",
            needs=["rights", "employment"],
            wished_territories=wishes,
            employment_profile="job_seeker",
            monthly_resources=resources,
            housing_benefit=benefit,
            priority_criteria=["shelter_exit"] if days > 200 else [],
            job_territory="60" if ref == "MN1" else "",
        )
        add_to_agenda(meeting, [request], acting_user=coordinator)
        decide(meeting, request, outcome="admitted", programme=mobility, acting_user=coordinator)
        Consent.objects.create(
            household=household,
            scope="mobility_file",
            recipient=platform,
            given_on=received_on,
            expires_on=received_on + 365 * DAY,
            recorded_by=manager,
            comment="Consentement écrit pour le dossier de mobilité nationale.",
        )
