"""The outcomes of an organisation's exits, loaded from the database in three queries.

`load_outcome_facts(organisation, programme_ids, exited_from, exited_to)` reads the plain
facts that `seuil.outcomes.rules` counts: the stays of the organisation (of the programmes
named, all of them when none is) that ended from `exited_from` to `exited_to`, their
follow-ups, and the entries into any stay of the organisation of their households after
the first of those exits (a return). The activity report's `outcomes` section and the
outcomes page both read them.
"""

import datetime

from seuil.housing.models import Programme, Stay

from . import rules
from .models import FollowUp


def load_outcome_facts(organisation, programme_ids, exited_from, exited_to):
    exits = Stay.objects.filter(
        organisation=organisation, exited_on__range=(exited_from, exited_to)
    )
    if programme_ids:
        exits = exits.filter(programme_id__in=programme_ids)
    rows = list(
        exits.values_list(
            "pk",
            "household_id",
            "exited_on",
            "exit_destination",
            "lease_transferred",
            "programme__ref",
        )
    )
    households = {row[1] for row in rows}
    follow_ups = FollowUp.objects.filter(stay__in=exits.values("pk")).values_list(
        "stay_id",
        "on",
        "housed",
        "same_home",
        "employed",
        "satisfaction",
        "reason_for_leaving",
        "ref",
    )
    latest = exited_to + datetime.timedelta(days=max(w.target for w in rules.MILESTONES))
    entries = Stay.objects.filter(
        organisation=organisation,
        household_id__in=households,
        entered_on__gt=exited_from,
        entered_on__lte=latest,
    ).values_list("household_id", "entered_on")
    return rules.OutcomeFacts(
        exits=[
            rules.ExitFact(pk, household, exited, destination, transferred, True, programme)
            for pk, household, exited, destination, transferred, programme in rows
        ],
        follow_ups=[rules.FollowUpFact(*row) for row in follow_ups],
        entries=[rules.EntryFact(*row) for row in entries],
    )


def report_outcome_facts(organisation, programme_ids, start, end):
    """The facts of the activity report's `outcomes` section for [start, end]: the stays
    whose 12-month anniversary (`exited_on + 365`) falls in the period."""
    days = datetime.timedelta(days=rules.TWELVE_MONTHS.target)
    return load_outcome_facts(organisation, programme_ids, start - days, end - days)


def programmes_of(organisation):
    return Programme.objects.filter(organisation=organisation).order_by("name")
