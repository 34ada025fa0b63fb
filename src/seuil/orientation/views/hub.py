"""The orientation hub: what the user may do, with a few counts of its scope."""

from django.shortcuts import render
from django.utils import timezone

from seuil.core.views_policy import policy

from .. import permissions
from ..models import CommissionMeeting, Proposal, Referral, Request, Vacancy


@policy(read=None)  # the counts of the user's own scope only
def index(request):
    """The orientation hub: what the user may do, with a few counts of its scope."""
    user = request.user
    today = timezone.localdate()
    counts = {}
    if permissions.can_view_requests(user):
        counts["requests"] = Request.objects.visible_to(user).in_progress().count()
    if permissions.can_view_commissions(user):
        counts["meetings"] = (
            CommissionMeeting.objects.visible_to(user).filter(held_on__gte=today).count()
        )
    if permissions.can_view_waiting_lists(user):
        counts["waiting"] = Referral.objects.visible_to(user).waiting_on(today).count()
    if permissions.can_view_vacancies(user):
        counts["vacancies"] = (
            Vacancy.objects.visible_to(user).filter(closed_on__isnull=True).count()
        )
    if permissions.can_view_proposals(user):
        counts["proposals"] = Proposal.objects.visible_to(user).filter(status="proposed").count()
    return render(request, "orientation/index.html", {"counts": counts, "today": today})
