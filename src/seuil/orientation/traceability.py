"""How the household's traceability pages name its orientation records (registered in
`OrientationConfig.ready` through `households.traceability.register_traced`)."""

from .models import Assessment, Proposal, Referral, ReferralDecision, Request


def _uuids(queryset):
    return queryset.values_list("uuid", flat=True)


TRACED = [
    (
        "request",
        Request,
        ("siao",),
        lambda o: f"Demande d'orientation {o.ref} ({o.siao.name})",
        lambda h: _uuids(Request.objects.filter(household=h)),
    ),
    (
        "assessment",
        Assessment,
        (),
        lambda o: f"Évaluation sociale du {o.assessed_on:%d/%m/%Y}",
        lambda h: _uuids(Assessment.objects.filter(request__household=h)),
    ),
    (
        "referraldecision",
        ReferralDecision,
        (),
        lambda o: (
            f"Décision de la commission du {o.decided_on:%d/%m/%Y} : "
            f"{o.get_outcome_display().lower()}"
        ),
        lambda h: _uuids(ReferralDecision.objects.filter(request__household=h)),
    ),
    (
        "referral",
        Referral,
        ("programme",),
        lambda o: f"Orientation {o.ref} vers {o.programme.name} (liste d'attente)",
        lambda h: _uuids(Referral.objects.filter(household=h)),
    ),
    (
        "proposal",
        Proposal,
        ("vacancy__unit",),
        lambda o: f"Proposition {o.ref} du logement {o.vacancy.unit.ref}",
        lambda h: _uuids(Proposal.objects.filter(referral__household=h)),
    ),
]
