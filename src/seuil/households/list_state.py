"""What the household list filters by, stored on each household and kept true on write.

The filters "Situation" (housed, gone, never housed), "Dispositif" (the programme of the
last stay) and "Statut administratif" (the head's legal status) ask about a day (today)
and read the stays, memberships and legal-status records of every household: computed in
the query, PostgreSQL reads national tables for them. Each household stores instead what
they answer (`Household.list_presence`, `list_programme`, `list_head_status`; and
`list_members`, its members that day, for the home page's persons housed) with the
days it holds for, ``list_on <= day < list_until``: `list_until` is the next date of one
of its dated facts (an entry or exit, an arrival or departure, a status since), so the
answer stays true day after day until then, with no write. A filter reads the stored
columns of the households whose state holds on its day, and the exact definition (the
same subqueries as ever, correlated to each household) for the others only, the stale
ones (none computed yet, a dated fact reached, or what the columns cannot say: two heads
the same day): the meaning is the same for every household, always.

`refresh_list_state(household_ids)` computes it again (within `deferred()`, once when the
block ends: an import). It runs in the transaction of every write of what it reads: a stay
(`housing`: its signals and `StayQuerySet`), a membership (`MembershipQuerySet`, the
signals of `HouseholdsConfig.ready`), a legal-status record (`LegalStatusQuerySet`, the
same signals), a merge (`merging`). It first locks the
households' rows, then reads: of two writes of one household at once, the second to lock
reads what the first saved, and its state is written last. `seuil daily` computes the
states that reached their `list_until` (`refresh_stale_task`), so that the filters keep
reading the stored columns.
"""

import contextlib
import contextvars
import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .enums import MemberRole

PRESENT, LEFT, NEVER = "present", "left", "never"
FOREVER = datetime.date.max
BATCH = 2000


def state_on(day, stays, memberships, statuses):
    """(presence, programme uuid, head's status, members, until) of one household on `day`,
    or None when the stored columns cannot say what the filters ask (then it is stale).

    `stays`: (pk, entered_on, exited_on, programme uuid); `memberships`: (person id, role,
    joined_on, left_on); `statuses`: person id → [(since, pk, status)]."""
    housed = any(e <= day and (x is None or x > day) for _, e, x, _ in stays)
    exited = any(x is not None and x <= day for _, _, x, _ in stays)
    entered = [s for s in stays if s[1] <= day]
    answers = [
        value
        for value, yes in ((PRESENT, housed), (LEFT, not housed and exited), (NEVER, not entered))
        if yes
    ]
    present = [
        (person, role)
        for person, role, joined, left in memberships
        if (joined is None or joined <= day) and (left is None or left > day)
    ]
    heads = [person for person, role in present if role == MemberRole.HEAD]
    if len(answers) != 1 or len(heads) > 1:
        return None
    last_stay = max(entered, key=lambda s: (s[1], s[0]), default=None)
    known = [r for r in statuses.get(heads[0], ()) if r[0] <= day] if heads else []
    last_status = max(known, default=None)
    dates = [d for _, e, x, _ in stays for d in (e, x)]
    dates += [d for _, _, joined, left in memberships for d in (joined, left)]
    dates += [r[0] for person, *_ in memberships for r in statuses.get(person, ())]
    return (
        answers[0],
        last_stay[3] if last_stay else None,
        last_status[2] if last_status else "",
        len(present),
        min((d for d in dates if d is not None and d > day), default=FOREVER),
    )


def states_of(day, stays, memberships, statuses, households):
    """{list state fields → [household ids]} of these households on `day`, from the rows of
    their stays (household id, pk, entered_on, exited_on, programme uuid), memberships
    (household id, person id, role, joined_on, left_on) and their members' legal statuses
    (person id, since, pk, status): the households of one state are written in one
    UPDATE."""
    by_household, members, records = {}, {}, {}
    for household, *stay in stays:
        by_household.setdefault(household, []).append(tuple(stay))
    for household, *membership in memberships:
        members.setdefault(household, []).append(tuple(membership))
    for person, *status in statuses:
        records.setdefault(person, []).append(tuple(status))
    groups = {}
    for pk in households:
        state = state_on(day, by_household.get(pk, ()), members.get(pk, ()), records)
        presence, programme, status, member_count, until = state or ("", None, "", 0, day)
        fields = (
            ("list_on", day),
            ("list_until", until),
            ("list_presence", presence),
            ("list_programme", programme),
            ("list_head_status", status),
            ("list_members", member_count),
        )
        groups.setdefault(fields, []).append(pk)
    return groups


