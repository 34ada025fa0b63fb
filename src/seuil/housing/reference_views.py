"""Pages of the organisation's settings kept by housing: programmes, sectors and their
communes, landlords and their space in Seuil. Reached from « Paramètres de l'organisation »
(core), whose slot ``organisation_settings`` this module fills (`settings_summary`).

Programmes, sectors and landlord records: MANAGE_SETTINGS (the administrator and the service
manager); a landlord's space (its organisation, its first account, the link of the record to
it): MANAGE_ORGANISATION (the administrator). Everything is of the user's organisation
(scope own: another organisation's record is a 404); every write goes through
`reference_services`, in the history.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse

from seuil.core.forms import run_service
from seuil.core.pages import form_page, object_or_404
from seuil.core.permissions import can_manage_organisation, can_manage_settings
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import reference_services as services
from .models import Landlord, Programme, Sector
from .reference_forms import (
    LandlordForm,
    LandlordLinkForm,
    LandlordSpaceForm,
    ProgrammeForm,
    SectorForm,
)


def settings_summary(request, organisation):
    """The slot ``organisation_settings``: what housing keeps, counted."""
    user = request.user
    if not can_manage_settings(user):
        return None
    landlords = Landlord.objects.visible_to(user, Action.MANAGE_SETTINGS)
    return {
        "programme_count": Programme.objects.visible_to(user, Action.MANAGE_SETTINGS).count(),
        "sector_count": Sector.objects.visible_to(user, Action.MANAGE_SETTINGS).count(),
        "landlord_count": landlords.count(),
        "landlord_space_count": landlords.filter(account__isnull=False).count(),
    }


def _crumbs(*more):
    return [(reverse("organisation_settings"), "Paramètres de l'organisation"), *more]


def _mine(request, model):
    return model.objects.visible_to(request.user, Action.MANAGE_SETTINGS)


def _form_page(request, form, *, save, list_url, title, submit, done):
    """The page of a settings form: on a valid POST, `save(obj)` through the service (its
    French refusals on the form), then back to the list."""
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if run_service(form, lambda: save(obj)):
            messages.success(request, done.format(name=obj.name))
            return redirect(list_url)
    return form_page(
        request,
        form,
        title=title,
        crumbs=_crumbs((reverse(list_url), LIST_TITLES[list_url])),
        submit=submit,
    )


LIST_TITLES = {
    "housing:programmes": "Dispositifs",
    "housing:sectors": "Secteurs",
    "housing:landlords": "Bailleurs",
}


def _delete_page(request, obj, *, what, list_url):
    """Confirm, then delete `obj` unless something uses it (the refusal says what)."""
    if request.method == "POST":
        try:
            services.delete(obj, by=request.user, what=what)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{what} est supprimé.")
        return redirect(list_url)
    return render(
        request,
        "housing/settings_delete.html",
        {
            "title": f"Supprimer : {obj.name}",
            "what": what,
            "crumbs": _crumbs((reverse(list_url), LIST_TITLES[list_url])),
            "cancel_url": reverse(list_url),
        },
    )


# ---- programmes ----------------------------------------------------------------------------


@policy(read=Action.MANAGE_SETTINGS)
def programme_list(request):
    programmes = _mine(request, Programme).annotate(unit_count=Count("housing_units"))
    return render(
        request,
        "housing/programmes.html",
        {"programmes": programmes, "crumbs": _crumbs()},
    )


def _programme_page(request, form, *, title, submit, done):
    def save(programme):
        return services.save_programme(programme, by=request.user, parts=form.part_values())

    return _form_page(
        request,
        form,
        save=save,
        list_url="housing:programmes",
        title=title,
        submit=submit,
        done=done,
    )


@policy(Action.MANAGE_SETTINGS)
def programme_create(request):
    form = ProgrammeForm(request.POST or None, organisation=request.user.organisation)
    return _programme_page(
        request,
        form,
        title="Ajouter un dispositif",
        submit="Ajouter le dispositif",
        done="Le dispositif « {name} » est ajouté.",
    )


@policy(Action.MANAGE_SETTINGS)
def programme_edit(request, uuid):
    programme = object_or_404(request, Programme, uuid)
    name = programme.name
    form = ProgrammeForm(
        request.POST or None, instance=programme, organisation=programme.organisation
    )
    return _programme_page(
        request,
        form,
        title=f"Modifier le dispositif « {name} »",
        submit="Enregistrer",
        done="Le dispositif « {name} » est modifié.",
    )


@policy(Action.MANAGE_SETTINGS)
def programme_delete(request, uuid):
    programme = object_or_404(request, Programme, uuid)
    return _delete_page(
        request,
        programme,
        what=f"Le dispositif « {programme.name} »",
        list_url="housing:programmes",
    )


# ---- sectors -------------------------------------------------------------------------------


@policy(read=Action.MANAGE_SETTINGS)
def sector_list(request):
    sectors = _mine(request, Sector).annotate(unit_count=Count("housing_units"))
    return render(request, "housing/sectors.html", {"sectors": sectors, "crumbs": _crumbs()})


def _sector_page(request, form, *, title, submit, done):
    return _form_page(
        request,
        form,
        save=lambda sector: services.save_sector(sector, by=request.user),
        list_url="housing:sectors",
        title=title,
        submit=submit,
        done=done,
    )


@policy(Action.MANAGE_SETTINGS)
def sector_create(request):
    form = SectorForm(request.POST or None, organisation=request.user.organisation)
    return _sector_page(
        request,
        form,
        title="Ajouter un secteur",
        submit="Ajouter le secteur",
        done="Le secteur « {name} » est ajouté.",
    )


@policy(Action.MANAGE_SETTINGS)
def sector_edit(request, uuid):
    sector = object_or_404(request, Sector, uuid)
    name = sector.name
    form = SectorForm(request.POST or None, instance=sector, organisation=sector.organisation)
    return _sector_page(
        request,
        form,
        title=f"Modifier le secteur « {name} »",
        submit="Enregistrer",
        done="Le secteur « {name} » est modifié.",
    )


@policy(Action.MANAGE_SETTINGS)
def sector_delete(request, uuid):
    sector = object_or_404(request, Sector, uuid)
    return _delete_page(
        request, sector, what=f"Le secteur « {sector.name} »", list_url="housing:sectors"
    )


# ---- landlords -----------------------------------------------------------------------------


@policy(read=Action.MANAGE_SETTINGS)
def landlord_list(request):
    landlords = (
        _mine(request, Landlord)
        .select_related("account")
        .annotate(unit_count=Count("housing_units", distinct=True))
        .annotate(account_users=Count("account__users", distinct=True))
    )
    return render(
        request,
        "housing/landlords.html",
        {
            "landlords": landlords,
            "crumbs": _crumbs(),
            "can_manage_spaces": can_manage_organisation(request.user),
        },
    )


def _landlord_page(request, form, *, title, submit, done):
    return _form_page(
        request,
        form,
        save=lambda landlord: services.save_landlord(landlord, by=request.user),
        list_url="housing:landlords",
        title=title,
        submit=submit,
        done=done,
    )


@policy(Action.MANAGE_SETTINGS)
def landlord_create(request):
    form = LandlordForm(request.POST or None, organisation=request.user.organisation)
    return _landlord_page(
        request,
        form,
        title="Ajouter un bailleur",
        submit="Ajouter le bailleur",
        done="Le bailleur « {name} » est ajouté.",
    )


@policy(Action.MANAGE_SETTINGS)
def landlord_edit(request, uuid):
    landlord = object_or_404(request, Landlord, uuid)
    name = landlord.name
    form = LandlordForm(request.POST or None, instance=landlord, organisation=landlord.organisation)
    return _landlord_page(
        request,
        form,
        title=f"Modifier le bailleur « {name} »",
        submit="Enregistrer",
        done="Le bailleur « {name} » est modifié.",
    )


@policy(Action.MANAGE_SETTINGS)
def landlord_delete(request, uuid):
    landlord = object_or_404(request, Landlord, uuid)
    return _delete_page(
        request, landlord, what=f"Le bailleur « {landlord.name} »", list_url="housing:landlords"
    )


@policy(Action.MANAGE_ORGANISATION)
def landlord_space(request, uuid):
    """Open the landlord's space in Seuil: its organisation and a first account."""
    landlord = object_or_404(request, Landlord.objects.select_related("account"), uuid)
    if landlord.account_id is not None:
        messages.error(request, f"Le bailleur « {landlord.name} » a déjà un espace dans Seuil.")
        return redirect("housing:landlords")
    form = LandlordSpaceForm(
        request.POST or None,
        initial={
            "organisation_name": landlord.name,
            "department": request.user.organisation.department,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = run_service(
            form,
            lambda: services.open_landlord_space(
                landlord,
                by=request.user,
                organisation_name=data["organisation_name"],
                department=data["department"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            ),
        )
        if user:
            messages.success(
                request,
                f"L'espace du bailleur « {landlord.name} » est ouvert. {user.get_full_name()} "
                f"reçoit à {user.email} un lien pour choisir son mot de passe.",
            )
            return redirect("housing:landlords")
    return form_page(
        request,
        form,
        title=f"Ouvrir l'espace du bailleur « {landlord.name} » dans Seuil",
        crumbs=_crumbs((reverse("housing:landlords"), "Bailleurs")),
        intro="Le bailleur y verra ses logements que vous gérez, y déclarera leurs vacances "
        "et y répondra aux propositions de logement. La personne reçoit par courriel un lien "
        "à usage unique pour choisir son mot de passe, puis active la double authentification.",
        submit="Ouvrir l'espace et envoyer le lien",
    )


@policy(Action.MANAGE_ORGANISATION)
def landlord_link(request, uuid):
    """Link the landlord's record to its organisation already in Seuil (or unlink it)."""
    landlord = object_or_404(request, Landlord.objects.select_related("account"), uuid)
    form = LandlordLinkForm(request.POST or None, initial={"account": landlord.account})
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["account"]
        if run_service(form, lambda: services.link_landlord(landlord, account, by=request.user)):
            if account is None:
                messages.success(request, f"Le bailleur « {landlord.name} » n'a plus d'espace.")
            else:
                messages.success(
                    request,
                    f"Le bailleur « {landlord.name} » est lié à « {account.name} » : ses "
                    "utilisateurs voient ses logements et leurs propositions.",
                )
            return redirect("housing:landlords")
    return form_page(
        request,
        form,
        title=f"Lier le bailleur « {landlord.name} » à son organisation dans Seuil",
        crumbs=_crumbs((reverse("housing:landlords"), "Bailleurs")),
        intro="Si ce bailleur a déjà un espace dans Seuil (un autre opérateur l'a ouvert, "
        "par exemple), liez-y sa fiche plutôt que d'en ouvrir un second.",
    )
