"""National mobility, step by step: the writes on a household's mobility path.

The path walks `enums.PATH` (information on territories → choice → three-way meeting(s)
→ proposal → acceptance → move → arrival → 12 months of support → handover), each step
through `core.transitions.transition` (dated, with who did it, refused in French when the
table `MOBILITY_TRANSITIONS` forbids it). Each step is done by one party
(`STEP_PARTIES`): the national platform up to the proposal, the departure shelter for the
acceptance and the move, the arrival operator from the arrival on. The household's file
travels from the departure shelter to the arrival operator before the move, with the
household's agreement, the parts transmitted listed, and its receipt acknowledged.

Decision (issue 17, roles): a departure shelter (CADA, HUDA, CAO…) is an organisation of
kind `operator` — the associations that run shelters in Île-de-France are operators like
the arrival ones, and one association may be both — and its part in a path is a property
of the file (`MobilityFile.departure`), not a kind of organisation: no new kind, no new
column in the policy; its social workers and managers act with the operator roles.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seuil.core.audit import audited_save
from seuil.core.enums import OrganisationKind
from seuil.core.history import snapshot
from seuil.core.plausibility import check_event_date
from seuil.core.refs import new_ref
from seuil.core.transitions import start, transition
from seuil.households.models import Consent, Membership

from . import rules
from .enums import PATH, STEP_PARTIES, MobilityParty, MobilityStatus, TransmittedPart
from .figures import mobility_outcome_facts as load_mobility_facts
from .models import MobilityFile, MobilityTransition, ThreeWayMeeting

S = MobilityStatus


def parties(file, user):
    return file.party_of(getattr(user, "organisation_id", None))


def may_do(file, user, to):
    return bool(STEP_PARTIES.get(to, set()) & parties(file, user))


def next_steps(file, user):
    """The steps `user` may take the file to now, in path order."""
    allowed = file.state_machine.table.get(file.status, set())
    order = [*PATH, S.ABANDONED]
    return [s for s in order if s in allowed and may_do(file, user, s)]


def _check_day(on, file):
    message = check_event_date(on, timezone.localdate())
    if message:
        raise ValidationError(message[0].upper() + message[1:] + ".")
    last = file.transitions.order_by("-on").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise ValidationError(
            f"Une étape ne peut être datée avant la précédente (le {last:%d/%m/%Y})."
        )


def consents_to(household, platform, day):
    return (
        Consent.objects.valid_on(day)
        .filter(household=household, recipient=platform, scope="mobility_file")
        .exists()
    )


@transaction.atomic
def open_file(household, *, platform, departure, on, by):
    """Ouvrir le parcours de mobilité d'un ménage qui y a consenti (étape « information »)."""
    if platform.kind != OrganisationKind.NATIONAL_PLATFORM:
        raise ValidationError("Seule la plateforme nationale ouvre un parcours de mobilité.")
    if departure.kind != OrganisationKind.OPERATOR:
        raise ValidationError("La structure de départ est un opérateur (CADA, HUDA, CAO…).")
    if not consents_to(household, platform, on):
        raise ValidationError(
            "Le ménage n'a pas donné de consentement valide au dossier de mobilité nationale "
            "pour la plateforme."
        )
    if (
        MobilityFile.objects.filter(household=household)
        .exclude(status__in=(S.HANDOVER, S.ABANDONED))
        .exists()
    ):
        raise ValidationError("Ce ménage a déjà un parcours de mobilité en cours.")
    file = MobilityFile(
        ref=new_ref(MobilityFile),
        household=household,
        platform=platform,
        departure=departure,
        departure_department=departure.department or "",
        opened_on=on,
    )
    return start(file, on=on, by=by)


# The fields each step sets (from the step's form or the API), and those it needs.
STEP_FIELDS = {
    S.CHOICE: ("arrival_department", "arrival_commune"),
    S.PROPOSAL: ("arrival", "arrival_commune"),
    S.MOVE: ("travel_booked_on", "stepping_stone_until"),
    S.ARRIVAL: ("stepping_stone_until",),
}
REQUIRED = {S.CHOICE: ("arrival_department",), S.PROPOSAL: ("arrival",)}


