"""The outcomes of an organisation's exits, loaded from the database in three queries.

`load_outcome_facts(organisation, programme_ids, exited_from, exited_to)` reads the plain
facts that `seuil.outcomes.rules` counts: the stays of the organisation (of the programmes
named, all of them when none is) that ended from `exited_from` to `exited_to`, their
follow-ups, and the entries into any stay of the organisation of their households after
the first of those exits (a return). The activity report's `outcomes` section and the
outcomes page both read them.
"""

import collections
import dataclasses
import datetime

from django.db.models import Q

from seuil.housing.models import Programme, Stay

from . import rules
from .models import FollowUp


def load_outcome_facts(organisation, programme_ids, exited_from, exited_to):
    return _load(
        Stay.objects.filter(organisation=organisation), programme_ids, exited_from, exited_to
    )[organisation.pk]


def outcome_facts_by_organisation(organisation_ids, exited_from, exited_to):
    """{organisation id: OutcomeFacts} of several organisations, in the same three queries."""
    by_organisation = _load(
        Stay.objects.filter(organisation__in=organisation_ids), (), exited_from, exited_to
    )
    return {pk: by_organisation[pk] for pk in organisation_ids}


def _load(stays, programme_ids, exited_from, exited_to):
    """{organisation id: OutcomeFacts} of `stays` (a queryset of the organisations' stays);
    an organisation without exits in the range has empty facts."""
    exits = stays.filter(exited_on__range=(exited_from, exited_to))
    if programme_ids:
        exits = exits.filter(programme_id__in=programme_ids)
    rows = list(
        exits.values_list(
            "organisation_id",
            "pk",
            "household_id",
            "exited_on",
            "exit_destination",
            "lease_transferred",
            "programme__ref",
        )
    )
    households = {row[2] for row in rows}
    follow_ups = FollowUp.objects.filter(stay__in=exits.values("pk")).values_list(
        "organisation_id",
        "stay_id",
        "on",
        "housed",
        "same_home",
        "employed",
        "satisfaction",
        "reason_for_leaving",
        "ref",
        "same_commune",
    )
    latest = exited_to + datetime.timedelta(days=max(w.target for w in rules.MILESTONES))
    entries = stays.filter(
        household_id__in=households, entered_on__gt=exited_from, entered_on__lte=latest
    ).values_list("organisation_id", "household_id", "entered_on")
    facts = collections.defaultdict(rules.OutcomeFacts)
    for organisation, pk, household, exited, destination, transferred, programme in rows:
        facts[organisation].exits.append(
            rules.ExitFact(pk, household, exited, destination, transferred, True, programme)
        )
    for organisation, *row in follow_ups:
        facts[organisation].follow_ups.append(rules.FollowUpFact(*row))
    # A return is an entry into another stay of the same organisation.
    for organisation, *row in entries:
        facts[organisation].entries.append(rules.EntryFact(*row))
    return facts


def mobility_outcome_facts(files, day):
    """The facts of the households that `files` (mobility paths) moved: their stays at the
    arrival operator entered on or after the move that ended up to `day`, their follow-ups,
    and their entries into another stay of that operator (a return)."""
    moved = [f for f in files if f.moved_on is not None and f.arrival_id is not None]
    if not moved:
        return rules.OutcomeFacts()
    arrived = Q()
    for file in moved:
        arrived |= Q(
            household_id=file.household_id,
            organisation_id=file.arrival_id,
            entered_on__gte=file.moved_on,
        )
    first = min(f.moved_on for f in moved)
    merged = rules.OutcomeFacts()
    for facts in _load(Stay.objects.filter(arrived), (), first, day).values():
        merged.exits += facts.exits
        merged.follow_ups += facts.follow_ups
        merged.entries += facts.entries
    return merged


def report_outcome_facts(organisation, programme_ids, start, end):
    """The facts of the activity report's `outcomes` section for [start, end]: the stays
    whose 12-month anniversary (`exited_on + 365`) falls in the period."""
    days = datetime.timedelta(days=rules.TWELVE_MONTHS.target)
    return load_outcome_facts(organisation, programme_ids, start - days, end - days)


def programmes_of(organisation):
    return Programme.objects.filter(organisation=organisation).order_by("name")


# ---------------------------------------------------------------- the outcomes page


@dataclasses.dataclass
class MilestoneFigures:
    window: rules.Window
    cohort: int
    followed_up: int
    housed: int
    not_housed: int
    returned: int

    @property
    def retention(self):
        """Housed among those followed up whose answer is known (None: no answer)."""
        known = self.housed + self.not_housed
        return self.housed / known if known else None


@dataclasses.dataclass
class ScopeFigures:
    label: str
    milestones: list
    reasons: dict  # reason code → follow-ups counted at a milestone that give it


def outcome_figures(organisation, start, end):
    """The outcomes of [start, end] for the whole organisation, then each programme: at
    each milestone, its cohort (`exited_on + target` in the period) and what became of it
    (`rules.cohort`), and the reasons for leaving given in the follow-ups that count."""
    targets = [w.target for w in rules.MILESTONES]
    facts = load_outcome_facts(
        organisation,
        (),
        start - datetime.timedelta(days=max(targets)),
        end - datetime.timedelta(days=min(targets)),
    )
    scopes = [("Toute l'organisation", None)] + [
        (programme.name, programme.ref) for programme in programmes_of(organisation)
    ]
    result = []
    for label, ref in scopes:
        scoped = rules.OutcomeFacts(
            exits=[
                dataclasses.replace(e, in_scope=ref is None or e.programme == ref)
                for e in facts.exits
            ],
            follow_ups=facts.follow_ups,
            entries=facts.entries,
        )
        milestones, reasons, counted = [], {}, set()
        for window in rules.MILESTONES:
            outcomes = rules.cohort(scoped, start, end, window)
            milestones.append(MilestoneFigures(window, **rules.figures(outcomes)))
            for outcome in outcomes:
                follow_up = outcome.follow_up
                if follow_up is None or follow_up in counted or not follow_up.reason_for_leaving:
                    continue
                counted.add(follow_up)
                reasons[follow_up.reason_for_leaving] = (
                    reasons.get(follow_up.reason_for_leaving, 0) + 1
                )
        result.append(ScopeFigures(label, milestones, reasons))
    return result
