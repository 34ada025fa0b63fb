"""How orientation pages find their objects: within the user's scope for the page's very
action (`seuil.core.pages.object_or_404`: `visible_to(user, action)`, 404 outside it), and
the user's SIAO."""

from seuil.core.enums import OrganisationKind
from seuil.core.pages import object_or_404

from ..models import CommissionMeeting, Proposal, Request, Vacancy
from .pages import MEMBERS


def user_siao(user):
    """The user's organisation if it is a SIAO, else None."""
    organisation = user.organisation
    if organisation is not None and organisation.kind == OrganisationKind.SIAO:
        return organisation
    return None


def request_for(request, uuid, action):
    return object_or_404(
        request,
        Request.objects.select_related(
            "siao", "household", "household__organisation"
        ).prefetch_related(MEMBERS, "assessments__author"),
        uuid,
        action,
    )


def meeting_for(request, uuid, action):
    return object_or_404(request, CommissionMeeting.objects.select_related("siao"), uuid, action)


def vacancy_for(request, uuid, action):
    return object_or_404(
        request,
        Vacancy.objects.select_related(
            "unit__programme__organisation", "unit__landlord", "unit__organisation", "unit__sector"
        ),
        uuid,
        action,
    )


def proposal_for(request, uuid, action):
    return object_or_404(
        request,
        Proposal.objects.select_related(
            "vacancy__unit__landlord",
            "vacancy__unit__programme",
            "vacancy__unit__sector",
            "referral__household",
            "referral__programme__organisation",
            "referral__request",
            "referral__siao",
            "stay",
        ),
        uuid,
        action,
    )
