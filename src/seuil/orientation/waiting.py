"""Waiting lists: the households admitted to a programme and not yet housed, in the order of
the referring SIAO's priority (`priority.py`), as of any day.

Positions are computed from what was true on the day asked: the referrals waiting that day
(`Referral.objects.waiting_on(day)`), the assessment then in force (its priority criteria)
and the SIAO's weights then in force. "How it moved" compares with the same computation on
an earlier day (30 days before, unless the user picks another). A proposal does not take a
household off the list: a refused, expired or withdrawn proposal leaves it where the
formula puts it; an entry or a withdrawal of the request does.

Each list of a day is computed once and kept (`RankedList`, `stored_list`): a page reads
one page of it and the positions of the day compared, whatever the list's length. A change
to what the order depends on deletes the stored days it may change
(`forget_stored_lists`, connected to the saves in `OrientationConfig.ready`); `seuil
daily` computes today's lists (`store_todays_lists`).

One list per (programme, SIAO): each SIAO orders the households it referred with its own
weights. Positions count every household of the list, also those the user does not see.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch, Q

from seuil.core import derived
from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope, allows, scope_of
from seuil.core.wording import plural
from seuil.households.models import Household, Membership
from seuil.housing.models import Programme

from . import priority
from .enums import OPEN_PROPOSAL_STATUSES
from .models import (
    RANK_RETENTION_DAYS,
    Assessment,
    PriorityWeights,
    Proposal,
    RankedEntry,
    RankedList,
    Referral,
    Request,
)

COMPARE_DAYS = 30
PAGE_SIZE = 50  # households per page of a waiting list
CHUNK = 500  # households an export reads at a time


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


def computed_ranking(programme_id, siao_id, day):
    """(weights, [(position, referral id, breakdown)]) of the whole list on `day`, computed
    from the records (what `stored_list` keeps)."""
    weights = PriorityWeights.weights_on(siao_id, day)
    ranked = priority.rank(_candidates(programme_id, siao_id, day), weights, day)
    return weights, [(position, c.key, points) for position, c, points in ranked]


def _inputs(siao_id):
    """The name of what the SIAO's lists are computed from (`core.derived`)."""
    return f"listes d'attente du SIAO {siao_id}"


def stored_list(programme_id, siao_id, day):
    """The `RankedList` of the list on `day`: the stored one, or computed and stored now
    (unless what it depends on changed meanwhile: `core.derived`)."""
    found = RankedList.objects.filter(programme_id=programme_id, siao_id=siao_id, day=day).first()
    if found is not None:
        return found
    try:
        return derived.store_unless_moved(
            _inputs(siao_id),
            lambda: computed_ranking(programme_id, siao_id, day)[1],
            lambda ranked: _store(programme_id, siao_id, day, ranked),
        )
    except IntegrityError:  # stored meanwhile by another request
        return RankedList.objects.get(programme_id=programme_id, siao_id=siao_id, day=day)


def _store(programme_id, siao_id, day, ranked):
    stored = RankedList.objects.create(
        programme_id=programme_id, siao_id=siao_id, day=day, size=len(ranked)
    )
    RankedEntry.objects.bulk_create(
        (
            RankedEntry(
                ranked_list=stored,
                referral_id=pk,
                position=position,
                waiting_days=points.waiting_days,
                waiting_months=points.waiting_months,
                waiting_points=points.waiting_points,
                criteria=[list(item) for item in points.criteria],
                total=points.total,
            )
            for position, pk, points in ranked
        ),
        batch_size=2000,
    )
    return stored


ENTRY_COLUMNS = (
    "position",
    "referral_id",
    "waiting_days",
    "waiting_months",
    "waiting_points",
    "criteria",
    "total",
)


