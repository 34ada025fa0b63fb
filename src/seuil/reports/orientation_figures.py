"""The `orientation` section of the activity report, computed from plain facts (no Django).

`orientation_section(facts, start, end)` returns, for the period [start, end] (both days
included), the figures defined in docs/orientation.md ("Chiffres de l'orientation"). The
facts are already restricted to the report's organisation by `reports.facts.load_orientation`
(which documents who belongs to it); this module only applies the dates:

- `requests_received`: requests whose `received_on` is in the period;
- `admitted`, `refused_by_reason`, `postponed`: commission decisions whose `decided_on` is
  in the period, by outcome (`refused_by_reason` lists every reason code, zeros included,
  plus `unknown` for a refusal without a known reason);
- `withdrawn`: referrals that left the waiting list without entry (status `withdrawn`) with
  `closed_on` in the period;
- `waiting_at_end`: referrals on a waiting list on `end` (admitted on or before it, not
  closed on or before it), as `Referral.objects.waiting_on(end)`;
- `mean_days_admission_to_entry`: over the referrals housed with an entry date in the
  period, the mean of (entry date - `admitted_on`) in days, one decimal, null when none;
- `mean_vacancy_days`: over the vacancies closed in the period, the mean of
  (`closed_on` - `opened_on`) in days, one decimal, null when none.

A refused or expired proposal changes none of these figures (the household stays on the
list, counted in `waiting_at_end`); a withdrawal takes it off the list (`withdrawn`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from seuil.core.numbers import round_half_up

REFUSAL_REASONS = (
    "incomplete_file",
    "not_eligible",
    "no_rights",
    "already_housed",
    "refused_by_household",
    "no_place",
    "other",
)
ADMITTED, REFUSED, POSTPONED = "admitted", "refused", "postponed"
HOUSED, WITHDRAWN = "housed", "withdrawn"


@dataclass(frozen=True, slots=True)
class RequestFact:
    id: int
    received_on: datetime.date


@dataclass(frozen=True, slots=True)
class DecisionFact:
    id: int
    decided_on: datetime.date
    outcome: str
    refusal_reason: str = ""


@dataclass(frozen=True, slots=True)
class ReferralFact:
    id: int
    admitted_on: datetime.date
    status: str = "waiting"
    closed_on: datetime.date | None = None
    entered_on: datetime.date | None = None  # the entry of a housed referral


@dataclass(frozen=True, slots=True)
class VacancyFact:
    id: int
    opened_on: datetime.date
    closed_on: datetime.date | None = None


@dataclass
class OrientationFacts:
    requests: list[RequestFact] = field(default_factory=list)
    decisions: list[DecisionFact] = field(default_factory=list)
    referrals: list[ReferralFact] = field(default_factory=list)
    vacancies: list[VacancyFact] = field(default_factory=list)


def _mean_days(durations):
    durations = list(durations)
    if not durations:
        return None
    return round_half_up(sum(durations), len(durations), 1)


def orientation_section(facts, start, end):
    """The `orientation` section (a dict) of `facts` for [start, end]."""

    def within(day):
        return day is not None and start <= day <= end

    decisions = [d for d in facts.decisions if within(d.decided_on)]
    refused = dict.fromkeys(REFUSAL_REASONS, 0)
    refused["unknown"] = 0
    for decision in decisions:
        if decision.outcome == REFUSED:
            reason = decision.refusal_reason if decision.refusal_reason in refused else "unknown"
            refused[reason] += 1
    housed = [
        r for r in facts.referrals if r.status == HOUSED and within(r.entered_on or r.closed_on)
    ]
    closed_vacancies = [v for v in facts.vacancies if within(v.closed_on)]
    return {
        "requests_received": sum(1 for r in facts.requests if within(r.received_on)),
        "admitted": sum(1 for d in decisions if d.outcome == ADMITTED),
        "refused": sum(refused.values()),
        "refused_by_reason": refused,
        "postponed": sum(1 for d in decisions if d.outcome == POSTPONED),
        "withdrawn": sum(
            1 for r in facts.referrals if r.status == WITHDRAWN and within(r.closed_on)
        ),
        "waiting_at_end": sum(
            1
            for r in facts.referrals
            if r.admitted_on <= end and (r.closed_on is None or r.closed_on > end)
        ),
        "housed": len(housed),
        "mean_days_admission_to_entry": _mean_days(
            ((r.entered_on or r.closed_on) - r.admitted_on).days for r in housed
        ),
        "vacancies_closed": len(closed_vacancies),
        "mean_vacancy_days": _mean_days((v.closed_on - v.opened_on).days for v in closed_vacancies),
    }


# ---------------------------------------------------------------- French labels

REFUSAL_REASON_LABELS = {
    "incomplete_file": "Dossier incomplet",
    "not_eligible": "Ne relève pas des dispositifs proposés",
    "no_rights": "Droits au séjour ou ressources non ouverts",
    "already_housed": "Déjà logé",
    "refused_by_household": "Refus du ménage",
    "no_place": "Pas de place adaptée dans les dispositifs",
    "other": "Autre motif",
    "unknown": "Motif non renseigné",
}


def figure_rows(section):
    """[(French label, value)] of the section's headline figures (a mean may be None)."""
    return [
        ("Demandes reçues", section["requests_received"]),
        ("Admissions en commission", section["admitted"]),
        ("Refus en commission", section["refused"]),
        ("Ajournements en commission", section["postponed"]),
        ("Sorties de liste d'attente sans entrée", section["withdrawn"]),
        ("Ménages en liste d'attente en fin de période", section["waiting_at_end"]),
        ("Ménages entrés depuis une liste d'attente", section["housed"]),
        (
            "Délai moyen de l'admission à l'entrée (jours)",
            section["mean_days_admission_to_entry"],
        ),
        ("Vacances closes pendant la période", section["vacancies_closed"]),
        ("Durée moyenne des vacances closes (jours)", section["mean_vacancy_days"]),
    ]


def refusal_rows(section):
    """[(French label, count)] of the refusals by reason, every reason listed."""
    return [
        (REFUSAL_REASON_LABELS.get(code, code), count)
        for code, count in section["refused_by_reason"].items()
    ]
