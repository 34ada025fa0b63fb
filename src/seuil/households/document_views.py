"""Documents of a household's file: attached to the household or to one of its members.

Reading needs VIEW_HOUSEHOLDS and changing CHANGE_HOUSEHOLDS (`@policy`), and a document is
reached through `HouseholdDocument.objects.visible_to` only: the organisation holding the
file, never a linked or consented one (another organisation → 404). The rules of a document
(content checks, encryption, storage, audit) are `core.documents` and
`core.document_pages`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from seuil.core import document_pages
from seuil.core.documents import DocumentKind
from seuil.core.pages import object_or_404
from seuil.core.policy import Action, Scope, scope_of
from seuil.core.views_policy import policy

from .models import Household, HouseholdDocument
from .pages import household_crumbs

# The kinds of documents of a household's file (those of a unit or a stay are housing's).
HOUSEHOLD_KINDS = (
    DocumentKind.IDENTITY,
    DocumentKind.RESIDENCE_PERMIT,
    DocumentKind.CAF_CERTIFICATE,
    DocumentKind.LEASE,
    DocumentKind.OTHER,
)
WHOLE_HOUSEHOLD = "household"


def documents_of(user, household):
    """The documents of `household` that `user` may read; None for a user who reads none
    (another organisation, linked or consented; a psychologist), whose page leaves the
    section out."""
    if household.organisation_id != user.organisation_id or scope_of(
        user, Action.VIEW_HOUSEHOLDS
    ) not in (Scope.OWN, Scope.LINKED):
        return None
    return list(
        HouseholdDocument.objects.of_household(
            household, user, Action.VIEW_HOUSEHOLDS
        ).select_related("person")
    )


def _about_choices(household):
    members = [m for m in household.memberships.select_related("person") if m.left_on is None]
    return [(WHOLE_HOUSEHOLD, "Le ménage")] + [
        (str(m.person.uuid), m.person.full_name) for m in members
    ]


def _document(request, uuid, document):
    household = object_or_404(request, Household, uuid)
    found = (
        HouseholdDocument.objects.visible_to(request.user, Action.VIEW_HOUSEHOLDS)
        .filter(household=household, uuid=document)
        .select_related("person")
        .first()
    )
    if found is None:
        raise Http404
    return household, found


@policy(Action.CHANGE_HOUSEHOLDS)
def document_add(request, uuid):
    household = object_or_404(request, Household, uuid)
    about = _about_choices(household)
    form = document_pages.DocumentForm(
        request.POST or None,
        request.FILES or None,
        kinds=HOUSEHOLD_KINDS,
        about=about,
        initial={"about": request.GET.get("personne", WHOLE_HOUSEHOLD)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["about"] or WHOLE_HOUSEHOLD
        person = None
        if chosen != WHOLE_HOUSEHOLD:
            person = next(
                m.person
                for m in household.memberships.select_related("person")
                if str(m.person.uuid) == chosen
            )
        document = HouseholdDocument(household=household, person=person)
        document_pages.attach(document, form, by=request.user, household=household)
        messages.success(request, f"Le document « {document.original_name} » a été déposé.")
        return redirect(reverse("households:detail", args=[household.uuid]) + "#documents")
    return document_pages.upload_page(
        request, form, title="Déposer un document", crumbs=household_crumbs(household)
    )


@policy(read=Action.VIEW_HOUSEHOLDS)
@require_GET
def document_download(request, uuid, document):
    _household, document = _document(request, uuid, document)
    return document_pages.serve(request, document)


@policy(Action.CHANGE_HOUSEHOLDS)
def document_delete(request, uuid, document):
    household, document = _document(request, uuid, document)
    if request.method == "POST":
        name = document.original_name
        document_pages.remove(document, by=request.user, household=household)
        messages.success(request, f"Le document « {name} » a été supprimé.")
        return redirect(reverse("households:detail", args=[household.uuid]) + "#documents")
    return document_pages.confirm_delete_page(request, document, crumbs=household_crumbs(household))