def store_states(day, households, stays, memberships, statuses):
    """Compute and write the list state of the households of the queryset `households`
    from the querysets of all stays, memberships and legal-status records (also the
    historical models of a migration)."""
    ids = list(households.values_list("pk", flat=True))
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        rows = memberships.filter(household_id__in=batch).values_list(
            "household_id", "person_id", "role", "joined_on", "left_on"
        )
        members = list(rows)
        groups = states_of(
            day,
            stays.filter(household_id__in=batch).values_list(
                "household_id", "pk", "entered_on", "exited_on", "programme__uuid"
            ),
            members,
            statuses.filter(person_id__in={m[1] for m in members}).values_list(
                "person_id", "since", "pk", "status"
            ),
            batch,
        )
        for fields, pks in groups.items():
            households.model._base_manager.using(households.db).filter(pk__in=pks).update(
                **dict(fields)
            )


# The households whose refresh waits for the end of `deferred()` (None: not deferred).
_pending = contextvars.ContextVar("list state refreshes pending", default=None)


@contextlib.contextmanager
def deferred():
    """Within this block, `refresh_list_state` only collects the households; it computes
    their states once, when the block ends without an error (in the caller's transaction).
    What is stored is the same, computed once instead of after each write: a bulk write
    (an import) writes the memberships, legal statuses and stays of the same households
    one after the other."""
    if _pending.get() is not None:  # already deferred: the outer block computes them
        yield
        return
    pending = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    ids = sorted(pending)
    for first in range(0, len(ids), BATCH):
        refresh_list_state(ids[first : first + BATCH])


def refresh_list_state(household_ids, day=None):
    """Compute and store the list state of these households (see the module docstring)."""
    from .models import Household, LegalStatusRecord, Membership

    ids = {pk for pk in household_ids if pk is not None}
    pending = _pending.get()
    if pending is not None and day is None:
        pending |= ids
        return
    ids = sorted(ids)
    if not ids:
        return
    stay_model = Household._meta.get_field("stays").related_model
    with transaction.atomic():
        # Locked first, in order: what is read next includes the writes saved meanwhile.
        locked = list(
            Household._base_manager.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        store_states(
            day or timezone.localdate(),
            Household._base_manager.filter(pk__in=locked),
            stay_model._base_manager.all(),
            Membership._base_manager.all(),
            LegalStatusRecord._base_manager.all(),
        )


def holds_on(day):
    """The households whose stored state holds on `day`."""
    return Q(list_on__lte=day, list_until__gt=day)


def stale_on(day):
    """The others: what `holds_on` leaves out (a state never computed has no dates)."""
    return Q(list_until__isnull=True) | Q(list_until__lte=day) | Q(list_on__gt=day)


def narrow(households, day, stored, exact):
    """`households` narrowed to those that `stored` (a condition on the stored columns)
    selects where their state holds on `day`, and `exact` (the filter's definition, a
    condition on the household) where it does not. One condition on each row, the
    definition read for the stale rows only: a list of the stale households as a subquery
    made PostgreSQL scan the whole national table for the few households an organisation
    is linked to (34 ms instead of 6, benchmarks/pages.py)."""
    return households.filter((holds_on(day) & stored) | (stale_on(day) & exact))


def refresh_stale_task(now, *, dry_run=False):
    """Daily task: compute again the list states that no longer hold today."""
    from seuil.core.wording import plural

    from .models import Household

    today = timezone.localdate(now)
    stale = list(
        Household._base_manager.filter(stale_on(today)).order_by("pk").values_list("pk", flat=True)
    )
    if not dry_run:
        refresh_list_state(stale, today)
    verb = "seraient recalculés" if dry_run else "recalculés"
    return f"Filtres de la liste des ménages {verb} pour {plural(len(stale), 'ménage')}."
