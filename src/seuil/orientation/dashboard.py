"""The SIAO dashboard (`orientation:dashboard`): the waiting lists by programme today (size,
mean and median waiting days), the commission's refusals by reason over the last 12 months,
and month by month over the last 12 months: requests received, admissions, refusals,
entries from a waiting list.

Everything is read through `visible_to(user, VIEW_ORIENTATION_DASHBOARD)`: the SIAO sees
what it received, decided and referred; an operator's service manager what concerns its
programmes and the households it holds. The figures are computed by `dashboard_figures`
from plain rows (no query), so tests can check them by hand.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from seuil.core.charts import bar_chart
from seuil.core.numbers import round_half_up
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from .enums import DecisionOutcome, DecisionRefusalReason, ReferralStatus
from .models import Referral, ReferralDecision, Request

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def month_starts(today, count=12):
    """The first days of the `count` months ending with today's, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_key(day):
    return datetime.date(day.year, day.month, 1)


@dataclass
class ProgrammeWaiting:
    name: str
    households: int
    mean_days: float | None
    median_days: float | None


def _mean(days):
    return round_half_up(sum(days), len(days), 1) if days else None


def _median(days):
    return float(statistics.median(days)) if days else None


def dashboard_figures(today, waiting, requests, decisions, entries):
    """The dashboard's figures from plain rows:

    - `waiting`: [(programme name, admitted_on)] of the referrals waiting today;
    - `requests`: [received_on]; `decisions`: [(decided_on, outcome, refusal_reason)];
    - `entries`: [entry date] of the referrals housed.

    Waiting days = today - admitted_on; means have one decimal (half up).
    """
    by_programme = {}
    for name, admitted_on in waiting:
        by_programme.setdefault(name, []).append((today - admitted_on).days)
    programmes = [
        ProgrammeWaiting(
            name,
            len(days),
            _mean(days),
            _median(days),
        )
        for name, days in sorted(by_programme.items())
    ]
    all_days = [d for days in by_programme.values() for d in days]
    total = ProgrammeWaiting(
        "Total",
        len(all_days),
        _mean(all_days),
        _median(all_days),
    )
    starts = month_starts(today)
    first = starts[0]
    months = {start: {"requests": 0, "admitted": 0, "refused": 0, "entries": 0} for start in starts}

    def add(day, column):
        if first <= day <= today:
            months[_month_key(day)][column] += 1

    for received_on in requests:
        add(received_on, "requests")
    refusals = {code: 0 for code in DecisionRefusalReason.values}
    for decided_on, outcome, reason in decisions:
        if outcome == DecisionOutcome.ADMITTED:
            add(decided_on, "admitted")
        elif outcome == DecisionOutcome.REFUSED:
            add(decided_on, "refused")
            if first <= decided_on <= today:
                refusals[reason if reason in refusals else DecisionRefusalReason.OTHER] += 1
    for entered_on in entries:
        add(entered_on, "entries")
    labels = dict(DecisionRefusalReason.choices)
    return {
        "programmes": programmes,
        "total": total,
        "months": [
            {"label": f"{MONTHS_FR[start.month - 1]} {start.year}", **months[start]}
            for start in starts
        ],
        "refusals": [(labels[code], count) for code, count in refusals.items()],
        "refusals_total": sum(refusals.values()),
        "since": first,
    }


def load_dashboard(user, today):
    action = Action.VIEW_ORIENTATION_DASHBOARD
    first = month_starts(today)[0]
    referrals = Referral.objects.visible_to(user, action)
    waiting = referrals.waiting_on(today).values_list("programme__name", "admitted_on")
    requests = (
        Request.objects.visible_to(user, action)
        .filter(received_on__range=(first, today))
        .values_list("received_on", flat=True)
    )
    decisions = (
        ReferralDecision.objects.visible_to(user, action)
        .filter(decided_on__range=(first, today))
        .values_list("decided_on", "outcome", "refusal_reason")
    )
    entries = [
        stay_entered or closed_on
        for stay_entered, closed_on in referrals.filter(status=ReferralStatus.HOUSED)
        .filter(Q(closed_on__gte=first) | Q(stay__entered_on__gte=first))
        .values_list("stay__entered_on", "closed_on")
    ]
    return dashboard_figures(today, list(waiting), list(requests), list(decisions), entries)


@policy(read=Action.VIEW_ORIENTATION_DASHBOARD)
def dashboard(request):
    today = timezone.localdate()
    context = load_dashboard(request.user, today)
    context["today"] = today
    context["charts"] = {
        "waiting": bar_chart(
            "graphique-attente",
            "Ménages en attente par dispositif",
            [(row.name, row.households) for row in context["programmes"]],
        ),
        "months": bar_chart(
            "graphique-mois",
            "Demandes reçues par mois",
            [(month["label"], month["requests"]) for month in context["months"]],
        ),
    }
    return render(request, "orientation/dashboard.html", context)