def _ranked(rows):
    """[(position, referral id, breakdown)] of `RankedEntry` rows (`ENTRY_COLUMNS`)."""
    return [
        (
            position,
            pk,
            priority.Breakdown(
                waiting_days=days,
                waiting_months=months,
                waiting_points=points,
                criteria=tuple((code, value) for code, value in criteria),
                total=total,
            ),
        )
        for position, pk, days, months, points, criteria, total in rows
    ]


def ranked_ids(programme_id, siao_id, day):
    """(weights, [(position, referral id, breakdown)]) of the whole list on `day`, unscoped,
    without loading the referrals themselves."""
    rows = RankedEntry.objects.filter(ranked_list=stored_list(programme_id, siao_id, day))
    ranked = _ranked(rows.order_by("position").values_list(*ENTRY_COLUMNS))
    return PriorityWeights.weights_on(siao_id, day), ranked


def ranking(programme_id, siao_id, day):
    """(weights, [(position, referral, breakdown)]) of the whole list on `day`, unscoped,
    each referral with its file loaded."""
    weights, ranked = ranked_ids(programme_id, siao_id, day)
    referrals = Referral.objects.waiting_on(day).filter(programme_id=programme_id, siao_id=siao_id)
    by_pk = {referral.pk: referral for referral in _with_file(referrals)}
    return weights, [(position, by_pk[pk], points) for position, pk, points in ranked]


def positions_on(programme_id, siao_id, day, referral_ids=None):
    """{referral id: position} on `day` (of the referrals of `referral_ids` only, if given)."""
    rows = RankedEntry.objects.filter(ranked_list=stored_list(programme_id, siao_id, day))
    if referral_ids is not None:
        rows = rows.filter(referral_id__in=list(referral_ids))
    return dict(rows.values_list("referral_id", "position"))


def _shown_lists(user, programme, day):
    """For each SIAO list of `programme` on `day` that `user` sees: (siao id, its stored
    list, the `RankedEntry` rows of the households the user sees in the order of the list)."""
    visible = Referral.objects.visible_to(user).filter(programme=programme)
    # The SIAOs with a list on `day` (the programme's referrals, unscoped: a few SIAOs),
    # then those whose list shows the user a household: every one of the list it sees
    # whole, else the first it sees (not every referral seen, joined to the households).
    waiting_now = Referral.objects.filter(programme=programme).waiting_on(day)
    siao_ids = waiting_now.order_by().values_list("siao_id", flat=True).distinct()
    for siao_id in sorted(siao_ids):
        whole = _sees_whole_list(user, programme, siao_id)
        if not (whole or visible.waiting_on(day).filter(siao_id=siao_id).exists()):
            continue
        stored = stored_list(programme.pk, siao_id, day)
        rows = RankedEntry.objects.filter(ranked_list=stored).order_by("position")
        if not whole:
            rows = rows.filter(referral__in=visible.filter(siao_id=siao_id).values("pk"))
        yield siao_id, stored, rows


def _sees_whole_list(user, programme, siao_id):
    """Does `user` see every household of the list of `siao_id` on `programme`? Under scopes
    own and linked it sees its organisation's referrals (`Referral.objects.own_q`): every one
    of its SIAO's lists, every list of its programme."""
    return scope_of(user, Action.VIEW_WAITING_LISTS) in (Scope.OWN, Scope.LINKED) and (
        user.organisation_id in (siao_id, programme.organisation_id)
    )


def _entries(shown, before, referrals):
    """The `Entry` of each (position, referral id, breakdown) of `shown`, from `referrals`
    (a queryset holding them), their files and open proposals loaded in a few queries."""
    loaded = {referral.pk: referral for referral in _with_file(referrals)}
    proposals = {
        proposal.referral_id: proposal
        for proposal in Proposal.objects.filter(
            referral__in=referrals.order_by().values("pk"), status__in=OPEN_PROPOSAL_STATUSES
        ).select_related("vacancy__unit")
    }
    return [Entry(p, loaded[pk], b, before.get(pk), proposals.get(pk)) for p, pk, b in shown]


