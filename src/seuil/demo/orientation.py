"""Orientation in the demo (called by `seuil.demo.load` once the stock and households are
written): requests at every stage, one commission held with its decisions and one to come,
the IML waiting list, the vacancies of the vacant units, a refused proposal and an open one
awaiting the landlord's answer. Everything goes through the services, as a user would."""

import datetime

from seuil.core.models import User
from seuil.core.refs import seeded_ref
from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.models import HousingUnit, Programme
from seuil.orientation.models import PriorityWeights, Referral, Vacancy, default_weights
from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.proposals import answer_proposal, make_proposal
from seuil.orientation.services.requests import record_assessment, record_request
from seuil.orientation.services.vacancies import sync_vacancies

DAY = datetime.timedelta(days=1)

# Households whose file the SIAO holds: (ref, first name, last name, sex, stage).
SIAO_HOUSEHOLDS = [
    ("S01", "Fereshta", "Noori", "F", "received"),
    ("S02", "Yonas", "Haile", "M", "on_agenda"),
    ("S03", "Mariam", "Abakar", "F", "refused"),
    ("S04", "Oumar", "Sow", "M", "postponed"),
]
# Assessment of each waiting household of the operator: criteria, resources, benefit.
WAITING = [
    (["shelter_exit", "young_child"], 1150, 310),
    (["shelter_exit"], 950, 260),
    (["hosted"], 1400, 180),
]


def _users():
    names = ["coordinatrice-siao", "evaluateur-siao", "responsable"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _assess(request, user, on, criteria=(), resources=900, benefit=250, typologies=("T2", "T3")):
    return record_assessment(
        request,
        acting_user=user,
        assessed_on=on,
        support_level="standard",
        needs=["rights", "french", "employment"],
        wished_territories=["80", "Grand Amiénois"],
        wished_typologies=list(typologies),
        employment_profile="training",
        languages="dari, anglais",
        monthly_resources=resources,
        housing_benefit=benefit,
        priority_criteria=list(criteria),
    )


def _siao_household(siao, ref, first_name, last_name, sex, joined):
    household = Household.objects.create(
        organisation=siao, ref=seeded_ref(Household, ref), prior_situation="specialised_shelter"
    )
    person = Person.objects.create(
        organisation=siao,
        ref=seeded_ref(Person, ref),
        first_name=first_name,
        last_name=last_name,
        sex=sex,
        birth_date=datetime.date(1990, 3, 14),
    )
    Membership.objects.create(household=household, person=person, role="head")
    LegalStatusRecord.objects.create(person=person, since=joined - 200 * DAY, status="refugee")
    ResourceRecord.objects.create(household=household, on=joined, types=["rsa"])
    return household


def write_orientation_demo(today, organisations):
    siao, operator = organisations["siao80"], organisations["apremis"]
    users = _users()
    coordinator = users["coordinatrice-siao"]
    evaluator = users.get("evaluateur-siao", coordinator)
    manager = users.get("responsable")
    iml = Programme.objects.get(organisation=operator, ref="iml-r")

    # The SIAO's weights: the defaults, then (six months ago) more weight to shelter exits.
    defaults = default_weights()
    for months_ago, shelter_exit in ((14, defaults.criterion_points["shelter_exit"]), (6, 8)):
        PriorityWeights.objects.create(
            siao=siao,
            effective_from=today - months_ago * 30 * DAY,
            points_per_month=defaults.points_per_month,
            max_waiting_points=defaults.max_waiting_points,
            criterion_points=defaults.criterion_points | {"shelter_exit": shelter_exit},
            set_by=coordinator,
        )

    held_on, next_on = today - 35 * DAY, today + 3 * DAY
    meeting = schedule_meeting(
        siao,
        held_on=held_on,
        members_present="Amandine Froment, coordinatrice (SIAO de la Somme)\n"
        "Julien Lecomte, évaluateur (SIAO de la Somme)\n"
        "Nadia Benkhelifa, responsable de service (APREMIS)",
        acting_user=coordinator,
    )
    upcoming = schedule_meeting(siao, held_on=next_on, acting_user=coordinator)

    # The operator's households waiting for a home: admitted to IML Réfugiés.
    waiting = Household.objects.filter(organisation=operator, stays__isnull=True).order_by("ref")
    for number, (household, (criteria, resources, benefit)) in enumerate(
        zip(waiting, WAITING, strict=False)
    ):
        request = record_request(
            household,
            siao=siao,
            received_on=today - (140 - 25 * number) * DAY,
            origin="shelter",
            prescriber="CADA d'Amiens",
            acting_user=evaluator,
        )
        _assess(request, evaluator, held_on - 10 * DAY, criteria, resources, benefit)
        add_to_agenda(meeting, [request], acting_user=coordinator)
        decide(meeting, request, outcome="admitted", programme=iml, acting_user=coordinator)

    # Households the SIAO follows, at the other stages.
    for ref, first_name, last_name, sex, stage in SIAO_HOUSEHOLDS:
        received_on = today - {"received": 5, "on_agenda": 20}.get(stage, 60) * DAY
        household = _siao_household(siao, ref, first_name, last_name, sex, received_on)
        request = record_request(
            household,
            siao=siao,
            received_on=received_on,
            origin="shelter" if stage != "received" else "social_service",
            prescriber="HUDA de Montdidier" if stage != "received" else "CCAS d'Abbeville",
            acting_user=evaluator,
        )
        if stage == "received":
            continue
        _assess(request, evaluator, received_on + 8 * DAY, ("hosted",))
        target = upcoming if stage == "on_agenda" else meeting
        add_to_agenda(target, [request], acting_user=coordinator)
        if stage == "refused":
            decide(
                meeting,
                request,
                outcome="refused",
                refusal_reason="already_housed",
                comment="Le ménage a obtenu un logement social en attribution directe.",
                acting_user=coordinator,
            )
        elif stage == "postponed":
            decide(
                meeting,
                request,
                outcome="postponed",
                comment="Attendre l'ouverture des droits CAF.",
                acting_user=coordinator,
            )

    # Vacancies of the units vacant today, a refused proposal and an open one.
    sync_vacancies(today)
    referrals = list(Referral.objects.filter(programme=iml).order_by("request__received_on"))
    unit = HousingUnit.objects.filter(organisation=operator, ref="L19").first()
    vacancy = Vacancy.objects.filter(unit=unit, closed_on__isnull=True).first()
    if vacancy is None or len(referrals) < 2:
        return
    proposer = manager or coordinator
    refused = make_proposal(
        vacancy,
        referrals[1],
        proposed_on=max(vacancy.opened_on, today - 20 * DAY),
        acting_user=proposer,
        skip_reason="Le T2 est à Amiens-Nord, près de l'école où les enfants sont inscrits.",
    )
    answer_proposal(
        refused,
        party="household",
        accepted=False,
        reason="location",
        comment="Souhaite rester près de l'école des enfants, à Amiens-Nord.",
        on=refused.proposed_on + 3 * DAY,
        acting_user=proposer,
    )
    current = make_proposal(
        vacancy, referrals[0], proposed_on=today - 2 * DAY, acting_user=proposer
    )
    answer_proposal(current, party="household", accepted=True, on=today - DAY, acting_user=proposer)
