"""Receivers that keep `Household.head_name` (the list's order) and the list state (its
filters, `list_state`) after a single write; the bulk writes keep them in
`MembershipQuerySet`, `PersonQuerySet` and `LegalStatusQuerySet`."""

from .list_state import refresh_list_state
from .models import Membership, refresh_derived, refresh_head_names, refresh_of_persons


def membership_written(sender, instance, **kwargs):
    """post_save and post_delete of a Membership (not while a backup is loaded: the
    households' head_name and list state are in it)."""
    if kwargs.get("raw"):
        return
    refresh_derived([instance.household_id])


def person_written(sender, instance, created=False, update_fields=None, **kwargs):
    """post_save of a Person: the households it heads follow its names."""
    if kwargs.get("raw") or created:
        return
    if update_fields is not None and "search_name" not in update_fields:
        return
    refresh_head_names(
        Membership.objects.filter(person=instance).values_list("household_id", flat=True)
    )


def legal_status_written(sender, instance, **kwargs):
    """post_save and post_delete of a LegalStatusRecord: the list state of the households
    its person is a member of."""
    if kwargs.get("raw"):
        return
    refresh_of_persons([instance.person_id])


def stay_written(sender, instance, **kwargs):
    """post_save and post_delete of a stay (housing's, which connects it): the list state of
    its household."""
    if kwargs.get("raw"):
        return
    refresh_list_state([instance.household_id])


def household_created(sender, instance, created=False, **kwargs):
    """post_save of a Household: a new one's list state (never housed, no head)."""
    if created and not kwargs.get("raw"):
        refresh_list_state([instance.pk])