def _page_entries(programme, siao_id, rows, compared_on=None):
    """The `Entry` of the stored `rows` (a list of `ENTRY_COLUMNS`), with their positions on
    `compared_on` (None: not compared)."""
    shown = _ranked(rows)
    ids = [pk for _, pk, _ in shown]
    before = {}
    if ids and compared_on is not None:
        before = positions_on(programme.pk, siao_id, compared_on, ids)
    return _entries(shown, before, Referral.objects.filter(pk__in=ids))


def waiting_lists(user, programme, day, compared_on=None, page=None):
    """The waiting lists of `programme` on `day` that `user` sees (one per SIAO), with each
    household's breakdown and its position on `compared_on` (default: 30 days before).

    `page` (a page number, as the request gives it): only that page of each list
    (`PAGE_SIZE` households, `WaitingList.page`) is loaded, its households' files included;
    the positions still count the whole list. None: every household the user sees. Read
    from the stored lists of both days: the same queries whatever the list's length."""
    compared_on = compared_on or day - datetime.timedelta(days=COMPARE_DAYS)
    lists = []
    for siao_id, stored, rows in _shown_lists(user, programme, day):
        rows = rows.values_list(*ENTRY_COLUMNS)
        page_obj = None
        if page is not None:
            page_obj = Paginator(rows, PAGE_SIZE).get_page(page)
            rows = page_obj.object_list
        entries = _page_entries(programme, siao_id, list(rows), compared_on)
        if page_obj is not None:
            page_obj.object_list = entries
        lists.append(
            WaitingList(
                programme=programme,
                siao=entries[0].referral.siao if entries else None,
                day=day,
                compared_on=compared_on,
                weights=PriorityWeights.weights_on(siao_id, day),
                entries=entries,
                size=stored.size,
                page=page_obj,
            )
        )
    return lists


@dataclass(frozen=True)
class Listed:
    """A household on a waiting list as an export reads it: plain values, no record."""

    programme: str
    siao: str
    position: int
    request_ref: str
    referral_ref: str
    household_ref: str
    head: tuple | None  # (last name, first name) of its head today, None without one
    received_on: datetime.date
    admitted_on: datetime.date
    waiting_points: int
    criteria_points: int
    total: int


LISTED_COLUMNS = (
    "position",
    "referral__request__ref",
    "referral__ref",
    "referral__household_id",
    "referral__household__ref",
    "referral__request__received_on",
    "referral__admitted_on",
    "waiting_points",
    "total",
)


def _listed_after(rows, last):
    """The `LISTED_COLUMNS` of the first `CHUNK` of `rows` (`RankedEntry`, in the order of
    the list) after position `last`. The chunk's rows are picked first, then joined to
    their referrals: whatever the planner guesses of the list, a chunk reads its rows
    only, not every row after it."""
    picked = rows.filter(position__gt=last).values("pk")[:CHUNK]
    return list(
        RankedEntry.objects.filter(pk__in=picked).order_by("position").values_list(*LISTED_COLUMNS)
    )


def exported_lists(user, day):
    """Every waiting list `user` sees on `day`, in the order of an export (programme, then
    SIAO): (programme, SIAO id, its `RankedEntry` rows the user sees, in order, as a query).
    Found once for an export, then counted (`listed_count`) and read (`listed_lists`)."""
    return [
        (programme, siao_id, rows)
        for programme in programmes_with_lists(user).order_by("name", "pk")
        for siao_id, _, rows in _shown_lists(user, programme, day)
    ]


def listed_count(lists):
    """How many rows the `exported_lists` have in all (one count a list)."""
    return sum(rows.count() for _, _, rows in lists)


