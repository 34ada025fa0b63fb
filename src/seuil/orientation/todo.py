"""Orientation's part of « Mes tâches » (providers registered in `OrientationConfig.ready`):
what each role has to do today, read off the data, nothing stored.

- the landlord: answer the proposals for its units;
- the organisation holding a household's file: record the household's answer;
- the SIAO: follow the proposals of the households it referred, assess the requests it
  received, hold its commissions and record their decisions;
- those who make proposals: find a household for a unit vacant too long.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from seuil.core.policy import Action, Scope, allows
from seuil.core.wording import plural
from seuil.notifications.registry import Todo

from .enums import DECIDABLE_STATUSES, Answer, ProposalStatus, RequestStatus
from .models import AgendaItem, CommissionMeeting, Proposal, Request
from .notices import long_vacancies
from .vacancies import figures_of

DAY = datetime.timedelta(days=1)
PROPOSALS, REQUESTS, COMMISSION, VACANCIES = (
    "Propositions",
    "Demandes",
    "Commission",
    "Vacances",
)
MEETINGS_AHEAD_DAYS = 7


def _proposal_todo(proposal, title, detail=""):
    return Todo(
        title=title,
        url=reverse("orientation:proposal_detail", args=[proposal.uuid]),
        due_on=proposal.expires_on,
        category=PROPOSALS,
        detail=detail or "Sans réponse ce jour-là, la proposition expire le lendemain.",
    )


def proposals(user, today):
    """The proposals awaiting this user's side: the landlord's answer, the household's
    (recorded by the organisation holding its file), or the SIAO's follow-up."""
    if not allows(user, Action.VIEW_PROPOSALS):
        return []
    open_ones = (
        Proposal.objects.visible_to(user, Action.VIEW_PROPOSALS)
        .filter(status=ProposalStatus.PROPOSED)
        .select_related("vacancy__unit", "referral__household")
        .order_by("expires_on", "ref")
    )
    todos = []
    if allows(user, Action.ANSWER_PROPOSAL, Scope.REFERRED):
        for p in open_ones.filter(landlord_answer=Answer.PENDING):
            todos.append(
                _proposal_todo(
                    p, f"Répondre à la proposition {p.ref} (logement {p.vacancy.unit.ref})"
                )
            )
        return todos
    organisation = user.organisation_id
    answering = allows(user, Action.ANSWER_PROPOSAL, Scope.OWN)
    for p in open_ones.filter(
        Q(referral__household__organisation=organisation) | Q(referral__siao=organisation)
    ):
        household = p.referral.household
        if (
            answering
            and household.organisation_id == organisation
            and (p.household_answer == Answer.PENDING)
        ):
            todos.append(
                _proposal_todo(
                    p,
                    f"Recueillir la réponse du ménage {household.ref} à la proposition {p.ref} "
                    f"(logement {p.vacancy.unit.ref})",
                )
            )
        elif p.referral.siao_id == organisation:
            waiting = [
                who
                for who, answer in (
                    ("du ménage", p.household_answer),
                    ("du bailleur", p.landlord_answer),
                )
                if answer == Answer.PENDING
            ]
            todos.append(
                _proposal_todo(
                    p,
                    f"Suivre la proposition {p.ref} (logement {p.vacancy.unit.ref}, ménage "
                    f"{household.ref})",
                    detail="En attente de la réponse " + " et ".join(waiting) + ".",
                )
            )
    return todos


def requests_to_assess(user, today):
    """The requests received by the user's SIAO and not yet assessed."""
    if not allows(user, Action.ASSESS, Scope.OWN):
        return []
    delay = settings.SEUIL_ASSESSMENT_DELAY_DAYS * DAY
    received = (
        Request.objects.filter(siao=user.organisation_id, status=RequestStatus.RECEIVED)
        .select_related("household")
        .order_by("received_on", "ref")
    )
    return [
        Todo(
            title=f"Évaluer la demande {r.ref} (ménage {r.household.ref})",
            url=reverse("orientation:assess", args=[r.uuid]),
            due_on=r.received_on + delay,
            category=REQUESTS,
            detail=f"Reçue le {r.received_on:%d/%m/%Y}.",
        )
        for r in received
    ]


def commissions(user, today):
    """The SIAO's commissions of the coming days (their agenda), and, for those who hold
    them, the past ones whose decisions are still to record."""
    if not allows(user, Action.ASSESS, Scope.OWN):
        return []
    meetings = CommissionMeeting.objects.filter(siao=user.organisation_id)
    todos = []
    upcoming = (
        meetings.filter(held_on__gte=today, held_on__lte=today + MEETINGS_AHEAD_DAYS * DAY)
        .annotate(requests=Count("agenda_items"))
        .order_by("held_on")
    )
    for meeting in upcoming:
        count = meeting.requests
        todos.append(
            Todo(
                title=f"Commission d'orientation du {meeting.held_on:%d/%m/%Y} : {count} "
                f"demande{'s' if count > 1 else ''} à l'ordre du jour",
                url=reverse("orientation:meeting_detail", args=[meeting.uuid]),
                due_on=meeting.held_on,
                category=COMMISSION,
            )
        )
    if allows(user, Action.DECIDE_REFERRAL, Scope.OWN):
        todos += _decisions_to_record(meetings, today)
    return todos


def _decisions_to_record(meetings, today):
    """Past meetings with requests on their agenda, still undecided and on no later
    meeting's agenda."""
    later = AgendaItem.objects.filter(
        request_id=OuterRef("request_id"), meeting__held_on__gt=OuterRef("meeting__held_on")
    )
    items = (
        AgendaItem.objects.filter(
            meeting__in=meetings.filter(held_on__lt=today),
            request__status__in=DECIDABLE_STATUSES,
        )
        .exclude(request__decisions__meeting=F("meeting"))
        .exclude(Exists(later))
        .select_related("meeting")
    )
    pending = {}
    for item in items:
        pending[item.meeting] = pending.get(item.meeting, 0) + 1
    return [
        Todo(
            title=f"Enregistrer les décisions de la commission du {meeting.held_on:%d/%m/%Y} "
            f"({count} demande{'s' if count > 1 else ''} sans décision)",
            url=reverse("orientation:meeting_detail", args=[meeting.uuid]),
            due_on=meeting.held_on,
            category=COMMISSION,
        )
        for meeting, count in sorted(pending.items(), key=lambda item: item[0].held_on)
    ]


def vacancies(user, today):
    """The vacancies open too long without a proposal, for those who make proposals."""
    if not allows(user, Action.MAKE_PROPOSAL, Scope.OWN):
        return []
    alert = settings.SEUIL_VACANCY_ALERT_DAYS * DAY
    visible = long_vacancies(today).visible_to(user, Action.VIEW_UNITS)
    return [
        Todo(
            title=f"Proposer un ménage pour le logement {f.vacancy.unit.ref} (vacant depuis "
            f"{plural(f.days, 'jour')})",
            url=reverse("orientation:vacancy_detail", args=[f.vacancy.uuid]),
            due_on=f.vacancy.opened_on + alert,
            category=VACANCIES,
        )
        for f in figures_of(visible.select_related("unit").order_by("opened_on", "ref"), today)
    ]
