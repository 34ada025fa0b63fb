"""Orientation's parts of the home page (slot ``home_day``, registered in
`OrientationConfig.ready`): the SIAO's day and the landlord's proposals.

Each returns None for a user whose role has nothing there. A few queries, whatever the size
of the lists.
"""

from django.db.models import Count
from django.utils import timezone

from seuil.core.enums import OrganisationKind
from seuil.core.policy import Action, Scope, allows

from .enums import Answer, ProposalStatus, RequestStatus
from .models import CommissionMeeting, Proposal, Referral, Request, Vacancy

SHOWN = 5


def siao_day(request, day=None):
    """For the members of a SIAO: the requests to assess (oldest first), the next
    commission and its agenda, the waiting lists of the households it referred, the open
    vacancies it sees."""
    user = request.user
    organisation = getattr(user, "organisation", None)
    if organisation is None or organisation.kind != OrganisationKind.SIAO:
        return None
    if not allows(user, Action.ASSESS, Scope.OWN):
        return None
    day = day or timezone.localdate()
    to_assess = (
        Request.objects.filter(siao=organisation, status=RequestStatus.RECEIVED)
        .select_related("household")
        .order_by("received_on", "ref")
    )
    meeting = (
        CommissionMeeting.objects.filter(siao=organisation, held_on__gte=day)
        .annotate(requests=Count("agenda_items"))
        .order_by("held_on")
        .first()
    )
    waiting = list(
        Referral.objects.filter(siao=organisation)
        .waiting_on(day)
        .values("programme__uuid", "programme__name", "programme__organisation__name")
        .annotate(households=Count("pk"))
        .order_by("programme__name")
    )
    vacancies = Vacancy.objects.visible_to(user).filter(closed_on__isnull=True)
    return {
        "to_assess": list(to_assess[:SHOWN]),
        "to_assess_count": to_assess.count(),
        "meeting": meeting,
        "waiting": waiting,
        "waiting_count": sum(row["households"] for row in waiting),
        "open_vacancies": vacancies.count(),
    }


def landlord_day(request, day=None):
    """For a landlord: the proposals for its units that await its answer."""
    user = request.user
    if not allows(user, Action.ANSWER_PROPOSAL, Scope.REFERRED):
        return None
    awaiting = (
        Proposal.objects.visible_to(user, Action.VIEW_PROPOSALS)
        .filter(status=ProposalStatus.PROPOSED, landlord_answer=Answer.PENDING)
        .select_related("vacancy__unit")
        .order_by("expires_on", "ref")
    )
    return {"awaiting": list(awaiting)}
