"""Pages of national mobility: the paths (the platform's dashboard), one path with its
steps, meetings and handover file, and the territory sheets.

Each view declares its policy action: VIEW_MOBILITY to read a path, RECORD_MOBILITY_STEP
to move it on (the service then checks that the step is this party's),
MANAGE_TERRITORY_SHEETS for the platform's sheets; a path comes through `visible_to`
(the departure shelter until the move, the arrival operator once the file was sent to it,
the platform for consenting households; anyone else: 404). The territory sheets hold no
personal data: every signed-in user reads them, to show or print them for a household.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action, Scope, scope_of
from seuil.core.views_policy import policy
from seuil.households.models import Household

from . import mobility
from .enums import MeetingOutcome, MobilityStatus, TransmittedPart
from .mobility_forms import MeetingForm, OpenFileForm, StepForm, TerritorySheetForm, TransferForm
from .models import MobilityFile, TerritorySheet

CRUMBS = [("mobility:files", "Mobilité nationale")]


def _files(user):
    return (
        MobilityFile.objects.visible_to(user, Action.VIEW_MOBILITY)
        .select_related("household", "platform", "departure", "arrival")
        .order_by("-opened_on", "-pk")
    )


@policy(read=Action.VIEW_MOBILITY)
def files(request):
    """The paths the user follows, and the platform's dashboard of them."""
    rows = list(_files(request.user))
    return render(
        request,
        "outcomes/mobility/files.html",
        {
            "rows": rows,
            "dashboard": mobility.dashboard(rows),
            "is_platform": scope_of(request.user, Action.RECORD_MOBILITY_STEP) == Scope.CONSENTED,
        },
    )


@policy(Action.RECORD_MOBILITY_STEP)
def open_file(request):
    """The platform opens the path of a household that consented."""
    user = request.user
    is_platform = scope_of(user, Action.RECORD_MOBILITY_STEP) == Scope.CONSENTED
    households = (
        Household.objects.visible_to(user, Action.VIEW_HOUSEHOLDS).order_by("ref")
        if is_platform
        else Household.objects.none()
    )
    form = OpenFileForm(
        request.POST or None, households=households, initial={"on": timezone.localdate()}
    )
    if not is_platform:
        return render(request, "outcomes/mobility/open_refused.html", status=200)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        file = run_service(
            form,
            lambda: mobility.open_file(
                data["household"],
                platform=user.organisation,
                departure=data["departure"],
                on=data["on"],
                by=user,
            ),
        )
        if file:
            messages.success(request, f"Parcours {file.ref} ouvert.")
            return redirect("mobility:detail", uuid=file.uuid)
    return form_page(request, form, title="Ouvrir un parcours de mobilité", crumbs=CRUMBS)


def _file(request, uuid):
    return object_or_404(
        request,
        MobilityFile.objects.select_related("household", "platform", "departure", "arrival"),
        uuid,
    )


@policy(read=Action.VIEW_MOBILITY, write=Action.RECORD_MOBILITY_STEP)
def detail(request, uuid):
    file = _file(request, uuid)
    record_access(request.user, AccessLog.Action.VIEW, file)
    steps = mobility.next_steps(file, request.user)
    today = timezone.localdate()
    parties = mobility.parties(file, request.user)
    return render(
        request,
        "outcomes/mobility/detail.html",
        {
            "file": file,
            "steps_done": file.transitions.select_related("by").order_by("on", "at", "id"),
            "meetings": file.meetings.all(),
            "step_forms": [
                (
                    s,
                    MobilityStatus(s).label,
                    StepForm(steps=steps, prefix=s, initial={"to": s, "on": today}),
                )
                for s in steps
            ],
            "meeting_form": MeetingForm(initial={"planned_on": today}),
            "transfer_form": TransferForm(initial={"on": today}),
            "transmitted": [TransmittedPart(p).label for p in file.transmitted],
            "outcomes": MeetingOutcome.choices,
            "may_meet": bool({"platform", "departure"} & parties)
            and file.status in ("choice", "meeting", "proposal"),
            "may_send": "departure" in parties
            and file.file_sent_on is None
            and file.status in ("proposal", "acceptance"),
            "may_acknowledge": "arrival" in parties
            and file.file_sent_on is not None
            and file.file_received_on is None,
            "crumbs": CRUMBS,
        },
    )


def _back(request, file, done, message):
    if done:
        messages.success(request, message)
    return redirect("mobility:detail", uuid=file.uuid)


