"""The breadcrumb of the household pages and the return to the household's file."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


def household_crumbs(household=None):
    """(URL, label) pairs above a page of `household` (or of the household list)."""
    crumbs = [(reverse("households:list"), "Ménages")]
    if household is not None:
        crumbs.append((household.get_absolute_url(), str(household)))
    return crumbs


def to_file(request, household, message):
    messages.success(request, message)
    return redirect("households:detail", uuid=household.uuid)
