"""Housing pages: the stock list, the unit page with its occupancy history, the unit forms,
and the entry and exit of a household.

Each view declares its policy action (`@policy`): reading needs VIEW_UNITS, changing a unit
CHANGE_UNITS, entries and exits CHANGE_STAYS (otherwise 403); every object comes through
`visible_to(request.user)` (another organisation → 404). Writes go through
`seuil.housing.services`, whose French errors are shown on the form, nothing written. The
state of a unit (vacant, occupied…) is not personal data; who lives there is shown only from
the stays the user may see.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_reads
from seuil.core.forms import run_service
from seuil.core.pages import form_page, is_uuid, object_or_404
from seuil.core.permissions import can_change_stays, can_change_units, can_view_households
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.households.forms import ReasonForm
from seuil.households.models import Household, Membership
from seuil.households.pages import household_crumbs

from . import services
from .document_views import unit_documents
from .filters import UnitPageFilterSet
from .forms import EntryForm, ExitForm, HousingUnitForm, StayCorrectionForm
from .models import HousingUnit, Stay
from .vacant_units import vacancy_of

PAGE_SIZE = 50


# ---- the state of units today, without a query per unit --------------------------------


def with_state(units, day):
    """Annotate what the state of each unit on `day` needs, in the same query."""
    room_count = (
        HousingUnit.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    present = Stay.objects.present_on(day).filter(unit=OuterRef("pk")).order_by("-entered_on")
    return (
        units.with_last_exit(day)
        .select_related("parent", "sector", "landlord", "programme")
        .annotate(
            room_count=Coalesce(Subquery(room_count), 0),
            present_stay_id=Subquery(present.values("pk")[:1]),
        )
    )


def _stays_with_households(stays):
    return stays.select_related("household", "programme").prefetch_related(
        Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))
    )


@dataclass
class UnitRow:
    """A unit with its state on a day: shared, upcoming, returned, occupied or vacant."""

    unit: HousingUnit
    state: str
    vacant_since: datetime.date | None = None
    vacant_days: int | None = None
    current_stay: Stay | None = None
    head: Membership | None = None

    @property
    def is_vacant(self):
        return self.state == "vacant"


def _state(unit, day):
    if unit.room_count:
        return "shared"
    if unit.captured_on > day:
        return "upcoming"
    if unit.returned_on is not None and unit.returned_on <= day:
        return "returned"
    return "occupied" if unit.present_stay_id else "vacant"


def unit_rows(units, user, day):
    """Rows for units annotated by `with_state`; one more query for present households."""
    units = list(units)
    stay_ids = [u.present_stay_id for u in units if u.present_stay_id]
    visible = _stays_with_households(Stay.objects.visible_for_lookup(user).filter(pk__in=stay_ids))
    stays = {stay.pk: stay for stay in visible} if stay_ids else {}
    rows = []
    for unit in units:
        row = UnitRow(unit=unit, state=_state(unit, day))
        if row.state == "vacant":
            vacancy = vacancy_of(unit, day)
            row.vacant_since, row.vacant_days = vacancy.vacant_since, vacancy.days
        row.current_stay = stays.get(unit.present_stay_id)
        if row.current_stay:
            household = row.current_stay.household
            row.head = household.head_on(day) or household.head_on(None)
        rows.append(row)
    return rows


def _read_households(user, stays):
    """The households a unit page names (by their head) through these stays: one
    access-log row each."""
    record_reads(user, [stay.household for stay in stays if stay is not None])


# ---- list ------------------------------------------------------------------------------

# The household a user is looking a unit for (« Faire entrer dans un logement » from its
# file): the list, the unit page and the entry form keep it in their links.
ENTERING = "menage"


def household_entering(request):
    """The household named by `?menage=` if the user may make it enter a unit, else None."""
    chosen = request.GET.get(ENTERING)
    if not chosen or not is_uuid(chosen) or not can_change_stays(request.user):
        return None
    households = Household.objects.visible_to(request.user, Action.CHANGE_STAYS)
    return (
        households.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("person"))
        )
        .filter(uuid=chosen)
        .first()
    )


def in_list_order(units):
    """A shared dwelling first, then its rooms, in the order of the dwelling's reference."""
    return units.order_by(
        Coalesce("parent__ref", "ref"), F("parent_id").asc(nulls_first=True), "ref", "pk"
    )


@policy(read=Action.VIEW_UNITS)
def unit_list(request):
    today = timezone.localdate()
    filters = UnitPageFilterSet(
        request.GET or None,
        queryset=HousingUnit.objects.visible_to(request.user),
        request=request,
    )
    units = with_state(in_list_order(filters.qs), today)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = unit_rows(page.object_list, request.user, today)
    may_see_households = can_view_households(request.user)
    if may_see_households:
        _read_households(request.user, [row.current_stay for row in rows])
    query = request.GET.copy()
    query.pop("page", None)
    entering = household_entering(request)
    return render(
        request,
        "housing/list.html",
        {
            "entering": entering,
            "form": filters.form,
            "page_obj": page,
            "rows": rows,
            "filtered": filters.filtered,
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "today": today,
            "can_create": can_change_units(request.user),
            "can_see_households": may_see_households,
        },
    )