def listed_lists(lists):
    """For each of the `exported_lists`: (its households, as a query; its `Listed` in the
    order of priority, as lists of at most `CHUNK`, to be read before the next list). An
    export holds one chunk in memory at a time, read from the stored lists in two queries a
    chunk (the rows with their referral, request and household; the heads' names), whatever
    the list's length (an export says no movement: the positions of an earlier day are not
    read)."""
    siao_names = {}
    for programme, siao_id, rows in lists:
        if siao_id not in siao_names:
            siao_names[siao_id] = (
                Organisation.objects.filter(pk=siao_id).values_list("name", flat=True).get()
            )
        households = Household.objects.filter(pk__in=rows.values("referral__household_id"))
        yield households, _listed_chunks(rows, programme.name, siao_names[siao_id])


def _listed_chunks(rows, programme, siao):
    """The `Listed` of `rows` (`RankedEntry` of one list, in its order), `CHUNK` at a time."""
    last = 0
    while chunk := _listed_after(rows, last):
        last = chunk[-1][0]
        heads = Membership.objects.head_names([row[3] for row in chunk])
        yield [
            Listed(
                programme=programme,
                siao=siao,
                position=position,
                request_ref=request_ref,
                referral_ref=referral_ref,
                household_ref=household_ref,
                head=heads.get(household_id),
                received_on=received_on,
                admitted_on=admitted_on,
                waiting_points=waiting_points,
                criteria_points=total - waiting_points,  # `priority.breakdown`
                total=total,
            )
            for (
                position,
                request_ref,
                referral_ref,
                household_id,
                household_ref,
                received_on,
                admitted_on,
                waiting_points,
                total,
            ) in chunk
        ]


def position_of(referral, day):
    """The position of a waiting referral on `day` (None when not on the list that day)."""
    positions = positions_on(referral.programme_id, referral.siao_id, day, [referral.pk])
    return positions.get(referral.pk)


def forget_stored_lists(since, *, siao_id, programme_id=None):
    """Delete the stored lists of the SIAO (of one programme, if given) from `since` on:
    what they were computed from changed on that day or later (and a list being computed
    meanwhile is not stored: `core.derived`)."""
    derived.move([_inputs(siao_id)])
    stale = RankedList.objects.filter(siao_id=siao_id, day__gte=since)
    if programme_id is not None:
        stale = stale.filter(programme_id=programme_id)
    stale.delete()


def _earliest(*days):
    return min(day for day in days if day is not None)


def _old(instance, *fields):
    """The stored values of `fields` of a record about to be saved (None: a new record)."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()


def forget_before_referral_save(sender, instance, **kwargs):
    """A referral admitted, closed or moved changes its list from the earliest date moved."""
    old = _old(instance, "admitted_on", "closed_on", "programme_id", "siao_id")
    if old is None:
        forget_stored_lists(
            instance.admitted_on, siao_id=instance.siao_id, programme_id=instance.programme_id
        )
        return
    if (old["programme_id"], old["siao_id"]) != (instance.programme_id, instance.siao_id):
        for programme_id, siao_id, since in (
            (old["programme_id"], old["siao_id"], old["admitted_on"]),
            (instance.programme_id, instance.siao_id, instance.admitted_on),
        ):
            forget_stored_lists(since, siao_id=siao_id, programme_id=programme_id)
        return
    moved = [
        day
        for field in ("admitted_on", "closed_on")
        if old[field] != getattr(instance, field)
        for day in (old[field], getattr(instance, field))
    ]
    if any(day is not None for day in moved):
        forget_stored_lists(
            _earliest(*moved), siao_id=instance.siao_id, programme_id=instance.programme_id
        )


def forget_after_referral_delete(sender, instance, **kwargs):
    forget_stored_lists(
        instance.admitted_on, siao_id=instance.siao_id, programme_id=instance.programme_id
    )


def _forget_for_request(request_id, since=None):
    """The list of the request's referral, from `since` (default: its admission)."""
    referral = Referral.objects.filter(request_id=request_id).values(
        "programme_id", "siao_id", "admitted_on"
    )
    for row in referral:
        forget_stored_lists(
            _earliest(since, row["admitted_on"]) if since else row["admitted_on"],
            siao_id=row["siao_id"],
            programme_id=row["programme_id"],
        )


