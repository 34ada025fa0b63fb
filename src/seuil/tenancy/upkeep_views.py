"""The pages of the dwelling's side of the tenancy: an inspection room by room (meters,
keys, signatures), its PDF to sign, the exit inspection compared with the entry one; the
repairs of a unit; the household's home insurance.

Reading needs VIEW_TENANCY (tenancy officer, social worker, manager), writing
CHANGE_TENANCY (tenancy officer, manager); every object comes through `object_or_404`
(another organisation → 404) and every page that shows a household's record writes its
access-log row. The landlord sees none of it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.pdf import print_pdf
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.households.models import Household
from seuil.housing.models import HousingUnit, Stay

from . import inspections, permissions, services, upkeep
from .enums import REPAIR_TRANSITIONS, InspectionKind, RepairStatus
from .forms import (
    InspectionKeysForm,
    InspectionRoomForm,
    InspectionSignaturesForm,
    InsuranceForm,
    MeterReadingForm,
    RepairForm,
    RepairMoveForm,
)
from .models import (
    Inspection,
    InspectionKeys,
    InspectionRoom,
    Insurance,
    MeterReading,
    Repair,
)

EXITS = (InspectionKind.EXIT, InspectionKind.PRE_EXIT)


def _inspection(request, uuid):
    queryset = Inspection.objects.select_related("unit", "stay__household", "organisation")
    return object_or_404(request, queryset, uuid)


def unit_crumbs(unit):
    return [(reverse("housing:list"), "Logements"), (unit.get_absolute_url(), unit.ref)]


def inspection_crumbs(inspection):
    return [
        *unit_crumbs(inspection.unit),
        (inspection.get_absolute_url(), str(inspection)),
    ]


def _parts(inspection):
    return {
        "rooms": list(inspection.rooms.all()),
        "meters": list(inspection.meter_readings.all()),
        "keys": list(inspection.keys.all()),
    }


# ---------------------------------------------------------------- inspections


@policy(read=Action.VIEW_TENANCY)
def inspection(request, uuid):
    """Un état des lieux pièce par pièce, ses compteurs, ses clés et ses signatures."""
    with transaction.atomic():
        found = _inspection(request, uuid)
        record_access(request.user, AccessLog.Action.VIEW, found)
    entry = inspections.entry_of(found) if found.kind in EXITS else None
    return render(
        request,
        "tenancy/inspection.html",
        {
            "inspection": found,
            **_parts(found),
            "entry": entry,
            "crumbs": unit_crumbs(found.unit),
            "can_change": permissions.can_change_tenancy(request.user),
        },
    )


def _part_page(request, inspection, form, *, title, intro=""):
    return form_page(request, form, title=title, crumbs=inspection_crumbs(inspection), intro=intro)


def _save_part(request, form, part, inspection, done):
    if run_service(form, lambda: upkeep.save_inspection_part(part, by=request.user)):
        messages.success(request, done)
        return redirect(inspection.get_absolute_url())
    return None


@policy(Action.CHANGE_TENANCY)
def inspection_room(request, uuid, room=None):
    """Ajouter une pièce à l'état des lieux, ou corriger l'une de ses pièces."""
    found = _inspection(request, uuid)
    part = InspectionRoom(inspection=found) if room is None else _room(found, room)
    initial = {"name": part.name, "state": part.state, "remarks": part.remarks}
    form = InspectionRoomForm(request.POST or None, initial=initial if part.pk else None)
    if request.method == "POST" and form.is_valid():
        for name, value in form.cleaned_data.items():
            setattr(part, name, value)
        done = _save_part(request, form, part, found, "Pièce enregistrée.")
        if done:
            return done
    title = f"Pièce « {part.name} »" if part.pk else "Ajouter une pièce"
    return _part_page(request, found, form, title=f"{title} – {found}")


def _room(inspection, uuid):
    room = inspection.rooms.filter(uuid=uuid).first()
    if room is None:
        raise Http404
    return room


@policy(Action.CHANGE_TENANCY)
def inspection_meter(request, uuid):
    """Relever un compteur (électricité, gaz, eau) : index et date."""
    found = _inspection(request, uuid)
    form = MeterReadingForm(request.POST or None, initial={"read_on": found.done_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        part = found.meter_readings.filter(meter=data["meter"]).first() or MeterReading(
            inspection=found, meter=data["meter"]
        )
        part.index, part.read_on = data["index"], data["read_on"]
        done = _save_part(request, form, part, found, "Relevé enregistré.")
        if done:
            return done
    return _part_page(
        request,
        found,
        form,
        title=f"Relever un compteur – {found}",
        intro="Un nouveau relevé d'un compteur déjà relevé remplace le précédent.",
    )


@policy(Action.CHANGE_TENANCY)
def inspection_keys(request, uuid):
    """Noter les clés remises : combien, et lesquelles."""
    found = _inspection(request, uuid)
    form = InspectionKeysForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        part = found.keys.filter(kind=data["kind"]).first() or InspectionKeys(
            inspection=found, kind=data["kind"]
        )
        part.count = data["count"]
        done = _save_part(request, form, part, found, "Clés enregistrées.")
        if done:
            return done
    return _part_page(
        request,
        found,
        form,
        title=f"Noter des clés remises – {found}",
        intro="Les mêmes clés notées une seconde fois remplacent leur nombre.",
    )


@policy(Action.CHANGE_TENANCY)
def inspection_signatures(request, uuid):
    """Noter qui a signé l'exemplaire papier, et quand ; les observations générales."""
    found = _inspection(request, uuid)
    names = [
        "remarks",
        "signed_by_household_on",
        "signed_by_operator_on",
        "signed_by_landlord_on",
    ]
    form = InspectionSignaturesForm(
        request.POST or None, initial={name: getattr(found, name) for name in names}
    )
    if request.method == "POST" and form.is_valid():
        for name, value in form.cleaned_data.items():
            setattr(found, name, value if value is not None else None)
        found.remarks = found.remarks or ""
        if run_service(form, lambda: services.save_inspection(found, by=request.user)):
            messages.success(request, "Signatures et observations enregistrées.")
            return redirect(found.get_absolute_url())
    return _part_page(
        request,
        found,
        form,
        title=f"Signatures – {found}",
        intro="Imprimez l'état des lieux, faites-le signer, puis notez ici la date de chaque "
        "signature : « signé par le ménage », « par l'opérateur », « par le bailleur ».",
    )


