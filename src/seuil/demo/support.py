"""Support in the demo (called by `seuil.demo.load` last, so that the parts before it stay as
they were): the programmes' cap and targets, a contract for each stay of the last two years
with its amendments (a few signed late, a few ending within the month, one present household
still without one), objectives met and not, the referents, a change of intensity, the
contacts of the past months and the social worker's full week, with a joint visit of the
tenancy officer; the organisation's partners, referrals of households to them and the dated
path of each adult (employment, training, French level); the monthly reviews of the last six
months with the tenancy officer (a few households still to review this month); the
coordination cells of the last year and the steering committees, with their agenda and
minutes. Everything goes through the services, as a user would; its own seeded generators
leave the rest of the demo as it was."""

import datetime
import random

from seuil.core.enums import PartnerKind
from seuil.core.models import Partner, User
from seuil.core.organisation_services import save_partner
from seuil.housing.models import Programme, Stay
from seuil.support import rules
from seuil.support.enums import (
    ContactKind,
    EmploymentSituation,
    FrenchLevel,
    MissedReason,
    ObjectiveDomain,
    ObjectiveOutcome,
    ReferralPurpose,
    ReferralResult,
)
from seuil.support.models import MeetingKind
from seuil.support.services import (
    amend_contract,
    assign_referent,
    change_intensity,
    close_objective,
    record_contact,
    record_employment,
    record_french_level,
    record_meeting,
    record_referral_result,
    record_review,
    record_training,
    refer_to_partner,
    report_contact,
    set_objective,
    set_programme_support,
    sign_contract,
)

DAY = datetime.timedelta(days=1)
SEED = 1617
SETTINGS = {
    # programme: (max months, households per worker, weight of a reinforced one, N days,
    # annual budget of support: the ASG experiment's 5,000 € per household for ten)
    "iml-r": (18, 12, 1, 45, None),
    "asg": (None, 10, 2, 30, 50_000),
}
DOMAINS = {
    "iml-r": ["french", "employment", "administrative", "family_reunification", "housing"],
    "asg": ["budget", "housing", "health", "parenting", "training"],
}
OUTCOMES = [
    ObjectiveOutcome.ACHIEVED,
    ObjectiveOutcome.ACHIEVED,
    ObjectiveOutcome.PARTLY_ACHIEVED,
    ObjectiveOutcome.NOT_ACHIEVED,
    ObjectiveOutcome.ABANDONED,
]
# The social worker's week: (weekday, hour, kind); the joint visit is with the tenancy
# officer, the partner meeting at the CAF.
WEEK = [
    (0, 9, ContactKind.OFFICE_APPOINTMENT),
    (0, 14, ContactKind.HOME_VISIT),
    (1, 10, ContactKind.JOINT_HOME_VISIT),
    (1, 15, ContactKind.PHONE),
    (2, 9, ContactKind.OFFICE_APPOINTMENT),
    (2, 11, ContactKind.PARTNER_MEETING),
    (3, 10, ContactKind.HOME_VISIT),
    (3, 14, ContactKind.OFFICE_APPOINTMENT),
    (4, 9, ContactKind.PHONE),
    (4, 11, ContactKind.HOME_VISIT),
]


