"""What several orientation pages share: the breadcrumb, the list size, the household's
members to prefetch, the household's consents, what an assessment says of a unit."""

from django.db.models import Prefetch
from django.urls import reverse

from seuil.households.models import Consent, Membership

from .. import costs

PAGE_SIZE = 50
MEMBERS = Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))


def crumbs(*links):
    """The breadcrumb above an orientation page (`seuil.core.pages.form_page`'s `crumbs`):
    "Orientation", then `links`, (URL, label) pairs."""
    return [(reverse("orientation:index"), "Orientation"), *links]


def consents_of(household, today):
    """The social-note consents of the household: who may read its note beyond its file."""
    consents = Consent.objects.filter(
        household=household, scope__in=["social_note", "mobility_file"]
    )
    return [(c, c.status_on(today)) for c in consents.select_related("recipient")]


def unit_fit(assessment, unit):
    """What the assessment says of this unit, item by item: [(label, True/False/None)]."""
    if assessment is None:
        return []
    monthly = costs.monthly_amount(unit.rent, unit.charges)
    territory = unit.department or ""
    wished = [t.casefold() for t in assessment.wished_territories]
    places = {territory.casefold(), (unit.sector.name if unit.sector else "").casefold()} - {""}
    rank = next((i + 1 for i, t in enumerate(wished) if t in places), None)
    shared = unit.typology == "room"
    return [
        (
            "Typologie souhaitée",
            unit.typology in assessment.wished_typologies if assessment.wished_typologies else None,
        ),
        (
            "Loyer supportable",
            monthly <= assessment.bearable_rent
            if monthly is not None and assessment.bearable_rent is not None
            else None,
        ),
        (
            "Accessibilité",
            unit.accessible if assessment.needs_accessible else True,
        ),
        ("Colocation acceptée", assessment.accepts_shared if shared else True),
        (
            f"Territoire souhaité{f' (choix n° {rank})' if rank else ''}",
            rank is not None if wished else None,
        ),
    ]
