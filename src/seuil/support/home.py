"""Support's part of the home page (slot ``home_day``, registered in `SupportConfig.ready`):
the households the user is referent of, with their last contact and their next appointment."""

from django.db.models import Max, Min
from django.utils import timezone

from seuil.core.policy import Action, Scope, allows

from .enums import ContactStatus
from .models import Contact, Referent


def my_households(request, day=None):
    """For a social worker: the households it is (main or second) referent of today."""
    user = request.user
    if not allows(user, Action.CHANGE_SUPPORT, Scope.OWN):
        return None
    day = day or timezone.localdate()
    referents = list(
        Referent.objects.filter(worker=user)
        .on(day)
        .select_related("household")
        .order_by("household__ref")
    )
    if not referents:
        return None
    households = [r.household_id for r in referents]
    contacts = Contact.objects.filter(household__in=households)
    last = dict(
        contacts.filter(status=ContactStatus.DONE, on__lte=day)
        .values("household_id")
        .annotate(on=Max("on"))
        .values_list("household_id", "on")
    )
    following = dict(
        contacts.filter(status=ContactStatus.PLANNED, on__gte=day)
        .values("household_id")
        .annotate(on=Min("on"))
        .values_list("household_id", "on")
    )
    return {
        "followed": [
            (r, last.get(r.household_id), following.get(r.household_id)) for r in referents
        ]
    }