@transaction.atomic
def advance(file, to, *, on, by, comment="", **values):
    """Faire passer le parcours à l'étape `to`, datée `on`, par `by`."""
    file = MobilityFile.objects.select_for_update().get(pk=file.pk)
    if not may_do(file, by, to):
        raise ValidationError(
            f"Cette étape (« {S(to).label} ») revient à une autre partie du parcours."
        )
    file.state_machine.check(file.status, to)
    _check_day(on, file)
    changes = {name: values.get(name) for name in STEP_FIELDS.get(to, ()) if name in values}
    for name in REQUIRED.get(to, ()):
        if not changes.get(name):
            label = MobilityFile._meta.get_field(name).verbose_name
            raise ValidationError(f"Cette étape demande : {label}.")
    if to == S.PROPOSAL and changes["arrival"].kind != OrganisationKind.OPERATOR:
        raise ValidationError("L'opérateur d'arrivée est un opérateur.")
    if to == S.MOVE:
        if file.file_sent_on is None:
            raise ValidationError(
                "Le dossier du ménage n'a pas encore été transmis à l'opérateur d'arrivée."
            )
        changes["moved_on"] = on
    if to == S.ARRIVAL:
        changes["welcomed_on"] = on
    return transition(file, to, on=on, by=by, comment=comment, changes=changes)


# ---------------------------------------------------------------- three-way meetings


def _may_meet(file, user):
    return bool({MobilityParty.PLATFORM, MobilityParty.DEPARTURE} & parties(file, user))


@transaction.atomic
def plan_meeting(file, *, planned_on, interpreter_language="", by):
    """Planifier une rencontre à trois (structure de départ, opérateur d'arrivée, ménage)."""
    file = MobilityFile.objects.get(pk=file.pk)
    if not _may_meet(file, by):
        raise ValidationError("La plateforme ou la structure de départ planifie les rencontres.")
    if file.status not in (S.CHOICE, S.MEETING, S.PROPOSAL):
        raise ValidationError("Une rencontre à trois se tient après le choix du territoire.")
    meeting = ThreeWayMeeting(
        file=file,
        planned_on=planned_on,
        interpreter_language=interpreter_language,
        recorded_by=by,
    )
    return audited_save(meeting, None, by=by, household=file.household)


@transaction.atomic
def record_meeting(meeting, *, held_on, outcome, by):
    """Enregistrer la rencontre tenue et son issue ; la première fait passer le parcours à
    l'étape « rencontre à trois »."""
    file = MobilityFile.objects.get(pk=meeting.file_id)
    if not _may_meet(file, by):
        raise ValidationError("La plateforme ou la structure de départ enregistre les rencontres.")
    before = snapshot(meeting)
    meeting.held_on = held_on
    meeting.outcome = outcome
    audited_save(meeting, before, by=by, household=file.household)
    if file.status == S.CHOICE and MobilityParty.PLATFORM in parties(file, by):
        advance(file, S.MEETING, on=held_on, by=by, comment="Rencontre à trois tenue.")
    return meeting


# ---------------------------------------------------------------- the handover file


@transaction.atomic
def send_file(file, *, on, parts, household_agreed, by):
    """La structure de départ transmet le dossier à l'opérateur d'arrivée, avec l'accord du
    ménage ; les parties transmises sont listées."""
    file = MobilityFile.objects.select_for_update().get(pk=file.pk)
    if MobilityParty.DEPARTURE not in parties(file, by):
        raise ValidationError("La structure de départ transmet le dossier.")
    if file.arrival_id is None or file.status not in (S.PROPOSAL, S.ACCEPTANCE):
        raise ValidationError("Le dossier part vers l'opérateur d'arrivée après la proposition.")
    if not household_agreed:
        raise ValidationError("Le dossier ne part qu'avec l'accord du ménage.")
    unknown = set(parts) - set(TransmittedPart.values)
    if not parts or unknown:
        raise ValidationError("Indiquez ce qui est transmis.")
    before = snapshot(file)
    file.file_sent_on = on
    file.transmitted = [p for p in TransmittedPart.values if p in parts]
    return audited_save(file, before, by=by, household=file.household)


