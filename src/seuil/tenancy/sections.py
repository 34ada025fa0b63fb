"""What the tenancy adds to the pages of the apps below (registered in `TenancyConfig.ready`):
the "Compte du ménage" section of a household's file (slot ``household_sections``), the
"Gestion locative" section of a unit's page (slot ``unit_sections``) and the item of the
main navigation. Nothing for a user who may not see the tenancy."""

from django.utils import timezone

from seuil.housing.enums import ManagementMode
from seuil.housing.models import Stay

from . import permissions, services
from .models import Inspection, Insurance, Repair, SubLease


def navigation(request):
    if request is None or not permissions.can_view_tenancy(request.user):
        return None
    return {}


def _offer(user, stay):
    """The stay whose sub-lease the user may set up now, or None."""
    if (
        stay is None
        or not permissions.can_change_tenancy(user)
        or stay.organisation_id != user.organisation_id
        or stay.unit.management_mode == ManagementMode.MANDATE
        or SubLease.objects.filter(stay=stay).exists()
    ):
        return None
    return stay


def household_account(request, household):
    """The household's sub-leases with their balance and arrears today, and the link to set
    up the sub-lease of its current stay."""
    user = request.user
    if not permissions.can_view_tenancy(user):
        return None
    today = timezone.localdate()
    sub_leases = (
        SubLease.objects.of_household(household, user)
        .select_related("stay__unit")
        .order_by("-signed_on")
    )
    leases = list(sub_leases)
    # No sub-lease, no balance to compute (the statement and its settings skipped).
    standings = services.standings(sub_leases, today) if leases else {}
    # Its stay in the user's organisation today, among those the file loaded with their unit.
    current = next(
        (
            stay
            for stay in household.stays.all()
            if stay.is_present_on(today) and stay.organisation_id == user.organisation_id
        ),
        None,
    )
    accounts = [(s, standings.get(s.pk)) for s in leases]
    offer = _offer(user, current)
    insurances = list(Insurance.objects.of_household(household, user))
    inspections = list(
        Inspection.objects.of_household(household, user)
        .select_related("unit")
        .order_by("-done_on", "-pk")
    )
    can_change = permissions.can_change_tenancy(user) and (
        household.organisation_id == user.organisation_id
    )
    if not accounts and offer is None and not insurances and not inspections and not can_change:
        return None
    return {
        "accounts": accounts,
        "offer_stay": offer,
        "today": today,
        "insurance": insurances[0] if insurances else None,
        "insurance_late": bool(insurances) and insurances[0].expires_on < today,
        "inspections": inspections,
        "can_change": can_change,
    }


def unit_tenancy(request, unit):
    """The sub-lease of the unit's current stay (rent today, balance), its inspections, its
    repairs and the links to record them or to set up the sub-lease."""
    user = request.user
    if not permissions.can_view_tenancy(user) or unit.organisation_id != user.organisation_id:
        return None
    today = timezone.localdate()
    current = Stay.objects.present_on(today).filter(unit=unit).select_related("unit").first()
    sub_lease = None
    standing = None
    term = None
    if current is not None:
        sub_lease = SubLease.objects.visible_to(user).filter(stay=current).first()
        if sub_lease is not None:
            standing = services.standings(SubLease.objects.filter(pk=sub_lease.pk), today).get(
                sub_lease.pk
            )
            term = sub_lease.term_on(today)
    return {
        "mandate": unit.management_mode == ManagementMode.MANDATE,
        "current_stay": current,
        "sub_lease": sub_lease,
        "standing": standing,
        "term": term,
        "inspections": list(
            Inspection.objects.visible_to(user).filter(unit=unit).order_by("-done_on")
        ),
        "repairs": list(
            Repair.objects.visible_to(user).filter(unit=unit).order_by("-reported_on", "-pk")
        ),
        "offer_stay": _offer(user, current),
        "can_change": permissions.can_change_tenancy(user),
    }
