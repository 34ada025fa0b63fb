"""Support's partner referrals and the person's own path in the right of access
(`privacy/subject_access.py`): kept apart so that the export's main module stays readable.

- `path_section(person, memberships)`: the referrals of the person's households to
  partners made while the person was a member (partner, purpose, result, details), and the
  person's own dated records of employment, training and French level (employer, training
  and assessor included), JSON-ready (dates as ISO strings, codes as in the other lists).
- `presented_path(section)`: the same with French labels and dates, for the PDF.
"""

import datetime

from seuil.support.enums import EmploymentSituation, FrenchLevel, ReferralPurpose, ReferralResult
from seuil.support.models import (
    EmploymentRecord,
    FrenchLevelRecord,
    PartnerReferral,
    TrainingRecord,
)


def _iso(day):
    return day.isoformat() if day else None


def _member_on(membership, day):
    joined, left = membership.joined_on, membership.left_on
    return (joined is None or joined <= day) and (left is None or day < left)


def path_section(person, memberships):
    """{"partner_referrals": [...], "employment": [...], "trainings": [...],
    "french_levels": [...]} of `person`, kept by the person's organisation."""
    organisation = person.organisation_id
    by_household = {}
    for m in memberships:
        by_household.setdefault(m.household_id, []).append(m)
    referrals = (
        PartnerReferral.objects.filter(organisation=organisation, household__in=by_household)
        .select_related("household", "partner")
        .order_by("on", "pk")
    )
    own = {"organisation": organisation, "person": person}
    return {
        "partner_referrals": [
            {
                "household": r.household.ref,
                "on": _iso(r.on),
                "partner": r.partner.name,
                "purpose": r.purpose,
                "result": r.result,
                "result_on": _iso(r.result_on),
                "details": r.details or None,
            }
            for r in referrals
            if any(_member_on(m, r.on) for m in by_household[r.household_id])
        ],
        "employment": [
            {"since": _iso(r.since), "situation": r.situation, "employer": r.employer or None}
            for r in EmploymentRecord.objects.filter(**own).order_by("since", "pk")
        ],
        "trainings": [
            {
                "name": r.name or None,
                "body": r.body.name if r.body else None,
                "starts_on": _iso(r.starts_on),
                "ends_on": _iso(r.ends_on),
            }
            for r in TrainingRecord.objects.filter(**own)
            .select_related("body")
            .order_by("starts_on", "pk")
        ],
        "french_levels": [
            {
                "assessed_on": _iso(r.assessed_on),
                "level": r.level,
                "assessed_by": r.assessed_by or None,
            }
            for r in FrenchLevelRecord.objects.filter(**own).order_by("assessed_on", "pk")
        ],
    }


def _day(iso):
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"


def _label(choices, code):
    return dict(choices).get(code, code) if code else "Non renseigné"


def presented_path(section):
    """The section with French labels and dates."""
    return {
        "partner_referrals": [
            {
                "on": _day(r["on"]),
                "partner": r["partner"],
                "purpose": _label(ReferralPurpose.choices, r["purpose"]),
                "result": _label(ReferralResult.choices, r["result"])
                + (f" le {_day(r['result_on'])}" if r["result_on"] else ""),
                "details": r["details"] or "—",
            }
            for r in section["partner_referrals"]
        ],
        "employment": [
            {
                "since": _day(r["since"]),
                "situation": _label(EmploymentSituation.choices, r["situation"]),
                "employer": r["employer"] or "—",
            }
            for r in section["employment"]
        ],
        "trainings": [
            {
                "name": r["name"] or "—",
                "body": r["body"] or "—",
                "period": f"du {_day(r['starts_on'])} au {_day(r['ends_on'])}"
                if r["ends_on"]
                else f"depuis le {_day(r['starts_on'])}",
            }
            for r in section["trainings"]
        ],
        "french_levels": [
            {
                "assessed_on": _day(r["assessed_on"]),
                "level": _label(FrenchLevel.choices, r["level"]),
                "assessed_by": r["assessed_by"] or "—",
            }
            for r in section["french_levels"]
        ],
    }
