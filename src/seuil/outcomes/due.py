"""The follow-ups due after the exits to housing: what the worker's tasks will show.

`follow_ups_due(organisation, day)` is the function a reminder (notifications, when they
come) calls each day; the page « Suivis à faire » lists the same. A follow-up is due for a
stay of the organisation that ended to housing, at each milestone (6, 12, 24 months:
`rules.MILESTONES`) whose window is open on `day` and in which the stay has no follow-up
yet. It is late once `day` is past the milestone's day (`exited_on + target`); it is no
longer due once the window has closed (the follow-up is then missed).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from seuil.housing.models import Stay

from . import rules
from .models import FollowUp


@dataclass(frozen=True)
class Due:
    stay: Stay
    milestone: rules.Window

    @property
    def due_on(self):
        return self.milestone.due_on(self.stay.exited_on)

    @property
    def closes_on(self):
        return self.milestone.closes_on(self.stay.exited_on)

    def late_on(self, day):
        return day > self.due_on


def follow_ups_due(organisation, day, stays=None):
    """[Due] of `organisation` on `day`, by milestone day then stay ref.

    `stays`: a queryset of stays to look in (a user's `visible_to`), the organisation's by
    default."""
    stays = Stay.objects.all() if stays is None else stays
    earliest = day - datetime.timedelta(days=max(w.last for w in rules.MILESTONES))
    latest = day - datetime.timedelta(days=min(w.first for w in rules.MILESTONES))
    candidates = (
        stays.filter(organisation=organisation, exited_on__range=(earliest, latest))
        .select_related("household", "unit", "programme")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.only("stay", "on")))
    )
    due = []
    for stay in candidates:
        if not rules.ended_to_housing(stay.exit_destination, stay.lease_transferred):
            continue
        for window in rules.MILESTONES:
            if not window.contains(stay.exited_on, day):
                continue
            if any(window.contains(stay.exited_on, f.on) for f in stay.follow_ups.all()):
                continue
            due.append(Due(stay, window))
    return sorted(due, key=lambda d: (d.due_on, d.stay.ref))
