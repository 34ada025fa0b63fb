"""Objectives proposed from the needs of the household's last SIAO assessment: the one
mapping from a need (`orientation.enums.SupportNeed`) to an objective domain
(`ObjectiveDomain`, the codes of the exchange file). A proposal is only a proposal: the
worker confirms which objectives to set (`services.seed_objectives`); nothing is created
at the entry itself, which only tells the referents (`notices.objectives_to_propose`)."""

from dataclasses import dataclass

from seuil.orientation.enums import SupportNeed
from seuil.orientation.models import Assessment

from .enums import ObjectiveDomain
from .models import Objective

# Each need of the SIAO's assessment → the domain of the objective it calls for.
NEED_DOMAINS = {
    SupportNeed.RIGHTS: ObjectiveDomain.ADMINISTRATIVE,
    SupportNeed.BUDGET: ObjectiveDomain.BUDGET,
    SupportNeed.HOUSING_SKILLS: ObjectiveDomain.HOUSING,
    SupportNeed.EMPLOYMENT: ObjectiveDomain.EMPLOYMENT,
    SupportNeed.FRENCH: ObjectiveDomain.FRENCH,
    SupportNeed.HEALTH_ACCESS: ObjectiveDomain.HEALTH,
    SupportNeed.PARENTING: ObjectiveDomain.PARENTING,
    SupportNeed.FAMILY_REUNIFICATION: ObjectiveDomain.FAMILY_REUNIFICATION,
    SupportNeed.MOBILITY: ObjectiveDomain.MOBILITY,
}
# Needs deliberately proposing no objective, each with the reason (none today).
LEFT_OUT = {}


@dataclass(frozen=True)
class Proposal:
    domain: str
    label: str  # the domain's French label
    needs: tuple  # the French labels of the needs behind it
    already_open: bool  # an objective of this domain is already in progress


def last_assessment(household):
    """The household's last assessment (any of its requests), None when it has none."""
    return (
        Assessment.objects.filter(request__household=household)
        .select_related("request")
        .order_by("-assessed_on", "-pk")
        .first()
    )


def proposals(household, assessment=None):
    """The objectives the assessment's needs call for, one per domain, in the domains'
    order; those already in progress marked (not proposed again by default)."""
    assessment = assessment or last_assessment(household)
    if assessment is None:
        return []
    needs = {}
    for code in assessment.needs or []:
        domain = NEED_DOMAINS.get(code)
        if domain is None:
            continue
        needs.setdefault(domain, []).append(SupportNeed(code).label)
    open_domains = set(
        Objective.objects.filter(household=household, closed_on__isnull=True).values_list(
            "domain", flat=True
        )
    )
    return [
        Proposal(domain.value, domain.label, tuple(needs[domain]), domain in open_domains)
        for domain in ObjectiveDomain
        if domain in needs
    ]


def to_propose(household):
    """The proposals not yet covered by an objective in progress."""
    return [p for p in proposals(household) if not p.already_open]
