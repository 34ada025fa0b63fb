"""The `support` section of the activity report (DOMAIN.md §4 item 7, EXCHANGE.md §2.1),
computed from plain facts.

`support_section(facts, start, end)` gives, for the period [start, end] (both days
included), over the stays in scope (`reports.facts.load_support` loads them, with their
contracts and the households' contacts and objectives):

- `contracts_signed`, `amendments_signed`: contracts of those stays, and their amendments,
  signed in the period;
- `mean_days_entry_to_contract`: over the contracts signed in the period, the mean of
  (`signed_on` − the stay's `entered_on`) in days, one decimal (null when none);
  `contracts_signed_late`: those where it exceeds 30 days;
- `present_without_contract`: households present at `end` whose stay has no contract in
  force at `end` (`seuil.support.rules.in_force_on`: signed on or before `end`, started,
  not ended as known on `end`);
- `contacts`: contacts that took place with `on` in the period, on a day the household is
  present in a stay in scope, by kind (every kind listed); `households_visited_at_home`:
  the distinct households with a home visit or a joint home visit among them;
- `objectives`: objectives of households present in a stay in scope on the objective's
  `set_on`: `set` in the period by domain, `closed` in the period by outcome (every code
  listed).

Presence follows the report's rule: a stay is present on D when `entered_on <= D` and it
has not exited on or before D.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from seuil.core.numbers import round_half_up
from seuil.support import rules
from seuil.support.enums import HOME_VISITS, ContactKind, ObjectiveDomain, ObjectiveOutcome

CONTACT_KINDS = tuple(ContactKind.values)
DOMAINS = tuple(ObjectiveDomain.values)
OUTCOMES = tuple(ObjectiveOutcome.values)


@dataclass(frozen=True, slots=True)
class StayFact:
    id: int
    household_id: int
    entered_on: datetime.date
    exited_on: datetime.date | None = None

    def present_on(self, day):
        return self.entered_on <= day and (self.exited_on is None or self.exited_on > day)


@dataclass(frozen=True, slots=True)
class ContractFact:
    stay_id: int
    signed_on: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date
    amendments: tuple = ()  # (signed_on, ends_on) pairs


@dataclass(frozen=True, slots=True)
class ContactFact:
    household_id: int
    on: datetime.date
    kind: str


@dataclass(frozen=True, slots=True)
class ObjectiveFact:
    household_id: int
    domain: str
    set_on: datetime.date
    closed_on: datetime.date | None = None
    outcome: str = ""


@dataclass
class SupportFacts:
    stays: list[StayFact] = field(default_factory=list)  # the stays in scope
    contracts: list[ContractFact] = field(default_factory=list)
    contacts: list[ContactFact] = field(default_factory=list)  # those that took place
    objectives: list[ObjectiveFact] = field(default_factory=list)


def support_section(facts, start, end):
    """The `support` section (a dict) of `facts` for [start, end]."""

    def within(day):
        return day is not None and start <= day <= end

    stays = {s.id: s for s in facts.stays}
    # Each household's stays as (entered_on, exited_on) pairs: presence is tested once per
    # contact and objective (millions at national scale), in plain comparisons.
    spans_of = defaultdict(list)
    for stay in facts.stays:
        spans_of[stay.household_id].append((stay.entered_on, stay.exited_on))

    def present(household_id, day):
        for entered_on, exited_on in spans_of.get(household_id, ()):
            if entered_on <= day and (exited_on is None or exited_on > day):
                return True
        return False

    contracts = [c for c in facts.contracts if c.stay_id in stays]
    signed = [c for c in contracts if within(c.signed_on)]
    delays = [
        rules.days_entry_to_contract(stays[c.stay_id].entered_on, c.signed_on) for c in signed
    ]
    contracts_of = defaultdict(list)
    for contract in contracts:
        contracts_of[contract.stay_id].append(contract)
    present_at_end = defaultdict(list)
    for stay in facts.stays:
        if stay.present_on(end):
            present_at_end[stay.household_id].append(stay)
    without = sum(
        1
        for household_stays in present_at_end.values()
        if not any(
            rules.in_force_on(c.signed_on, c.starts_on, c.ends_on, c.amendments, end)
            for stay in household_stays
            for c in contracts_of[stay.id]
        )
    )

    contacts = dict.fromkeys(CONTACT_KINDS, 0)
    visited = set()
    home_visits = frozenset(HOME_VISITS)
    no_spans = ()
    for contact in facts.contacts:
        on, kind = contact.on, contact.kind
        if not (start <= on <= end) or kind not in contacts:
            continue
        # `present(contact.household_id, on)`, inlined: this loop is the section's cost.
        for entered_on, exited_on in spans_of.get(contact.household_id, no_spans):
            if entered_on <= on and (exited_on is None or exited_on > on):
                contacts[kind] += 1
                if kind in home_visits:
                    visited.add(contact.household_id)
                break

    set_by_domain = dict.fromkeys(DOMAINS, 0)
    closed_by_outcome = dict.fromkeys(OUTCOMES, 0)
    for objective in facts.objectives:
        if not present(objective.household_id, objective.set_on):
            continue
        if within(objective.set_on) and objective.domain in set_by_domain:
            set_by_domain[objective.domain] += 1
        if within(objective.closed_on) and objective.outcome in closed_by_outcome:
            closed_by_outcome[objective.outcome] += 1

    return {
        "contracts_signed": len(signed),
        "amendments_signed": sum(1 for c in contracts for s, _ in c.amendments if within(s)),
        "mean_days_entry_to_contract": (
            round_half_up(sum(delays), len(delays), 1) if delays else None
        ),
        "contracts_signed_late": sum(1 for d in delays if d > rules.LATE_SIGNATURE_DAYS),
        "present_without_contract": without,
        "contacts": contacts,
        "households_visited_at_home": len(visited),
        "objectives": {"set": set_by_domain, "closed": closed_by_outcome},
    }


def support_checks(section):
    """(name, ok) of the section's own checks."""
    return [
        (
            "support.late contracts within contracts signed",
            section["contracts_signed_late"] <= section["contracts_signed"],
        ),
        (
            "support.households visited at home within home visits",
            section["households_visited_at_home"]
            <= sum(section["contacts"][kind] for kind in HOME_VISITS),
        ),
    ]


# ---------------------------------------------------------------- French labels

CONTACT_LABELS = dict(ContactKind.choices)
DOMAIN_LABELS = dict(ObjectiveDomain.choices)
OUTCOME_LABELS = dict(ObjectiveOutcome.choices)


def figure_rows(section):
    """[(French label, value)] of the section's headline figures (a mean may be None)."""
    return [
        ("Contrats d'accompagnement signés", section["contracts_signed"]),
        ("Avenants signés", section["amendments_signed"]),
        (
            "Délai moyen de l'entrée à la signature du contrat (jours)",
            section["mean_days_entry_to_contract"],
        ),
        (
            f"Contrats signés plus de {rules.LATE_SIGNATURE_DAYS} jours après l'entrée",
            section["contracts_signed_late"],
        ),
        (
            "Ménages présents en fin de période sans contrat en cours",
            section["present_without_contract"],
        ),
        ("Ménages rencontrés à domicile", section["households_visited_at_home"]),
    ]


def contact_rows(section):
    return [(CONTACT_LABELS[code], count) for code, count in section["contacts"].items()]


def objective_set_rows(section):
    return [(DOMAIN_LABELS[code], count) for code, count in section["objectives"]["set"].items()]


def objective_closed_rows(section):
    return [
        (OUTCOME_LABELS[code], count) for code, count in section["objectives"]["closed"].items()
    ]