def write_support_demo(today, organisations):
    rng = random.Random(SEED)  # reproducible fake demo data (bandit B311)  # nosec B311
    operator = organisations["apremis"]
    users = {u.username: u for u in User.objects.filter(organisation=operator)}
    worker, manager, officer = (
        users["travailleur-social"],
        users["responsable"],
        users["regisseur"],
    )
    for programme in Programme.objects.filter(organisation=operator):
        months, target, weight, no_contact, budget = SETTINGS.get(
            programme.ref, (None, None, 1, 30, None)
        )
        set_programme_support(
            programme,
            max_support_months=months,
            households_per_worker=target,
            reinforced_weight=weight,
            no_contact_days=no_contact,
            annual_budget=budget,
            by=manager,
        )
    since = today - 730 * DAY
    stays = list(
        Stay.objects.filter(organisation=operator, entered_on__lte=today)
        .exclude(exited_on__lt=since)
        .select_related("household", "programme", "unit")
        .order_by("entered_on", "pk")
    )
    present = [s for s in stays if s.is_present_on(today)]
    without_contract = present[-1] if present else None
    for number, stay in enumerate(stays):
        if stay is not without_contract:
            _contract(rng, stay, today, worker, late=number % 7 == 3)
        _objectives(rng, stay, today, worker)
        _past_contacts(rng, stay, today, worker)
    for number, stay in enumerate(present):
        referent = manager if number % 5 == 4 else worker
        assign_referent(stay.household, referent, since=stay.entered_on, by=manager)
    if len(present) > 2:
        assign_referent(
            present[1].household, manager, since=today - 60 * DAY, by=manager, second=True
        )
        standard = next((s for s in present if s.support_intensity == "standard"), None)
        if standard is not None and (today - standard.entered_on).days > 90:
            change_intensity(standard, "reinforced", since=today - 30 * DAY, by=worker)
    _week(rng, present, today, worker, officer)
    # The parts added later draw from their own generator: the ones above stay as they were.
    rng = random.Random(SEED + 1)  # nosec B311
    partners = _partners(operator, manager)
    _referrals(rng, stays, today, worker, partners)
    _paths(rng, present, today, worker, partners)
    _reviews(rng, present, today, worker, officer)
    _meetings(rng, present, today, manager)


def _contract(rng, stay, today, worker, *, late):
    """Signed in the first month (late: after it), six months, amended every six months
    while the stay goes on, within the programme's cap."""
    signed = stay.entered_on + (rng.randint(35, 50) if late else rng.randint(3, 25)) * DAY
    if signed > today:
        return
    cap = stay.programme.max_support_months if stay.programme else None
    last = rules.last_possible_end(stay.entered_on, cap)
    end = rules.add_months(signed, 6) - DAY
    if last is not None:
        end = min(end, last)
    contract = sign_contract(stay, signed_on=signed, starts_on=signed, ends_on=end, by=worker)
    stop = stay.exited_on or today
    while end < stop and (last is None or end < last):
        signed_on = end - rng.randint(5, 20) * DAY
        if signed_on > today:
            break
        new_end = rules.add_months(end, 6)
        if last is not None:
            new_end = min(new_end, last)
        amend_contract(
            contract, signed_on=signed_on, ends_on=new_end, reason="objectifs en cours", by=worker
        )
        end = new_end


def _objectives(rng, stay, today, worker):
    domains = DOMAINS.get(stay.programme.ref if stay.programme else "", list(ObjectiveDomain))
    for domain in rng.sample(domains, rng.randint(1, 3)):
        set_on = stay.entered_on + rng.randint(5, 40) * DAY
        if set_on > today:
            continue
        objective = set_objective(
            stay.household,
            domain=domain,
            set_on=set_on,
            due_on=set_on + 180 * DAY,
            actions="Rendez-vous mensuel, démarches accompagnées.",
            by=worker,
        )
        closed_on = set_on + rng.randint(90, 400) * DAY
        end = stay.exited_on or today
        if closed_on <= min(end, today):
            close_objective(objective, closed_on=closed_on, outcome=rng.choice(OUTCOMES), by=worker)


def _past_contacts(rng, stay, today, worker):
    """About two contacts a month during the stay (and before this week), a few missed."""
    monday = today - today.weekday() * DAY
    day = stay.entered_on
    end = min(stay.exited_on or monday, monday)
    while day < end:
        kind = rng.choice(
            [ContactKind.OFFICE_APPOINTMENT, ContactKind.HOME_VISIT, ContactKind.PHONE]
        )
        if (day - stay.entered_on).days < 15:
            kind = ContactKind.JOINT_HOME_VISIT  # the joint visit at entry
        if rng.random() < 0.08:
            contact = record_contact(
                stay.household, on=day, kind=kind, planned=True, worker=worker, by=worker
            )
            report_contact(
                contact,
                done=False,
                on=day,
                reason=rng.choice(list(MissedReason)),
                by=worker,
            )
        else:
            record_contact(stay.household, on=day, kind=kind, worker=worker, by=worker)
        day += rng.randint(10, 25) * DAY


def _week(rng, present, today, worker, officer):
    """The social worker's week: done before today, planned from today on."""
    if not present:
        return
    monday = today - today.weekday() * DAY
    for number, (weekday, hour, kind) in enumerate(WEEK):
        day = monday + weekday * DAY
        stay = present[number % len(present)]
        record_contact(
            stay.household,
            on=day,
            at=datetime.time(hour, 0 if number % 2 else 30),
            kind=kind,
            planned=day >= today,
            worker=worker,
            tenancy_officer=officer if kind == ContactKind.JOINT_HOME_VISIT else None,
            interpreter=number % 3 == 0,
            by=worker,
        )