@transaction.atomic
def acknowledge_file(file, *, on, by):
    """L'opérateur d'arrivée accuse réception du dossier."""
    file = MobilityFile.objects.select_for_update().get(pk=file.pk)
    if MobilityParty.ARRIVAL not in parties(file, by):
        raise ValidationError("L'opérateur d'arrivée accuse réception du dossier.")
    if file.file_sent_on is None or on < file.file_sent_on:
        raise ValidationError("La réception suit l'envoi du dossier.")
    before = snapshot(file)
    file.file_received_on = on
    return audited_save(file, before, by=by, household=file.household)


# ---------------------------------------------------------------- the platform's dashboard


@dataclass
class Dashboard:
    by_step: list  # (status label, count)
    by_departure: list  # (département, count)
    by_arrival: list  # (département, count)
    by_commune: list  # (commune, count)
    delays: list  # (from label, to label, files, mean days)
    moved_households: int
    moved_persons: int
    arrival_departments: int
    arrival_communes: int
    outcomes: list  # MobilityOutcome of each milestone (6, 12, 24 months)


@dataclass
class MobilityOutcome:
    """What became of the households moved, at one milestone after the end of their stay
    at the arrival operator (`rules.cohort`, `rules.survey_figures`)."""

    months: int
    cohort: int  # stays whose milestone day has come
    followed_up: int
    housed: int
    not_housed: int
    in_territory: int
    employed: int
    returned: int


def mobility_outcomes(files, day):
    """The survey's figures of the households `files` moved, at each milestone: every stay
    of theirs at the arrival operator that ended to housing and whose milestone day fell
    on or before `day` (DOMAIN.md §4 item 8, the window and the follow-up that counts)."""
    facts = load_mobility_facts(files, day)
    return [
        MobilityOutcome(
            window.months,
            **rules.survey_figures(rules.cohort(facts, datetime.date.min, day, window)),
        )
        for window in rules.MILESTONES
    ]


def moved_persons(files, day):
    """The persons of the households `files` moved, members on `day`."""
    moved = [f.household_id for f in files if f.moved_on is not None]
    return Membership.objects.on(day).filter(household__in=moved).count()


def dashboard(files, day=None):
    """Households at each step, by département of departure and arrival and by commune,
    the mean delay between consecutive steps, the households and persons moved, and what
    became of them after their exit (`mobility_outcomes`)."""
    day = day or timezone.localdate()
    files = list(files)
    steps = Counter(f.status for f in files)
    by_step = [(s.label, steps.get(s.value, 0)) for s in [*PATH, S.ABANDONED]]
    departure = Counter(f.departure_department or "?" for f in files)
    arrival = Counter(f.arrival_department for f in files if f.arrival_department)
    communes = Counter(f.arrival_commune for f in files if f.arrival_commune)
    delays = {}
    log = MobilityTransition.objects.filter(file__in=[f.pk for f in files]).order_by(
        "file", "on", "at", "id"
    )
    previous = {}
    for row in log:
        before = previous.get(row.file_id)
        if before is not None and row.to_status != before.to_status:
            key = (before.to_status, row.to_status)
            delays.setdefault(key, []).append((row.on - before.on).days)
        previous[row.file_id] = row
    labels = dict(S.choices)
    moved = [f for f in files if f.moved_on is not None]
    return Dashboard(
        by_step=by_step,
        by_departure=sorted(departure.items()),
        by_arrival=sorted(arrival.items()),
        by_commune=sorted(communes.items()),
        delays=[
            (labels[a], labels[b], len(days), round(sum(days) / len(days), 1))
            for (a, b), days in sorted(
                delays.items(), key=lambda item: [*PATH, S.ABANDONED].index(item[0][1])
            )
        ],
        moved_households=len(moved),
        moved_persons=moved_persons(moved, day),
        arrival_departments=len({f.arrival_department for f in moved if f.arrival_department}),
        arrival_communes=len({f.arrival_commune for f in moved if f.arrival_commune}),
        outcomes=mobility_outcomes(moved, day),
    )
