"""Correcting or deleting a dated record entered by mistake: a legal status, resources,
contact details, a membership. Whoever may change the household (CHANGE_HOUSEHOLDS, its
holder) may; the reason is required and kept in the history with the change (`services`).

Every page is the one `pages.record_page` draws: the form (its reason included) until the
service accepts it, then back to the household's file saying what was done."""

from functools import partial

from django.shortcuts import get_object_or_404

from seuil.core.pages import object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.core.wording import of_name

from . import services
from .forms import (
    ContactDetailsCorrectionForm,
    LegalStatusCorrectionForm,
    ResourcesCorrectionForm,
)
from .models import ContactDetails, Household, LegalStatusRecord, ResourceRecord
from .pages import deletion_page, record_page

IN_HISTORY = "La correction et son motif restent dans l'historique du dossier."
DELETION_IN_HISTORY = "La suppression et son motif restent dans l'historique du dossier."


def _of_a_member(model, household, uuid):
    """A record of `model` of a person of `household` (a legal status, contact details)."""
    return get_object_or_404(
        model.objects.filter(person__memberships__household=household)
        .select_related("person")
        .distinct(),
        uuid=uuid,
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def legal_status_correct(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _of_a_member(LegalStatusRecord, household, record)
    whose = of_name(record.person.full_name)
    return record_page(
        request,
        record,
        household,
        LegalStatusCorrectionForm(
            request.POST or None, initial={"status": record.status, "since": record.since}
        ),
        save=lambda form: services.correct_legal_status(
            record, acting_user=request.user, **form.cleaned_data
        ),
        done=f"Le statut administratif {whose} a été corrigé.",
        title=f"Corriger un statut administratif {whose}",
        intro="Pour une erreur de saisie ; un changement de statut s'ajoute, lui, comme un "
        f"nouveau statut. {IN_HISTORY}",
        submit="Corriger le statut",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def legal_status_delete(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _of_a_member(LegalStatusRecord, household, record)
    return deletion_page(
        request,
        record,
        household,
        delete=partial(services.delete_legal_status, record, acting_user=request.user),
        done="Le statut administratif a été supprimé.",
        title=f"Supprimer un statut administratif {of_name(record.person.full_name)}",
        intro=f"{record.get_status_display()} depuis le {record.since:%d/%m/%Y}. "
        f"{DELETION_IN_HISTORY}",
        submit="Supprimer le statut",
    )


def _resource_record(household, uuid):
    return get_object_or_404(ResourceRecord.objects.filter(household=household), uuid=uuid)


@policy(Action.CHANGE_HOUSEHOLDS)
def resources_correct(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _resource_record(household, record)
    return record_page(
        request,
        record,
        household,
        ResourcesCorrectionForm(
            request.POST or None, initial={"on": record.on, "types": record.types}
        ),
        save=lambda form: services.correct_resources(
            record, acting_user=request.user, **form.cleaned_data
        ),
        done="Les ressources ont été corrigées.",
        title=f"Corriger les ressources du {record.on:%d/%m/%Y}",
        intro="Pour une erreur de saisie ; un changement de ressources s'ajoute, lui, à une "
        f"nouvelle date. {IN_HISTORY}",
        submit="Corriger les ressources",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def resources_delete(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _resource_record(household, record)
    return deletion_page(
        request,
        record,
        household,
        delete=partial(services.delete_resources, record, acting_user=request.user),
        done="Les ressources ont été supprimées.",
        title=f"Supprimer les ressources du {record.on:%d/%m/%Y}",
        intro=f"{', '.join(record.type_labels())}. {DELETION_IN_HISTORY}",
        submit="Supprimer les ressources",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def contact_details_correct(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _of_a_member(ContactDetails, household, record)
    whose = of_name(record.person.full_name)
    return record_page(
        request,
        record,
        household,
        ContactDetailsCorrectionForm(
            request.POST or None,
            initial={"since": record.since, **ContactDetailsCorrectionForm.initial_for(record)},
        ),
        save=lambda form: services.correct_contact_details(
            record, acting_user=request.user, **form.contact_fields()
        ),
        done=f"Les coordonnées {whose} ont été corrigées.",
        title=f"Corriger les coordonnées {whose} du {record.since:%d/%m/%Y}",
        intro="Pour une erreur de saisie ; un changement (un déménagement, un nouveau "
        f"numéro) s'ajoute, lui, depuis « Modifier les coordonnées ». {IN_HISTORY}",
        submit="Corriger les coordonnées",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def contact_details_delete(request, uuid, record):
    household = object_or_404(request, Household, uuid)
    record = _of_a_member(ContactDetails, household, record)
    whose = of_name(record.person.full_name)
    return deletion_page(
        request,
        record,
        household,
        delete=partial(services.delete_contact_details, record, acting_user=request.user),
        done=f"Les coordonnées {whose} du {record.since:%d/%m/%Y} ont été supprimées.",
        title=f"Supprimer les coordonnées {whose} du {record.since:%d/%m/%Y}",
        intro=f"Enregistrées à partir du {record.since:%d/%m/%Y}. {DELETION_IN_HISTORY}",
        submit="Supprimer les coordonnées",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def member_delete(request, uuid, membership):
    household = object_or_404(request, Household, uuid)
    membership = get_object_or_404(household.memberships.select_related("person"), uuid=membership)
    name = membership.person.full_name
    return deletion_page(
        request,
        membership,
        household,
        delete=partial(services.delete_membership, membership, acting_user=request.user),
        done=f"{name} a été retiré·e du ménage.",
        title=f"Retirer {name} du ménage (saisie par erreur)",
        intro="Pour une personne ajoutée par erreur ; un départ du ménage se date, lui, "
        "depuis « Modifier ». Si elle n'est membre d'aucun autre ménage, sa fiche et ses "
        f"statuts sont supprimés. {DELETION_IN_HISTORY}",
        submit="Retirer du ménage",
    )
