"""The breadcrumb of the household pages, the return to the household's file, and the one
page that corrects or deletes a dated record of a household (its reason kept)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse

from seuil.core.audit import record_access
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page

from .forms import ReasonForm


def household_crumbs(household=None):
    """(URL, label) pairs above a page of `household` (or of the household list)."""
    crumbs = [(reverse("households:list"), "Ménages")]
    if household is not None:
        crumbs.append((household.get_absolute_url(), str(household)))
    return crumbs


def to_file(request, household, message, *, section=""):
    """Back to `household`'s file (at its `section` anchor, « #… »), saying `message`."""
    messages.success(request, message)
    return redirect(reverse("households:detail", args=[household.uuid]) + section)


def record_page(request, record, household, form, *, save, done, section="", **page):
    """The page correcting or deleting `record` of `household`: `form` (its reason included)
    until `save(form)` goes through the service, then the file (at `section`) saying `done`.
    `page` holds the words of the form page: `title`, `intro`, `submit`. Showing the record
    is a read of the household's file, recorded as such."""
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: save(form)):
            return to_file(request, household, done, section=section)
    if request.method != "POST":
        with transaction.atomic():
            record_access(request.user, AccessLog.Action.VIEW, record)
    return form_page(request, form, crumbs=household_crumbs(household), **page)


def deletion_page(request, record, household, *, delete, **page):
    """The page deleting `record`: only the reason is asked, then `delete(reason=…)`."""
    return record_page(
        request,
        record,
        household,
        ReasonForm(request.POST or None),
        save=lambda form: delete(reason=form.cleaned_data["reason"]),
        **page,
    )
