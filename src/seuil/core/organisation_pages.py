"""The organisation's settings: the page « Paramètres de l'organisation » that leads to all
of them, and those core keeps (its partners, the SIAO and national platform it works with).

The apps above add their own settings to the page through the slot
``organisation_settings`` (housing: programmes, sectors, landlords). Every page is its
organisation's (MANAGE_SETTINGS, scope own: another organisation's partner is a 404), every
change in the history (`organisation_services`).
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from . import organisation_services as services
from .forms import run_service
from .models import Partner
from .organisation_forms import ChainForm, PartnerForm
from .pages import form_page, object_or_404
from .permissions import can_manage_organisation
from .policy import Action
from .views_policy import policy


def settings_crumbs():
    return [(reverse("organisation_settings"), "Paramètres de l'organisation")]


@policy(read=Action.MANAGE_SETTINGS)
def settings_page(request):
    organisation = request.user.organisation
    partners = Partner.objects.visible_to(request.user)
    return render(
        request,
        "core/settings.html",
        {
            "organisation": organisation,
            "active_partners": partners.active().count(),
            "inactive_partners": partners.filter(active=False).count(),
            "can_manage_organisation": can_manage_organisation(request.user),
        },
    )


@policy(Action.MANAGE_ORGANISATION)
def chain_page(request):
    organisation = request.user.organisation
    form = ChainForm(
        request.POST or None,
        organisation=organisation,
        initial={"siao": organisation.siao, "platform": organisation.platform},
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.set_chain(
                organisation,
                by=request.user,
                siao=form.cleaned_data.get("siao"),
                platform=form.cleaned_data.get("platform"),
            ),
        )
        if done:
            messages.success(request, "Le SIAO et la plateforme nationale sont enregistrés.")
            return redirect("organisation_settings")
    return form_page(
        request,
        form,
        title="SIAO et plateforme nationale",
        crumbs=settings_crumbs(),
        intro="Les organisations avec lesquelles la vôtre travaille dans le parcours des "
        "ménages. Une organisation absente de la liste n'utilise pas encore Seuil.",
    )


# ---- partners ----------------------------------------------------------------------------


@policy(read=Action.MANAGE_SETTINGS)
def partner_list(request):
    partners = Partner.objects.visible_to(request.user).order_by("-active", "name", "pk")
    return render(
        request,
        "core/partners.html",
        {"partners": partners, "crumbs": settings_crumbs()},
    )


def _partner_form_page(request, form, *, title, submit, done_message):
    if request.method == "POST" and form.is_valid():
        partner = form.save(commit=False)
        if run_service(form, lambda: services.save_partner(partner, by=request.user)):
            messages.success(request, done_message.format(name=partner.name))
            return redirect("partners")
    return form_page(
        request,
        form,
        title=title,
        crumbs=[*settings_crumbs(), (reverse("partners"), "Partenaires")],
        submit=submit,
    )


@policy(Action.MANAGE_SETTINGS)
def partner_create(request):
    form = PartnerForm(request.POST or None, organisation=request.user.organisation)
    return _partner_form_page(
        request,
        form,
        title="Ajouter un partenaire",
        submit="Ajouter le partenaire",
        done_message="Le partenaire « {name} » est ajouté.",
    )


@policy(Action.MANAGE_SETTINGS)
def partner_edit(request, uuid):
    partner = object_or_404(request, Partner, uuid)
    name = partner.name
    form = PartnerForm(request.POST or None, instance=partner, organisation=partner.organisation)
    return _partner_form_page(
        request,
        form,
        title=f"Modifier le partenaire « {name} »",
        submit="Enregistrer",
        done_message="Le partenaire « {name} » est modifié.",
    )


@policy(Action.MANAGE_SETTINGS)
def partner_active(request, uuid):
    """Deactivate or reactivate a partner (a button of the list: a POST)."""
    partner = object_or_404(request, Partner, uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    active = request.POST.get("active") == "1"
    services.set_partner_active(partner, active, by=request.user)
    if active:
        messages.success(request, f"Le partenaire « {partner.name} » est réactivé.")
    else:
        messages.success(
            request,
            f"Le partenaire « {partner.name} » est désactivé : il n'est plus proposé, les "
            "dossiers qui le citent le gardent.",
        )
    return redirect("partners")
