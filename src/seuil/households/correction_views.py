"""Correcting or deleting a dated record entered by mistake: a legal status, resources, a
membership. Whoever may change the household (CHANGE_HOUSEHOLDS, its holder) may; the
reason is required and kept in the history with the change (`services`)."""

from django.shortcuts import get_object_or_404

from seuil.core.forms import run_service
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.core.wording import of_name

from . import services
from .forms import LegalStatusCorrectionForm, ReasonForm, ResourcesCorrectionForm
from .models import Household, LegalStatusRecord, ResourceRecord
from .pages import household_crumbs, to_file

IN_HISTORY = "La correction et son motif restent dans l'historique du dossier."


def _status_record(household, uuid):
    return get_object_or_404(
        LegalStatusRecord.objects.filter(person__memberships__household=household)
        .select_related("person")
        .distinct(),
        uuid=uuid,
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def legal_status_correct(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _status_record(household, record)
    form = LegalStatusCorrectionForm(
        request.POST or None, initial={"status": record.status, "since": record.since}
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.correct_legal_status(
                record, acting_user=request.user, **form.cleaned_data
            ),
        ):
            return to_file(
                request,
                household,
                f"Le statut administratif {of_name(record.person.full_name)} a été corrigé.",
            )
    return form_page(
        request,
        form,
        title=f"Corriger un statut administratif {of_name(record.person.full_name)}",
        crumbs=household_crumbs(household),
        intro=f"Pour une erreur de saisie ; un changement de statut s'ajoute, lui, comme un "
        f"nouveau statut. {IN_HISTORY}",
        submit="Corriger le statut",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def legal_status_delete(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _status_record(household, record)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.delete_legal_status(
                record, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
        ):
            return to_file(request, household, "Le statut administratif a été supprimé.")
    return form_page(
        request,
        form,
        title=f"Supprimer un statut administratif {of_name(record.person.full_name)}",
        crumbs=household_crumbs(household),
        intro=f"{record.get_status_display()} depuis le {record.since:%d/%m/%Y}. "
        "La suppression et son motif restent dans l'historique du dossier.",
        submit="Supprimer le statut",
    )


def _resource_record(household, uuid):
    return get_object_or_404(ResourceRecord.objects.filter(household=household), uuid=uuid)


@policy(Action.CHANGE_HOUSEHOLDS)
def resources_correct(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _resource_record(household, record)
    form = ResourcesCorrectionForm(
        request.POST or None, initial={"on": record.on, "types": record.types}
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.correct_resources(
                record, acting_user=request.user, **form.cleaned_data
            ),
        ):
            return to_file(request, household, "Les ressources ont été corrigées.")
    return form_page(
        request,
        form,
        title=f"Corriger les ressources du {record.on:%d/%m/%Y}",
        crumbs=household_crumbs(household),
        intro=f"Pour une erreur de saisie ; un changement de ressources s'ajoute, lui, à une "
        f"nouvelle date. {IN_HISTORY}",
        submit="Corriger les ressources",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def resources_delete(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _resource_record(household, record)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.delete_resources(
                record, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
        ):
            return to_file(request, household, "Les ressources ont été supprimées.")
    return form_page(
        request,
        form,
        title=f"Supprimer les ressources du {record.on:%d/%m/%Y}",
        crumbs=household_crumbs(household),
        intro=f"{', '.join(record.type_labels())}. La suppression et son motif restent dans "
        "l'historique du dossier.",
        submit="Supprimer les ressources",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def member_delete(request, uuid, membership):
    household = object_or_404(request, Household, uuid)
    membership = get_object_or_404(household.memberships.select_related("person"), uuid=membership)
    name = membership.person.full_name
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.delete_membership(
                membership, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
        ):
            return to_file(request, household, f"{name} a été retiré·e du ménage.")
    return form_page(
        request,
        form,
        title=f"Retirer {name} du ménage (saisie par erreur)",
        crumbs=household_crumbs(household),
        intro="Pour une personne ajoutée par erreur ; un départ du ménage se date, lui, "
        "depuis « Modifier ». Si elle n'est membre d'aucun autre ménage, sa fiche et ses "
        "statuts sont supprimés. La suppression et son motif restent dans l'historique du "
        "dossier.",
        submit="Retirer du ménage",
    )