def forget_before_request_save(sender, instance, **kwargs):
    """A request's date of receipt or reference orders its household on every day listed."""
    old = _old(instance, "received_on", "ref")
    if old is not None and (old["received_on"], old["ref"]) != (instance.received_on, instance.ref):
        _forget_for_request(instance.pk)


def forget_before_assessment_save(sender, instance, **kwargs):
    """An assessment's criteria are in force from its date (from the earlier one, if moved)."""
    old = _old(instance, "assessed_on", "request_id")
    since = (
        instance.assessed_on if old is None else _earliest(old["assessed_on"], instance.assessed_on)
    )
    _forget_for_request(instance.request_id, since)
    if old is not None and old["request_id"] != instance.request_id:
        _forget_for_request(old["request_id"], since)


def forget_after_assessment_delete(sender, instance, **kwargs):
    _forget_for_request(instance.request_id, instance.assessed_on)


def forget_before_weights_save(sender, instance, **kwargs):
    """A SIAO's weights apply to all its lists from the day they are in force."""
    old = _old(instance, "effective_from", "siao_id")
    since = instance.effective_from
    if old is not None:
        since = _earliest(since, old["effective_from"])
        if old["siao_id"] != instance.siao_id:
            forget_stored_lists(since, siao_id=old["siao_id"])
    forget_stored_lists(since, siao_id=instance.siao_id)


def forget_after_weights_delete(sender, instance, **kwargs):
    forget_stored_lists(instance.effective_from, siao_id=instance.siao_id)


def connect_forgetting():
    """Connect the deletion of the stored lists to the saves of what they depend on."""
    from django.db.models.signals import post_delete, pre_save

    for model, before_save, after_delete in (
        (Referral, forget_before_referral_save, forget_after_referral_delete),
        (Request, forget_before_request_save, None),
        (Assessment, forget_before_assessment_save, forget_after_assessment_delete),
        (PriorityWeights, forget_before_weights_save, forget_after_weights_delete),
    ):
        pre_save.connect(before_save, sender=model, dispatch_uid=f"ranks-{model.__name__}")
        if after_delete is not None:
            post_delete.connect(
                after_delete, sender=model, dispatch_uid=f"ranks-del-{model.__name__}"
            )


def store_todays_lists(day, *, dry_run=False):
    """`seuil daily`: store the list of `day` of every (programme, SIAO) with a household
    waiting, delete the stored lists older than `RANK_RETENTION_DAYS`. Returns (lists stored,
    stored lists deleted)."""
    lists = set(
        Referral.objects.waiting_on(day)
        .order_by()
        .values_list("programme_id", "siao_id")
        .distinct()
    )
    old = RankedList.objects.filter(day__lt=day - datetime.timedelta(days=RANK_RETENTION_DAYS))
    missing = lists - set(RankedList.objects.filter(day=day).values_list("programme_id", "siao_id"))
    deleted = old.count()
    if not dry_run:
        for programme_id, siao_id in sorted(missing):
            stored_list(programme_id, siao_id, day)
        old.delete()
    return len(missing), deleted


def programmes_with_lists(user):
    """Programmes whose waiting lists `user` may open: its organisation's, and those it
    refers households to."""
    if not allows(user, Action.VIEW_WAITING_LISTS):
        return Programme.objects.none()
    # Asked of each programme's referrals (EXISTS, the first one seen answers), never the
    # set of every referral the user sees, which PostgreSQL would compute whole, joined to
    # the households, to answer for one programme.
    referred = Referral.objects.visible_to(user).filter(programme=OuterRef("pk"))
    return Programme.objects.filter(
        Q(organisation_id=user.organisation_id) | Exists(referred)
    ).select_related("organisation")
