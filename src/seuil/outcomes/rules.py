"""The rules of the outcomes after exit (DOMAIN.md §4 item 8), in plain Python (no Django).

One home for them: the activity report's `outcomes` section, the outcomes page and the
follow-ups due all read these.

- A stay **ended to housing** when its exit destination is `social_landlord` or
  `private_landlord`, or its lease was transferred (glissement de bail).
- A **milestone** (6, 12 or 24 months after the exit) is a `Window`: the day counted from
  the exit (`target`: 182, 365, 730) and the days of the follow-ups that count for it,
  `first` to `last` days after `exited_on`, both included. The 12-month window is
  DOMAIN's: 300 to 430 days. The 6- and 24-month ones are drawn the same way, 65 days on
  either side of the target; the three windows do not overlap.
- The **cohort** of a milestone over a period [start, end]: the stays ended to housing
  whose `exited_on + target` falls in the period.
- The follow-up that **counts** for a stay: among its follow-ups whose `on` is in the
  window, the one nearest to `exited_on + target`; of two as near, the later; of two on
  the same day, the one with the greater ref (so that the choice never depends on the
  order of the rows). `housed` / `not_housed`: its `housed` is true / false (null, not
  known, counts in neither).
- The national mobility survey's figures (`survey_figures`), on the same follow-ups that
  count: still in the territory (`same_commune` true), employed (`employed` true).
- A **return**: the household entered another stay of the organisation after `exited_on`
  (the next day at the earliest) and at most `target` days after it (365 for the report:
  a return on day 365 counts, on day 366 does not).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

HOUSING_DESTINATIONS = ("social_landlord", "private_landlord")


@dataclass(frozen=True, slots=True)
class Window:
    months: int
    target: int
    first: int
    last: int

    def contains(self, exited_on, day):
        return self.first <= (day - exited_on).days <= self.last

    def due_on(self, exited_on):
        return exited_on + datetime.timedelta(days=self.target)

    def opens_on(self, exited_on):
        return exited_on + datetime.timedelta(days=self.first)

    def closes_on(self, exited_on):
        return exited_on + datetime.timedelta(days=self.last)


SIX_MONTHS = Window(6, 182, 117, 247)
TWELVE_MONTHS = Window(12, 365, 300, 430)
TWENTY_FOUR_MONTHS = Window(24, 730, 665, 795)
MILESTONES = (SIX_MONTHS, TWELVE_MONTHS, TWENTY_FOUR_MONTHS)


def ended_to_housing(exit_destination, lease_transferred):
    return exit_destination in HOUSING_DESTINATIONS or bool(lease_transferred)


def counted_follow_up(exited_on, follow_ups, window=TWELVE_MONTHS):
    """The follow-up of `follow_ups` (objects with `on` and `ref`) that counts for the
    milestone `window` of a stay that exited on `exited_on`; None when none is in it."""
    target = window.due_on(exited_on)
    best = None
    for follow_up in follow_ups:
        if not window.contains(exited_on, follow_up.on):
            continue
        key = (-abs((follow_up.on - target).days), follow_up.on, follow_up.ref or "")
        if best is None or key > best[0]:
            best = (key, follow_up)
    return best[1] if best else None


def returned_within(exited_on, entries, days):
    """Did one of `entries` (dates the household entered a stay) fall after `exited_on`
    and at most `days` days after it?"""
    limit = exited_on + datetime.timedelta(days=days)
    return any(exited_on < entered_on <= limit for entered_on in entries)


# ---------------------------------------------------------------- figures of a period


@dataclass(frozen=True, slots=True)
class ExitFact:
    """A stay that has ended."""

    id: int
    household_id: int
    exited_on: datetime.date
    exit_destination: str = ""
    lease_transferred: bool = False
    in_scope: bool = True
    programme: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUpFact:
    stay_id: int
    on: datetime.date
    housed: bool | None = None
    same_home: bool | None = None
    employed: bool | None = None
    satisfaction: int | None = None
    reason_for_leaving: str = ""
    ref: str = ""
    same_commune: bool | None = None


@dataclass(frozen=True, slots=True)
class EntryFact:
    """A stay of the organisation entered by a household (any programme)."""

    household_id: int
    entered_on: datetime.date


@dataclass
class OutcomeFacts:
    exits: list[ExitFact] = field(default_factory=list)
    follow_ups: list[FollowUpFact] = field(default_factory=list)
    entries: list[EntryFact] = field(default_factory=list)


@dataclass
class StayOutcome:
    """What became of one stay of a milestone's cohort."""

    stay: ExitFact
    follow_up: FollowUpFact | None
    returned: bool


def cohort(facts, start, end, window=TWELVE_MONTHS):
    """The `StayOutcome`s of the milestone's cohort over [start, end], in stay order."""
    follow_ups, entries = {}, {}
    for follow_up in facts.follow_ups:
        follow_ups.setdefault(follow_up.stay_id, []).append(follow_up)
    for entry in facts.entries:
        entries.setdefault(entry.household_id, []).append(entry.entered_on)
    outcomes = []
    for stay in sorted(facts.exits, key=lambda s: (s.exited_on, s.id)):
        if not (stay.in_scope and ended_to_housing(stay.exit_destination, stay.lease_transferred)):
            continue
        if not start <= window.due_on(stay.exited_on) <= end:
            continue
        outcomes.append(
            StayOutcome(
                stay,
                counted_follow_up(stay.exited_on, follow_ups.get(stay.id, ()), window),
                returned_within(stay.exited_on, entries.get(stay.household_id, ()), window.target),
            )
        )
    return outcomes


def figures(outcomes):
    """{cohort, followed_up, housed, not_housed, returned} of a cohort's outcomes."""
    counted = [o.follow_up for o in outcomes if o.follow_up is not None]
    return {
        "cohort": len(outcomes),
        "followed_up": len(counted),
        "housed": sum(1 for f in counted if f.housed is True),
        "not_housed": sum(1 for f in counted if f.housed is False),
        "returned": sum(1 for o in outcomes if o.returned),
    }


def survey_figures(outcomes):
    """`figures` of a cohort, with the national mobility survey's answers among the
    follow-ups that count: `in_territory` (still in the commune of arrival: `same_commune`
    true) and `employed` (true); an unknown answer counts in neither."""
    counted = [o.follow_up for o in outcomes if o.follow_up is not None]
    return {
        **figures(outcomes),
        "in_territory": sum(1 for f in counted if f.same_commune is True),
        "employed": sum(1 for f in counted if f.employed is True),
    }


# ---------------------------------------------------------------- invariants


def follow_up_errors(exited_on, on):
    """The French messages of a follow-up dated `on` on a stay that exited on `exited_on`
    (None: the stay has not ended): a follow-up belongs to a stay that has ended and is
    dated after its exit."""
    if exited_on is None:
        return ["le séjour n'est pas terminé : un suivi après la sortie suit une sortie"]
    if on is not None and on <= exited_on:
        return [f"le suivi doit être daté après la sortie (le {exited_on:%d/%m/%Y})"]
    return []