# ---- unit page -------------------------------------------------------------------------


@policy(read=Action.VIEW_UNITS)
def unit_detail(request, uuid):
    today = timezone.localdate()
    unit = object_or_404(request, with_state(HousingUnit.objects.all(), today), uuid)
    visible_units = HousingUnit.objects.visible_to(request.user)
    row = unit_rows([unit], request.user, today)[0]
    rooms = unit_rows(with_state(visible_units.filter(parent=unit), today), request.user, today)
    stays = sorted(
        _stays_with_households(Stay.objects.visible_for_lookup(request.user).filter(unit=unit)),
        key=lambda s: (s.entered_on, s.pk),
        reverse=True,
    )
    may_move = can_change_stays(request.user)
    may_see_households = can_view_households(request.user)
    if may_see_households:
        _read_households(
            request.user, [row.current_stay, *(room.current_stay for room in rooms), *stays]
        )
    return render(
        request,
        "housing/detail.html",
        {
            "entering": household_entering(request),
            "unit": unit,
            "crumbs": unit_crumbs(unit.parent),
            "row": row,
            "rooms": rooms,
            "stays": [(stay, stay.household.head_on(None)) for stay in stays],
            "today": today,
            "can_edit": can_change_units(request.user),
            "can_enter": may_move and row.is_vacant,
            "can_exit": may_move,
            "can_see_households": may_see_households,
            "documents": unit_documents(request.user, unit),
        },
    )


# ---- create and edit a unit ------------------------------------------------------------


def unit_crumbs(unit=None):
    """(URL, label) pairs above a page of `unit` (or of the unit list)."""
    crumbs = [(reverse("housing:list"), "Logements")]
    if unit is not None:
        crumbs.append((unit.get_absolute_url(), f"Logement {unit.ref}"))
    return crumbs


def _save_unit(request, form, success_message):
    if request.method == "POST" and form.is_valid():
        unit = form.save(commit=False)
        if run_service(form, lambda: services.save_unit(unit, acting_user=request.user)):
            messages.success(request, success_message.format(ref=unit.ref))
            return redirect("housing:detail", uuid=unit.uuid)
    return None


@policy(Action.CHANGE_UNITS)
def unit_create(request):
    form = HousingUnitForm(
        request.POST or None, user=request.user, organisation=request.user.organisation
    )
    return _save_unit(request, form, "Le logement {ref} a été ajouté au parc.") or (
        form_page(
            request,
            form,
            title="Ajouter un logement",
            crumbs=unit_crumbs(),
            submit="Ajouter le logement",
        )
    )


@policy(Action.CHANGE_UNITS)
def unit_edit(request, uuid):
    unit = object_or_404(request, HousingUnit, uuid)
    form = HousingUnitForm(
        request.POST or None,
        instance=unit,
        user=request.user,
        organisation=unit.organisation,
    )
    response = _save_unit(request, form, "Le logement {ref} a été modifié.")
    if response:
        return response
    # Show the saved reference, not a half-edited one, in the title and breadcrumb.
    saved = HousingUnit.objects.get(pk=unit.pk)
    return form_page(
        request, form, title=f"Modifier le logement {saved.ref}", crumbs=unit_crumbs(saved)
    )


# ---- entry and exit --------------------------------------------------------------------


