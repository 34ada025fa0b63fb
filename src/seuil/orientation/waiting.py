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

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from seuil.core.policy import Action, allows
from seuil.core.wording import plural
from seuil.households.models import Membership
from seuil.housing.models import Programme

from . import priority
from .enums import OPEN_PROPOSAL_STATUSES
from .models import Assessment, PriorityWeights, Proposal, Referral

COMPARE_DAYS = 30
PAGE_SIZE = 50  # households per page of a waiting list
CHUNK = 500  # households an export reads (and logs) at a time


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
    page: object = None  # the page of `entries` (a Django `Page`) when the list is paginated


def _with_file(referrals):
    return referrals.select_related("request", "household", "programme", "siao").prefetch_related(
        "request__assessments",
        Prefetch("household__memberships", queryset=Membership.objects.select_related("person")),
    )


def _candidates(programme_id, siao_id, day):
    """The `priority.Candidate` of each referral on the list on `day` (key: its id), in two
    queries reading a few columns: the referrals, then the assessments of their requests
    up to `day` (the last one is in force)."""
    waiting = Referral.objects.waiting_on(day).filter(programme_id=programme_id, siao_id=siao_id)
    rows = list(
        waiting.order_by().values_list("pk", "request_id", "request__ref", "request__received_on")
    )
    criteria = {}
    assessments = (
        Assessment.objects.filter(
            request_id__in=waiting.order_by().values("request_id"), assessed_on__lte=day
        )
        .order_by("request_id", "assessed_on", "pk")
        .values_list("request_id", "priority_criteria")
    )
    for request_id, codes in assessments:
        criteria[request_id] = tuple(codes or ())
    return [
        priority.Candidate(
            key=pk, ref=ref, received_on=received_on, criteria=criteria.get(request_id, ())
        )
        for pk, request_id, ref, received_on in rows
    ]


def ranked_ids(programme_id, siao_id, day):
    """(weights, [(position, referral id, breakdown)]) of the whole list on `day`, unscoped,
    without loading the referrals themselves."""
    weights = PriorityWeights.weights_on(siao_id, day)
    ranked = priority.rank(_candidates(programme_id, siao_id, day), weights, day)
    return weights, [(position, c.key, points) for position, c, points in ranked]


def ranking(programme_id, siao_id, day):
    """(weights, [(position, referral, breakdown)]) of the whole list on `day`, unscoped,
    each referral with its file loaded."""
    weights, ranked = ranked_ids(programme_id, siao_id, day)
    referrals = Referral.objects.waiting_on(day).filter(programme_id=programme_id, siao_id=siao_id)
    by_pk = {referral.pk: referral for referral in _with_file(referrals)}
    return weights, [(position, by_pk[pk], points) for position, pk, points in ranked]


def positions_on(programme_id, siao_id, day):
    """{referral id: position} on `day`."""
    return {pk: position for position, pk, _ in ranked_ids(programme_id, siao_id, day)[1]}


def _ranked_lists(user, programme, day, compared_on):
    """For each SIAO list of `programme` on `day` that `user` sees: (siao id, weights,
    [(position, referral id, breakdown)] of the households the user sees, {referral id:
    position on `compared_on`}, households on the whole list), from a few columns."""
    visible = Referral.objects.visible_to(user).filter(programme=programme).waiting_on(day)
    visible_ids = set(visible.values_list("pk", flat=True))
    siao_ids = sorted(set(visible.values_list("siao_id", flat=True)))
    for siao_id in siao_ids:
        weights, ranked = ranked_ids(programme.pk, siao_id, day)
        before = positions_on(programme.pk, siao_id, compared_on)
        shown = [(p, pk, b) for p, pk, b in ranked if pk in visible_ids]
        yield siao_id, weights, shown, before, len(ranked)


def _with_names(referrals):
    """What an export reads of each referral: its request, programme, SIAO, household and
    members (not the assessments `_with_file` adds for the pages)."""
    return referrals.select_related("request", "household", "programme", "siao").prefetch_related(
        Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))
    )


def _entries(shown, before, referrals, files=_with_file):
    """The `Entry` of each (position, referral id, breakdown) of `shown`, from `referrals`
    (a queryset holding them), their files (`files`) and open proposals loaded in a few
    queries."""
    loaded = {referral.pk: referral for referral in files(referrals)}
    proposals = {
        proposal.referral_id: proposal
        for proposal in Proposal.objects.filter(
            referral__in=referrals.order_by().values("pk"), status__in=OPEN_PROPOSAL_STATUSES
        ).select_related("vacancy__unit")
    }
    return [Entry(p, loaded[pk], b, before.get(pk), proposals.get(pk)) for p, pk, b in shown]


def waiting_lists(user, programme, day, compared_on=None, page=None):
    """The waiting lists of `programme` on `day` that `user` sees (one per SIAO), with each
    household's breakdown and its position on `compared_on` (default: 30 days before).

    `page` (a page number, as the request gives it): only that page of each list
    (`PAGE_SIZE` households, `WaitingList.page`) is loaded, its households' files included;
    the positions still count the whole list. None: every household the user sees."""
    compared_on = compared_on or day - datetime.timedelta(days=COMPARE_DAYS)
    lists = []
    for siao_id, weights, shown, before, size in _ranked_lists(user, programme, day, compared_on):
        listed = Referral.objects.waiting_on(day).filter(programme=programme, siao_id=siao_id)
        page_obj = None
        if page is not None:
            page_obj = Paginator(shown, PAGE_SIZE).get_page(page)
            shown = list(page_obj.object_list)
            listed = Referral.objects.filter(pk__in=[pk for _, pk, _ in shown])
        entries = _entries(shown, before, listed)
        lists.append(
            WaitingList(
                programme=programme,
                siao=entries[0].referral.siao if entries else None,
                day=day,
                compared_on=compared_on,
                weights=weights,
                entries=entries,
                size=size,
                page=page_obj,
            )
        )
    return lists


def entries_in_chunks(user, day):
    """Every household `user` sees on a waiting list on `day`, list by list (programme, then
    SIAO) in the order of priority, as lists of at most `CHUNK` `Entry`: an export holds one
    chunk in memory at a time, each list ranked once."""
    size = CHUNK
    compared_on = day - datetime.timedelta(days=COMPARE_DAYS)
    for programme in programmes_with_lists(user).order_by("name", "pk"):
        for _, _, shown, before, _ in _ranked_lists(user, programme, day, compared_on):
            for start in range(0, len(shown), size):
                chunk = shown[start : start + size]
                referrals = Referral.objects.filter(pk__in=[pk for _, pk, _ in chunk])
                yield _entries(chunk, before, referrals, files=_with_names)


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
