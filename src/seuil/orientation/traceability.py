"""How the household's traceability pages name its orientation records (registered in
`OrientationConfig.ready` through `households.traceability.register_traced`)."""

from .models import Assessment, Proposal, Referral, ReferralDecision, Request

TRACED = [
    (
        "request",
        Request,
        ("siao",),
        lambda o: f"Demande d'orientation {o.ref} ({o.siao.name})",
        "household",
    ),
    (
        "assessment",
        Assessment,
        (),
        lambda o: f"Évaluation sociale du {o.assessed_on:%d/%m/%Y}",
        "request__household",
    ),
    (
        "referraldecision",
        ReferralDecision,
        (),
        lambda o: (
            f"Décision de la commission du {o.decided_on:%d/%m/%Y} : "
            f"{o.get_outcome_display().lower()}"
        ),
        "request__household",
    ),
    (
        "referral",
        Referral,
        ("programme",),
        lambda o: f"Orientation {o.ref} vers {o.programme.name} (liste d'attente)",
        "household",
    ),
    (
        "proposal",
        Proposal,
        ("vacancy__unit",),
        lambda o: f"Proposition {o.ref} du logement {o.vacancy.unit.ref}",
        "referral__household",
    ),
]
