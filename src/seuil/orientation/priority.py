"""The waiting-list priority, in plain Python (no Django): points, breakdown, order.

A household on a programme's waiting list on day D gets (whole numbers only, so that the
order is exact and the same everywhere):

- waiting points = min(months × points per month, cap), where months = the number of
  complete 30-day periods from the day the SIAO received its request to D, and the cap is
  the SIAO's (no cap when it has none);
- criterion points = the sum of the SIAO's points of each priority criterion of the
  assessment in force on D (a criterion the SIAO gives no points counts 0);
- total = waiting points + criterion points.

The list is ordered by total (highest first), then by the date the request was received
(oldest first), then by the request's reference (alphabetical). docs/orientation.md says
the same to users.
"""

import datetime
from dataclasses import dataclass, field

DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Weights:
    points_per_month: int
    max_waiting_points: int | None  # None: no cap
    criterion_points: dict = field(default_factory=dict)  # criterion code → points


@dataclass(frozen=True)
class Candidate:
    key: object  # the caller's handle (a referral's id)
    ref: str  # the request's reference
    received_on: datetime.date
    criteria: tuple = ()  # criterion codes of the assessment in force


@dataclass(frozen=True)
class Breakdown:
    waiting_days: int
    waiting_months: int
    waiting_points: int
    criteria: tuple  # ((criterion code, points), ...) in the candidate's order
    total: int

    @property
    def criteria_points(self):
        return sum(points for _, points in self.criteria)


def breakdown(candidate, weights, day):
    """The points of `candidate` on `day` with `weights`, item by item."""
    waiting_days = max(0, (day - candidate.received_on).days)
    months = waiting_days // DAYS_PER_MONTH
    waiting_points = months * weights.points_per_month
    if weights.max_waiting_points is not None:
        waiting_points = min(waiting_points, weights.max_waiting_points)
    criteria = tuple(
        (code, int(weights.criterion_points.get(code, 0)))
        for code in dict.fromkeys(candidate.criteria)
    )
    total = waiting_points + sum(points for _, points in criteria)
    return Breakdown(waiting_days, months, waiting_points, criteria, total)


def order_key(candidate, points):
    """Sort key: total points (highest first), request date (oldest first), reference."""
    return (-points.total, candidate.received_on, candidate.ref)


def rank(candidates, weights, day):
    """[(position from 1, candidate, breakdown)] in the order of the waiting list."""
    scored = [(c, breakdown(c, weights, day)) for c in candidates]
    scored.sort(key=lambda pair: order_key(*pair))
    return [(position, c, b) for position, (c, b) in enumerate(scored, start=1)]
