"""The households app's part of the home page (slot ``home_day``, registered in
`HouseholdsConfig.ready`): the households referred to a psychologist."""

from django.utils import timezone

from seuil.core.enums import Role

from .models import ClinicalReferral


def referred_households(request, day=None):
    """For a psychologist: the households referred to them today, most recent first."""
    user = request.user
    if getattr(user, "role", None) != Role.PSYCHOLOGIST:
        return None
    day = day or timezone.localdate()
    referrals = (
        ClinicalReferral.objects.filter(psychologist=user)
        .active_on(day)
        .select_related("household")
        .order_by("-referred_on", "-id")
    )
    return {"referrals": list(referrals)}