@policy(Action.CHANGE_STAYS)
def unit_enter(request, uuid):
    today = timezone.localdate()
    unit = object_or_404(request, with_state(HousingUnit.objects.all(), today), uuid)
    initial = {"entered_on": today, "programme": unit.programme}
    entering = household_entering(request)
    if entering is not None:
        initial["household"] = str(entering.uuid)
    form = EntryForm(request.POST or None, user=request.user, day=today, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stay = run_service(
            form,
            lambda: services.enter_household(
                data["household"],
                unit,
                entered_on=data["entered_on"],
                acting_user=request.user,
                programme=data["programme"],
                support_intensity=data["support_intensity"],
            ),
        )
        if stay:
            messages.success(
                request,
                f"Entrée enregistrée : {stay.household} dans le logement {unit.ref} "
                f"le {stay.entered_on:%d/%m/%Y}.",
            )
            return redirect("housing:detail", uuid=unit.uuid)
    row = unit_rows([unit], request.user, today)[0]
    intro = _entry_intro(row)
    if form.warning and not form.is_bound:
        intro += f" {form.warning} Confirmez l'entrée en bas du formulaire."
    return form_page(
        request,
        form,
        title=f"Faire entrer un ménage dans le logement {unit.ref}",
        crumbs=unit_crumbs(unit),
        intro=intro,
        submit="Faire entrer le ménage",
    )


def _entry_intro(row):
    unit = row.unit
    where = f", {unit.address}" if unit.address else ""
    text = f"Logement {unit.ref} : {unit.get_typology_display()}{where}."
    if row.state == "shared":
        return text + (
            " Ce logement est partagé en chambres : faites entrer le ménage dans une "
            "de ses chambres."
        )
    if row.is_vacant:
        return text + f" Vacant depuis le {row.vacant_since:%d/%m/%Y}."
    if row.state == "occupied":
        return text + " Occupé aujourd'hui : l'entrée n'est possible qu'après la sortie."
    if row.state == "returned":
        return text + f" Rendu au bailleur le {unit.returned_on:%d/%m/%Y}."
    return text + f" Dans le parc à partir du {unit.captured_on:%d/%m/%Y}."


@policy(Action.CHANGE_STAYS)
def stay_exit(request, stay):
    stay = object_or_404(
        request, _stays_with_households(Stay.objects.all()).select_related("unit"), stay
    )
    unit = stay.unit
    # A form loaded before the exit was recorded goes to the service, which refuses it
    # as a stale edit and shows the user's input again; anything else goes back.
    stale_post = request.method == "POST" and request.POST.get("version")
    if stay.exited_on is not None and not stale_post:
        messages.error(
            request,
            f"La sortie de ce séjour est déjà enregistrée (le {stay.exited_on:%d/%m/%Y}).",
        )
        return redirect("housing:detail", uuid=unit.uuid)
    form = ExitForm(
        request.POST or None,
        initial={"exited_on": timezone.localdate(), "version": stay.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.record_exit(
                stay,
                exited_on=data["exited_on"],
                destination=data["destination"],
                lease_transferred=data["lease_transferred"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        )
        if done:
            messages.success(
                request,
                f"Sortie enregistrée : {stay.household} a quitté le logement {unit.ref} "
                f"le {data['exited_on']:%d/%m/%Y}.",
            )
            return redirect("housing:detail", uuid=unit.uuid)
    return form_page(
        request,
        form,
        title=f"Enregistrer la sortie du logement {unit.ref}",
        crumbs=unit_crumbs(unit),
        intro=f"{stay.household}, entré le {stay.entered_on:%d/%m/%Y}.",
        submit="Enregistrer la sortie",
        template="housing/exit.html",
        context={"stay": stay},
    )


# ---- corrections of a stay entered by mistake ---------------------------------------------


def _own_stay(request, stay):
    return object_or_404(
        request, Stay.objects.select_related("unit", "household", "programme"), stay
    )


@policy(Action.CHANGE_STAYS)
def stay_correct(request, stay):
    """Corriger les dates ou le dispositif d'un séjour saisi par erreur (avec le motif)."""
    stay = _own_stay(request, stay)
    household = stay.household
    form = StayCorrectionForm(
        request.POST or None,
        stay=stay,
        user=request.user,
        initial={
            "entered_on": stay.entered_on,
            "exited_on": stay.exited_on,
            "programme": stay.programme.uuid if stay.programme else None,
            "version": stay.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.correct_stay(
                stay,
                entered_on=data["entered_on"],
                exited_on=data.get("exited_on"),
                programme=data["programme"],
                reason=data["reason"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        ):
            messages.success(request, f"Le séjour au logement {stay.unit.ref} a été corrigé.")
            return redirect(household.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Corriger le séjour au logement {stay.unit.ref}",
        crumbs=household_crumbs(household),
        intro="Pour une erreur de saisie : la correction et son motif restent dans "
        "l'historique du dossier. Les règles d'une entrée valent toujours (logement libre, "
        "ménage logé une seule fois à la fois).",
        submit="Corriger le séjour",
    )


@policy(Action.CHANGE_STAYS)
def stay_delete(request, stay):
    """Supprimer un séjour saisi par erreur (avec le motif), si rien n'y est rattaché."""
    stay = _own_stay(request, stay)
    household = stay.household
    blockers = services.deletion_blockers(stay)
    form = ReasonForm(
        request.POST or None, help_text="Pourquoi ce séjour est supprimé (erreur de saisie…)."
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.delete_stay(
                stay, reason=form.cleaned_data["reason"], acting_user=request.user
            ),
        ):
            messages.success(request, f"Le séjour au logement {stay.unit.ref} a été supprimé.")
            return redirect(household.get_absolute_url())
    intro = (
        f"Séjour entré le {stay.entered_on:%d/%m/%Y} au logement {stay.unit.ref}. "
        "La suppression et son motif restent dans l'historique du dossier ; le logement "
        "redevient vacant."
    )
    if blockers:
        intro += (
            f" Ce séjour ne peut pas être supprimé : des enregistrements y sont rattachés "
            f"({', '.join(blockers)}). Corrigez plutôt ses dates."
        )
    return form_page(
        request,
        form,
        title=f"Supprimer le séjour au logement {stay.unit.ref}",
        crumbs=household_crumbs(household),
        intro=intro,
        submit="Supprimer le séjour",
    )
