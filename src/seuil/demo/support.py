"""Support in the demo (called by `seuil.demo.load` last, so that the parts before it stay as
they were): the programmes' cap and targets, a contract for each stay of the last two years
with its amendments (a few signed late, a few ending within the month, one present household
still without one), objectives met and not, the referents, a change of intensity, the
contacts of the past months and the social worker's full week, with a joint visit of the
tenancy officer. Everything goes through the services, as a user would; its own seeded
generator leaves the rest of the demo as it was."""

import datetime
import random

from seuil.core.models import User
from seuil.housing.models import Programme, Stay
from seuil.support import rules
from seuil.support.enums import ContactKind, MissedReason, ObjectiveDomain, ObjectiveOutcome
from seuil.support.services import (
    amend_contract,
    assign_referent,
    change_intensity,
    close_objective,
    record_contact,
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