# ---- partners, referrals and the path of each adult -------------------------------------

PARTNERS = [
    # name, kind, commune (INSEE)
    ("CAF de la Somme", PartnerKind.CAF, "80021"),
    ("CPAM de la Somme", PartnerKind.CPAM, "80021"),
    ("PMI Amiens Nord", PartnerKind.PMI, "80021"),
    ("France Travail Amiens Montières", PartnerKind.FRANCE_TRAVAIL, "80021"),
    ("Maison départementale des solidarités d'Abbeville", PartnerKind.DEPARTMENT, "80001"),
    ("Collège Édouard Lucas", PartnerKind.SCHOOL, "80021"),
    ("AFPA Amiens", PartnerKind.TRAINING, "80021"),
    ("Alpha Somme, cours de français", PartnerKind.TRAINING, "80021"),
    ("Centre médico-psychologique d'Amiens", PartnerKind.HEALTH, "80021"),
]
# What a household is referred for, and to which kind of partner.
REFERRALS = [
    (ReferralPurpose.RIGHTS, PartnerKind.CAF),
    (ReferralPurpose.HEALTH, PartnerKind.CPAM),
    (ReferralPurpose.EMPLOYMENT, PartnerKind.FRANCE_TRAVAIL),
    (ReferralPurpose.FRENCH, PartnerKind.TRAINING),
    (ReferralPurpose.PARENTING, PartnerKind.PMI),
    (ReferralPurpose.BUDGET, PartnerKind.DEPARTMENT),
    (ReferralPurpose.SCHOOLING, PartnerKind.SCHOOL),
    (ReferralPurpose.HEALTH, PartnerKind.HEALTH),
]
RESULTS = [
    ReferralResult.DONE,
    ReferralResult.DONE,
    ReferralResult.DONE,
    ReferralResult.NO_FOLLOW_UP,
    ReferralResult.REFUSED,
]
TRAININGS = ["Agent de propreté", "Aide à domicile", "Cariste", "Commis de cuisine"]
# French levels, in order: an adult moves up one step a year, at most.
LEVELS = [FrenchLevel.A1, FrenchLevel.A2, FrenchLevel.B1, FrenchLevel.B2]


def _partners(operator, manager):
    """The operator's directory of partners: {kind: [partners]}."""
    by_kind = {}
    for name, kind, commune in PARTNERS:
        partner = Partner(organisation=operator, name=name, kind=kind, commune=commune)
        by_kind.setdefault(kind, []).append(save_partner(partner, by=manager))
    return by_kind


def _referrals(rng, stays, today, worker, partners):
    """One or two referrals per stay, in its first months; the result known a few weeks
    later, except for the most recent ones."""
    for stay in stays:
        for purpose, kind in rng.sample(REFERRALS, rng.randint(1, 2)):
            on = stay.entered_on + rng.randint(10, 120) * DAY
            if on > today or (stay.exited_on and on >= stay.exited_on):
                continue
            referral = refer_to_partner(
                stay.household,
                on=on,
                partner=partners[kind][0 if purpose != ReferralPurpose.FRENCH else -1],
                purpose=purpose,
                details="Premier rendez-vous pris avec le ménage.",
                by=worker,
            )
            result_on = on + rng.randint(15, 60) * DAY
            if result_on <= today:
                record_referral_result(
                    referral, result=rng.choice(RESULTS), result_on=result_on, by=worker
                )


def _adults(household, day):
    return [
        m.person
        for m in household.memberships.select_related("person").order_by("pk")
        if m.is_member_on(day) and m.person.is_adult_on(day)
    ]


