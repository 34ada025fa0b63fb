"""The manager's support dashboard over the twelve months before a day: what is due today,
the contracts signed (late ones apart), the objectives closed by domain, and the cost of
support per household and per year where the programme's budget is set."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from seuil.core.numbers import round_half_up
from seuil.housing.models import Stay

from . import rules
from .enums import ObjectiveDomain, ObjectiveOutcome
from .models import Objective, SupportContract, SupportSettings

YEAR = datetime.timedelta(days=365)


@dataclass
class ProgrammeCost:
    programme: object
    budget: Decimal
    average_households: float  # households housed on an average day of the twelve months
    per_household: Decimal | None


def signatures(organisation, start, end):
    """Contracts of the organisation's stays signed in [start, end]: how many, how many more
    than 30 days after the entry, and the mean delay in days (None when none)."""
    delays = [
        rules.days_entry_to_contract(entered_on, signed_on)
        for signed_on, entered_on in SupportContract.objects.filter(
            stay__organisation=organisation, signed_on__range=(start, end)
        ).values_list("signed_on", "stay__entered_on")
    ]
    return {
        "signed": len(delays),
        "late": sum(1 for d in delays if d > rules.LATE_SIGNATURE_DAYS),
        "mean_days": round_half_up(sum(delays), len(delays), 1) if delays else None,
    }


def objectives_by_domain(organisation, start, end):
    """[(domain label, {outcome: count}, total)] of the objectives closed in [start, end],
    every domain listed."""
    counts = {d: dict.fromkeys(ObjectiveOutcome.values, 0) for d in ObjectiveDomain.values}
    for domain, outcome in Objective.objects.filter(
        organisation=organisation, closed_on__range=(start, end)
    ).values_list("domain", "outcome"):
        if domain in counts and outcome in counts[domain]:
            counts[domain][outcome] += 1
    labels = dict(ObjectiveDomain.choices)
    return [(labels[d], row, sum(row.values())) for d, row in counts.items()]


def costs(organisation, start, end):
    """The cost per household and per year of each programme whose budget is set: its
    annual budget over the households housed on an average day of [start, end]."""
    days = (end - start).days + 1
    rows = []
    settings = SupportSettings.objects.filter(
        programme__organisation=organisation, annual_budget__isnull=False
    ).select_related("programme")
    for setting in settings:
        stays = Stay.objects.filter(programme=setting.programme, entered_on__lte=end).exclude(
            exited_on__lte=start
        )
        household_days = 0
        for entered_on, exited_on in stays.values_list("entered_on", "exited_on"):
            first = max(entered_on, start)
            last = min(exited_on - datetime.timedelta(1) if exited_on else end, end)
            household_days += max(0, (last - first).days + 1)
        average = household_days / days
        per_household = None
        if household_days:
            per_household = Decimal(
                str(round_half_up(int(setting.annual_budget * 100) * days, household_days * 100, 0))
            )
        rows.append(ProgrammeCost(setting.programme, setting.annual_budget, average, per_household))
    return rows
