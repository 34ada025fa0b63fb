"""How orientation pages find their objects: within the user's scope for the page's very
action (`visible_to(user, action)`, 404 outside it), and the user's SIAO."""

import uuid as uuid_module

from django.shortcuts import get_object_or_404

from seuil.core.enums import OrganisationKind

from ..models import CommissionMeeting, Proposal, Request, Vacancy
from .pages import MEMBERS


def is_uuid(value):
    try:
        uuid_module.UUID(str(value))
    except ValueError:
        return False
    return True


def user_siao(user):
    """The user's organisation if it is a SIAO, else None."""
    organisation = user.organisation
    if organisation is not None and organisation.kind == OrganisationKind.SIAO:
        return organisation
    return None


def request_for(request, uuid, action):
    return get_object_or_404(
        Request.objects.visible_to(request.user, action)
        .select_related("siao", "household", "household__organisation")
        .prefetch_related(MEMBERS, "assessments__author"),
        uuid=uuid,
    )


def meeting_for(request, uuid, action):
    return get_object_or_404(
        CommissionMeeting.objects.visible_to(request.user, action).select_related("siao"),
        uuid=uuid,
    )


def vacancy_for(request, uuid, action):
    return get_object_or_404(
        Vacancy.objects.visible_to(request.user, action).select_related(
            "unit__programme__organisation", "unit__landlord", "unit__organisation", "unit__sector"
        ),
        uuid=uuid,
    )


def proposal_for(request, uuid, action):
    return get_object_or_404(
        Proposal.objects.visible_to(request.user, action).select_related(
            "vacancy__unit__landlord",
            "vacancy__unit__programme",
            "vacancy__unit__sector",
            "referral__household",
            "referral__programme__organisation",
            "referral__request",
            "referral__siao",
            "stay",
        ),
        uuid=uuid,
    )