@policy(Action.CHANGE_TENANCY)
def inspection_copy_rooms(request, uuid):
    """Reprendre les pièces de l'état des lieux d'entrée (bouton de l'état des lieux de
    sortie), à corriger ensuite pièce par pièce."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = _inspection(request, uuid)
    entry = inspections.entry_of(found) if found.kind in EXITS else None
    if entry is not None:
        try:
            count = upkeep.copy_entry_rooms(found, entry, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, f"Pièces reprises de l'état des lieux d'entrée : {count}.")
    return redirect(found.get_absolute_url())


def inspection_context(found):
    stay = found.stay
    return {
        "inspection": found,
        **_parts(found),
        "unit": found.unit,
        "stay": stay,
        "household": stay.household if stay else None,
        "members": _members(stay),
        "organisation": found.organisation,
        "printed_at": timezone.localtime(),
    }


def _members(stay):
    if stay is None:
        return []
    household = stay.household
    members = household.members_on(stay.entered_on) or household.members_on(None)
    return sorted(members, key=lambda m: (m.role != "head", m.person.last_name))


def render_inspection(found):
    """The inspection as a PDF to sign (bytes), through `core.pdf.print_pdf`."""
    html = render_to_string("tenancy/inspection_print.html", inspection_context(found))
    css = render_to_string("support/contract.css")
    return print_pdf(html, stylesheets=[css], name="l'état des lieux")


@policy(read=Action.VIEW_TENANCY)
def inspection_pdf(request, uuid):
    """L'état des lieux à imprimer et à faire signer (PDF)."""
    with transaction.atomic():
        found = _inspection(request, uuid)
        record_access(request.user, AccessLog.Action.DOWNLOAD, found)
    response = HttpResponse(render_inspection(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="etat-des-lieux-{found.ref}.pdf"'
    return response


@policy(read=Action.VIEW_TENANCY)
def inspection_compare(request, uuid):
    """L'état des lieux de sortie comparé à celui d'entrée, pièce par pièce."""
    with transaction.atomic():
        found = _inspection(request, uuid)
        record_access(request.user, AccessLog.Action.VIEW, found)
    entry = inspections.entry_of(found) if found.kind in EXITS else None
    rooms = meters = []
    if entry is not None:
        record_access(request.user, AccessLog.Action.VIEW, entry)
        rooms = inspections.compare_rooms(entry.rooms.all(), found.rooms.all())
        meters = inspections.compare_meters(entry.meter_readings.all(), found.meter_readings.all())
    return render(
        request,
        "tenancy/inspection_compare.html",
        {
            "inspection": found,
            "entry": entry,
            "rooms": rooms,
            "degraded": [row for row in rooms if row.degraded],
            "meters": meters,
            "crumbs": inspection_crumbs(found),
        },
    )


# ---------------------------------------------------------------- repairs


def _repair(request, uuid):
    queryset = Repair.objects.select_related("unit", "stay__household")
    return object_or_404(request, queryset, uuid)


def _fill(repair, data):
    for name, value in data.items():
        setattr(repair, name, value)
    repair.contractor = repair.contractor or ""
    repair.paid_by = repair.paid_by or ""


@policy(Action.CHANGE_TENANCY)
def repair_create(request, unit):
    """Signaler une réparation du logement."""
    units = HousingUnit.objects.filter(organisation=request.user.organisation_id)
    unit = object_or_404(request, units, unit, Action.VIEW_UNITS)
    form = RepairForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stay = (
            Stay.objects.present_on(data["reported_on"])
            .filter(unit=unit)
            .select_related("household")
            .first()
        )
        repair = Repair(unit=unit, stay=stay)
        _fill(repair, data)
        if run_service(form, lambda: upkeep.save_repair(repair, by=request.user)):
            messages.success(request, f"Réparation {repair.ref} signalée.")
            return redirect(unit.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Signaler une réparation – logement {unit.ref}",
        crumbs=unit_crumbs(unit),
        intro="La réparation est rattachée au ménage présent ce jour-là, s'il y en a un.",
    )


@policy(Action.CHANGE_TENANCY)
def repair_edit(request, uuid):
    """Corriger une réparation : entreprise, coût, qui paie."""
    repair = _repair(request, uuid)
    names = list(RepairForm.base_fields)
    form = RepairForm(request.POST or None, initial={name: getattr(repair, name) for name in names})
    if request.method == "POST" and form.is_valid():
        _fill(repair, form.cleaned_data)
        if run_service(form, lambda: upkeep.save_repair(repair, by=request.user)):
            messages.success(request, f"Réparation {repair.ref} modifiée.")
            return redirect(repair.unit.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Modifier la réparation {repair.ref}",
        crumbs=unit_crumbs(repair.unit),
    )


@policy(Action.CHANGE_TENANCY)
def repair_move(request, uuid):
    """Programmer, marquer faite ou annuler une réparation."""
    repair = _repair(request, uuid)
    allowed = REPAIR_TRANSITIONS[RepairStatus(repair.status)]
    choices = [(value, label) for value, label in RepairStatus.choices if value in allowed]
    form = RepairMoveForm(
        request.POST or None,
        choices=choices,
        initial={"on": timezone.localdate(), "appointment_on": repair.appointment_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def move():
            return upkeep.move_repair(
                repair,
                data["to"],
                on=data["on"],
                by=request.user,
                appointment_on=data["appointment_on"],
                comment=data["comment"],
            )

        if run_service(form, move):
            messages.success(
                request, f"Réparation {repair.ref} : {repair.get_status_display().lower()}."
            )
            return redirect(repair.unit.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Réparation {repair.ref} – {repair.get_status_display()}",
        crumbs=unit_crumbs(repair.unit),
        intro=repair.description,
    )


# ---------------------------------------------------------------- insurance


def _insurance_page(request, form, household, *, title):
    return form_page(
        request,
        form,
        title=title,
        crumbs=[(household.get_absolute_url(), str(household))],
        intro="Seuil rappelle l'échéance au régisseur un mois avant la fin de validité.",
    )


def _save_insurance(request, form, insurance):
    for name, value in form.cleaned_data.items():
        setattr(insurance, name, value)
    insurance.insurer = insurance.insurer or ""
    return run_service(form, lambda: upkeep.save_insurance(insurance, by=request.user))


@policy(Action.CHANGE_TENANCY)
def insurance_create(request, household):
    """Enregistrer l'attestation d'assurance habitation du ménage."""
    households = Household.objects.filter(organisation=request.user.organisation_id)
    household = object_or_404(request, households, household, Action.VIEW_HOUSEHOLDS)
    form = InsuranceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        insurance = Insurance(household=household, organisation=request.user.organisation)
        if _save_insurance(request, form, insurance):
            messages.success(request, "Attestation d'assurance enregistrée.")
            return redirect(household.get_absolute_url())
    return _insurance_page(
        request, form, household, title=f"Attestation d'assurance habitation – {household}"
    )


@policy(Action.CHANGE_TENANCY)
def insurance_edit(request, uuid):
    """Corriger une attestation d'assurance habitation."""
    insurance = object_or_404(request, Insurance.objects.select_related("household"), uuid)
    names = list(InsuranceForm.base_fields)
    form = InsuranceForm(
        request.POST or None, initial={name: getattr(insurance, name) for name in names}
    )
    if request.method == "POST" and form.is_valid():
        if _save_insurance(request, form, insurance):
            messages.success(request, "Attestation d'assurance modifiée.")
            return redirect(insurance.household.get_absolute_url())
    return _insurance_page(
        request,
        form,
        insurance.household,
        title=f"Modifier l'attestation d'assurance – {insurance.household}",
    )