def _paths(rng, present, today, worker, partners):
    """Each adult of the households present: the employment situation at entry and, for
    some, a job found since; the French level assessed at entry and again each year; a
    vocational training for a few."""
    training_bodies = partners[PartnerKind.TRAINING]
    for stay in present:
        household, entered = stay.household, stay.entered_on
        for number, person in enumerate(_adults(household, today)):
            record_employment(
                household,
                person,
                since=entered,
                situation=rng.choice(
                    [EmploymentSituation.JOB_SEEKER, EmploymentSituation.NOT_AVAILABLE]
                ),
                by=worker,
            )
            level = rng.randrange(2)
            assessed = entered + rng.randint(5, 30) * DAY
            while assessed <= today and level < len(LEVELS):
                record_french_level(
                    household,
                    person,
                    assessed_on=assessed,
                    level=LEVELS[level],
                    assessed_by="Alpha Somme" if number == 0 else "OFII",
                    by=worker,
                )
                level += rng.randint(0, 1)
                assessed += 365 * DAY
            months = (today - entered).days // 30
            if months >= 6 and rng.random() < 0.5:
                starts = entered + rng.randint(60, 30 * months - 30) * DAY
                ends = starts + rng.randint(60, 200) * DAY
                record_training(
                    household,
                    person,
                    name=rng.choice(TRAININGS),
                    body=training_bodies[0],
                    starts_on=starts,
                    ends_on=ends if ends <= today + 90 * DAY else None,
                    by=worker,
                )
                hired = ends + rng.randint(10, 40) * DAY
                if hired <= today and rng.random() < 0.6:
                    record_employment(
                        household,
                        person,
                        since=hired,
                        situation=rng.choice(
                            [
                                EmploymentSituation.FIXED_TERM,
                                EmploymentSituation.INTEGRATION,
                                EmploymentSituation.PERMANENT,
                            ]
                        ),
                        employer="Entreprise d'insertion de la Somme",
                        by=worker,
                    )


# ---- monthly reviews and meetings --------------------------------------------------------

REVIEW_TEXTS = {
    "housing": ["Logement bien entretenu.", "Petite réparation signalée au bailleur."],
    "budget": ["Loyer payé à l'échéance.", "Retard d'un mois, échéancier proposé."],
    "objectives": ["Démarches en cours.", "Objectif emploi avancé : inscription faite."],
    "risks": ["Aucun risque relevé.", "Isolement à surveiller."],
    "next_steps": ["Visite conjointe le mois prochain.", "Rendez-vous CAF à préparer."],
}


def _reviews(rng, present, today, worker, officer):
    """The monthly review of each household present, over the last six months while it was
    there; this month's for two households out of three (the others still to do)."""
    first = today.replace(day=1)
    for number, stay in enumerate(present):
        for months_ago in range(6, -1, -1):
            month = rules.add_months(first, -months_ago)
            held_on = month + rng.randint(4, 20) * DAY
            if months_ago == 0 and (number % 3 == 2 or held_on > today):
                continue
            if held_on < stay.entered_on or held_on > today:
                continue
            record_review(
                stay.household,
                held_on=held_on,
                worker=worker,
                tenancy_officer=officer,
                **{name: rng.choice(texts) for name, texts in REVIEW_TEXTS.items()},
                by=worker,
            )


def _meetings(rng, present, today, manager):
    """A coordination cell every six weeks over the last year and a steering committee
    every six months, each with a few households on its agenda and its minutes."""
    day, cells = today - 364 * DAY, []
    while day <= today:
        cells.append(day)
        day += 42 * DAY
    committees = [today - 330 * DAY, today - 150 * DAY]
    meetings = [(MeetingKind.COORDINATION_CELL, d) for d in cells]
    meetings += [(MeetingKind.STEERING_COMMITTEE, d) for d in committees]
    for kind, held_on in sorted(meetings, key=lambda m: m[1]):
        there = [s.household for s in present if s.entered_on <= held_on]
        cell = kind == MeetingKind.COORDINATION_CELL
        record_meeting(
            kind=kind,
            held_on=held_on,
            participants=(
                "Camille Dewailly, travailleuse sociale\nThomas Vasseur, régisseur\n"
                "Nadia Benkhelifa, responsable de service"
                + ("" if cell else "\nDDETS de la Somme\nSIAO de la Somme\nOPAC de la Somme")
            ),
            households=rng.sample(there, min(len(there), 3)) if cell else [],
            agenda="" if cell else "Bilan du semestre ; taux d'occupation ; budget.",
            minutes=(
                "Situations examinées une à une ; prochaines étapes convenues."
                if cell
                else "Bilan présenté et validé ; orientations du semestre suivant."
            ),
            by=manager,
        )
