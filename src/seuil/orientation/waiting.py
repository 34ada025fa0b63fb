"""Waiting lists: the households admitted to a programme and not yet housed, in the order of
the referring SIAO's priority (`priority.py`), as of any day.

Positions are computed, never stored, from what was true on the day asked: the referrals
waiting that day (`Referral.objects.waiting_on(day)`), the assessment then in force (its
priority criteria) and the SIAO's weights then in force. "How it moved" compares with the
same computation on an earlier day (30 days before, unless the user picks another). A
proposal does not take a household off the list: a refused, expired or withdrawn proposal
leaves it where the formula puts it; an entry or a withdrawal of the request does.

One list per (programme, SIAO): each SIAO orders the households it referred with its own
weights. Positions count every household of the list, also those the user does not see.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from seuil.core.policy import Action, allows
from seuil.core.wording import plural
from seuil.households.models import Membership
from seuil.housing.models import Programme

from . import priority
from .enums import OPEN_PROPOSAL_STATUSES
from .models import PriorityWeights, Proposal, Referral

COMPARE_DAYS = 30


@dataclass
class Entry:
    position: int
    referral: Referral
    breakdown: priority.Breakdown
    previous_position: int | None  # None: not on the list on the day compared
    open_proposal: Proposal | None = None

    @property
    def places_gained(self):
        if self.previous_position is None:
            return None
        return self.previous_position - self.position

    @property
    def movement(self):
        """How the position moved since the day compared, in words (never by colour)."""
        gained = self.places_gained
        if gained is None:
            return "Nouveau sur la liste"
        if gained == 0:
            return "Inchangée"
        verb = "Gagne" if gained > 0 else "Perd"
        return f"{verb} {plural(abs(gained), 'place')}"


@dataclass
class WaitingList:
    programme: Programme
    siao: object
    day: datetime.date
    compared_on: datetime.date
    weights: priority.Weights
    entries: list = field(default_factory=list)
    size: int = 0  # households on the whole list (the user may see fewer)


def _with_file(referrals):
    return referrals.select_related("request", "household", "programme", "siao").prefetch_related(
        "request__assessments",
        Prefetch("household__memberships", queryset=Membership.objects.select_related("person")),
    )


def ranking(programme_id, siao_id, day):
    """(weights, [(position, referral, breakdown)]) of the whole list on `day`, unscoped."""
    referrals = list(
        _with_file(
            Referral.objects.waiting_on(day).filter(programme_id=programme_id, siao_id=siao_id)
        )
    )
    weights = PriorityWeights.weights_on(siao_id, day)
    by_key = {referral.pk: referral for referral in referrals}
    candidates = []
    for referral in referrals:
        assessment = referral.request.assessment_on(day)
        candidates.append(
            priority.Candidate(
                key=referral.pk,
                ref=referral.request.ref,
                received_on=referral.request.received_on,
                criteria=tuple(assessment.priority_criteria) if assessment else (),
            )
        )
    ranked = priority.rank(candidates, weights, day)
    return weights, [(position, by_key[c.key], points) for position, c, points in ranked]


def positions_on(programme_id, siao_id, day):
    """{referral id: position} on `day`."""
    return {
        referral.pk: position for position, referral, _ in ranking(programme_id, siao_id, day)[1]
    }


def waiting_lists(user, programme, day, compared_on=None):
    """The waiting lists of `programme` on `day` that `user` sees (one per SIAO), with each
    household's breakdown and its position on `compared_on` (default: 30 days before)."""
    compared_on = compared_on or day - datetime.timedelta(days=COMPARE_DAYS)
    visible = Referral.objects.visible_to(user).filter(programme=programme)
    visible_ids = set(visible.waiting_on(day).values_list("pk", flat=True))
    siao_ids = sorted(set(visible.waiting_on(day).values_list("siao_id", flat=True)))
    lists = []
    for siao_id in siao_ids:
        weights, ranked = ranking(programme.pk, siao_id, day)
        before = positions_on(programme.pk, siao_id, compared_on)
        shown = [(p, r, b) for p, r, b in ranked if r.pk in visible_ids]
        proposals = {
            proposal.referral_id: proposal
            for proposal in Proposal.objects.filter(
                referral__in=[r for _, r, _ in shown], status__in=OPEN_PROPOSAL_STATUSES
            ).select_related("vacancy__unit")
        }
        entries = [Entry(p, r, b, before.get(r.pk), proposals.get(r.pk)) for p, r, b in shown]
        siao = entries[0].referral.siao if entries else None
        lists.append(
            WaitingList(
                programme=programme,
                siao=siao,
                day=day,
                compared_on=compared_on,
                weights=weights,
                entries=entries,
                size=len(ranked),
            )
        )
    return lists


def position_of(referral, day):
    """The position of a waiting referral on `day` (None when not on the list that day)."""
    return positions_on(referral.programme_id, referral.siao_id, day).get(referral.pk)


def programmes_with_lists(user):
    """Programmes whose waiting lists `user` may open: its organisation's, and those it
    refers households to."""
    if not allows(user, Action.VIEW_WAITING_LISTS):
        return Programme.objects.none()
    referred = Referral.objects.visible_to(user).values("programme_id")
    return Programme.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(pk__in=referred)
    ).select_related("organisation")