def _errors(request, form):
    for error in form.non_field_errors():
        messages.error(request, error)
    for name, errors in form.errors.items():
        if name != "__all__":
            label = form.fields[name].label
            for error in errors:
                messages.error(request, f"{label} : {error}")


@policy(read=Action.VIEW_MOBILITY, write=Action.RECORD_MOBILITY_STEP)
def step(request, uuid):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    file = _file(request, uuid)
    steps = mobility.next_steps(file, request.user)
    prefix = request.POST.get("step")
    form = StepForm(request.POST, steps=steps, prefix=prefix if prefix in steps else None)
    done = None
    if form.is_valid():
        data = form.cleaned_data
        values = {k: v for k, v in data.items() if k not in ("to", "on", "comment") and v}
        done = run_service(
            form,
            lambda: mobility.advance(
                file, data["to"], on=data["on"], by=request.user, comment=data["comment"], **values
            ),
        )
    _errors(request, form)
    label = MobilityStatus(form.cleaned_data["to"]).label if done else ""
    return _back(request, file, done, f"Étape enregistrée : {label}.")


@policy(read=Action.VIEW_MOBILITY, write=Action.RECORD_MOBILITY_STEP)
def meeting(request, uuid):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    file = _file(request, uuid)
    form = MeetingForm(request.POST)
    done = None
    if form.is_valid():
        data = form.cleaned_data
        if data["meeting"]:
            held = file.meetings.filter(uuid=data["meeting"]).first()
            if held is None or not data["held_on"] or not data["outcome"]:
                form.add_error(None, "Indiquez la date de la rencontre et son issue.")
            else:
                done = run_service(
                    form,
                    lambda: mobility.record_meeting(
                        held, held_on=data["held_on"], outcome=data["outcome"], by=request.user
                    ),
                )
        elif not data["planned_on"]:
            form.add_error(None, "Indiquez la date prévue de la rencontre.")
        else:
            done = run_service(
                form,
                lambda: mobility.plan_meeting(
                    file,
                    planned_on=data["planned_on"],
                    interpreter_language=data["interpreter_language"],
                    by=request.user,
                ),
            )
    _errors(request, form)
    return _back(request, file, done, "Rencontre à trois enregistrée.")


@policy(read=Action.VIEW_MOBILITY, write=Action.RECORD_MOBILITY_STEP)
def transfer(request, uuid):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    file = _file(request, uuid)
    form = TransferForm(request.POST)
    done = None
    if form.is_valid():
        data = form.cleaned_data
        if request.POST.get("acknowledge"):
            done = run_service(
                form, lambda: mobility.acknowledge_file(file, on=data["on"], by=request.user)
            )
            message = "Réception du dossier enregistrée."
        else:
            done = run_service(
                form,
                lambda: mobility.send_file(
                    file,
                    on=data["on"],
                    parts=data["parts"],
                    household_agreed=data["household_agreed"],
                    by=request.user,
                ),
            )
            message = "Dossier transmis à l'opérateur d'arrivée."
    _errors(request, form)
    return _back(request, file, done, message if done else "")


# ---------------------------------------------------------------- territory sheets


@policy(read=None)
def territories(request):
    sheets = TerritorySheet.objects.select_related("platform").order_by("department", "pk")
    return render(
        request,
        "outcomes/mobility/territories.html",
        {
            "sheets": sheets,
            "can_manage": scope_of(request.user, Action.MANAGE_TERRITORY_SHEETS) is not None,
        },
    )


@policy(read=None)
def territory(request, uuid):
    sheet = object_or_404(request, TerritorySheet, uuid)
    return render(request, "outcomes/mobility/territory.html", {"sheet": sheet})


@policy(Action.MANAGE_TERRITORY_SHEETS)
def territory_edit(request, uuid=None):
    sheet = (
        object_or_404(request, TerritorySheet, uuid)
        if uuid
        else TerritorySheet(platform=request.user.organisation)
    )
    form = TerritorySheetForm(request.POST or None, instance=sheet)
    if request.method == "POST" and form.is_valid():
        sheet = form.save()
        messages.success(request, f"Fiche « {sheet.name} » enregistrée.")
        return redirect("mobility:territory", uuid=sheet.uuid)
    return form_page(
        request,
        form,
        title=f"Fiche territoire : {sheet.name}" if uuid else "Nouvelle fiche territoire",
        crumbs=[*CRUMBS, (reverse("mobility:territories"), "Fiches territoires")],
    )
