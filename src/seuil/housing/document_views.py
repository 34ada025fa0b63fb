"""Documents of a unit (its lease with the landlord, photos) and of a stay (the household's
lease or sub-lease, the inspections).

Reading needs VIEW_UNITS; a unit's documents are filed and deleted with CHANGE_UNITS, a
stay's with CHANGE_STAYS (`@policy`). A document is reached through `HousingDocument.objects
.visible_to` only: the organisation that manages the unit or the stay (another
organisation, a landlord's account → 404). The rules of a document (content checks,
encryption, storage, audit) are `core.documents` and `core.document_pages`.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from seuil.core import document_pages
from seuil.core.documents import DocumentKind
from seuil.core.pages import object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from .models import HousingDocument, HousingUnit, Stay

UNIT_KINDS = (DocumentKind.LEASE, DocumentKind.INSPECTION_PHOTOS, DocumentKind.OTHER)
STAY_KINDS = (
    DocumentKind.LEASE,
    DocumentKind.INSPECTION_PHOTOS,
    DocumentKind.CAF_CERTIFICATE,
    DocumentKind.OTHER,
)


def unit_documents(user, unit):
    return list(HousingDocument.objects.visible_to(user).filter(unit=unit))


def stay_documents(user, stays):
    return list(
        HousingDocument.objects.visible_to(user).filter(stay__in=stays).select_related("stay")
    )


def _unit_crumbs(unit):
    return [
        (reverse("housing:list"), "Logements"),
        (unit.get_absolute_url(), f"Logement {unit.ref}"),
    ]


def _stay_crumbs(stay):
    household = stay.household
    return [(reverse("households:list"), "Ménages"), (household.get_absolute_url(), str(household))]


def _back(document):
    if document.stay_id:
        return (
            reverse("households:detail", args=[document.stay.household.uuid]) + "#documents-sejours"
        )
    return reverse("housing:detail", args=[document.unit.uuid]) + "#documents"


def _save(request, form, document, household):
    document_pages.attach(document, form, by=request.user, household=household)
    messages.success(request, f"Le document « {document.original_name} » a été déposé.")
    return redirect(_back(document))


@policy(Action.CHANGE_UNITS)
def unit_document_add(request, uuid):
    unit = object_or_404(request, HousingUnit, uuid)
    form = document_pages.DocumentForm(
        request.POST or None, request.FILES or None, kinds=UNIT_KINDS
    )
    if request.method == "POST" and form.is_valid():
        document = HousingDocument(organisation=unit.organisation, unit=unit)
        return _save(request, form, document, None)
    return document_pages.upload_page(
        request,
        form,
        title=f"Déposer un document pour le logement {unit.ref}",
        crumbs=_unit_crumbs(unit),
    )


@policy(Action.CHANGE_STAYS)
def stay_document_add(request, stay):
    stay = object_or_404(request, Stay.objects.select_related("household", "unit"), stay)
    form = document_pages.DocumentForm(
        request.POST or None, request.FILES or None, kinds=STAY_KINDS
    )
    if request.method == "POST" and form.is_valid():
        document = HousingDocument(organisation=stay.organisation, stay=stay)
        return _save(request, form, document, stay.household)
    return document_pages.upload_page(
        request,
        form,
        title=f"Déposer un document pour le séjour {stay.ref} (logement {stay.unit.ref})",
        crumbs=_stay_crumbs(stay),
    )


def _document(request, uuid, **owner):
    return get_object_or_404(
        HousingDocument.objects.visible_to(request.user)
        .filter(**owner)
        .select_related("unit", "stay__household"),
        uuid=uuid,
    )


@policy(read=Action.VIEW_UNITS)
@require_GET
def document_download(request, document):
    return document_pages.serve(request, _document(request, document))


def _delete(request, document, crumbs):
    if request.method == "POST":
        name, back = document.original_name, _back(document)
        household = document.stay.household if document.stay_id else None
        document_pages.remove(document, by=request.user, household=household)
        messages.success(request, f"Le document « {name} » a été supprimé.")
        return redirect(back)
    return document_pages.confirm_delete_page(request, document, crumbs=crumbs)


@policy(Action.CHANGE_UNITS)
def unit_document_delete(request, uuid, document):
    unit = object_or_404(request, HousingUnit, uuid)
    document = _document(request, document, unit=unit)
    return _delete(request, document, _unit_crumbs(unit))


@policy(Action.CHANGE_STAYS)
def stay_document_delete(request, stay, document):
    stay = object_or_404(request, Stay.objects.select_related("household"), stay)
    document = _document(request, document, stay=stay)
    return _delete(request, document, _stay_crumbs(stay))
