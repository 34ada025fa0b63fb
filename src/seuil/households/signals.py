"""Receivers that keep `Household.head_name` (the list's order) after a single write; the
bulk writes keep it in `MembershipQuerySet` and `PersonQuerySet`."""

from .models import Membership, refresh_head_names


def membership_written(sender, instance, **kwargs):
    """post_save and post_delete of a Membership (not while a backup is loaded: the
    households' head_name is in it)."""
    if kwargs.get("raw"):
        return
    refresh_head_names([instance.household_id])


def person_written(sender, instance, created=False, update_fields=None, **kwargs):
    """post_save of a Person: the households it heads follow its last name."""
    if kwargs.get("raw") or created:
        return
    if update_fields is not None and "last_name" not in update_fields:
        return
    refresh_head_names(
        Membership.objects.filter(person=instance).values_list("household_id", flat=True)
    )
