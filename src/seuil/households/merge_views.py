"""Merging two duplicate files (`merging`): two households of the organisation, or two
persons of a household, and undoing a merge within its 30 days.

The holder's service manager or SIAO coordinator (MERGE_HOUSEHOLDS, scope own) finds the
other file, sees side by side what each holds and what the kept file will hold, gives the
reason and confirms; a merge that conflicts says why and cannot be confirmed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access, record_reads
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.permissions import can_merge_households
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import merging
from .forms import MergeSearchForm, PersonMergeForm, ReasonForm
from .models import FileMerge, Household, Person
from .pages import household_crumbs, to_file

CANDIDATES = 20
FILLED, EMPTY = "Renseignée", "Vide"


@dataclass
class Column:
    title: str
    ref: str
    rows: list  # [(label, value)]
    counts: dict  # {label: n}


def _counts(model, obj):
    counts = {}
    for fk in merging.relations(model):
        if fk.model in merging.UNSPOKEN:
            continue
        n = fk.model._base_manager.filter(**{fk.name: obj}).count()
        if n:
            label = str(fk.model._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + n
    return counts


def _members(household):
    members = household.memberships.select_related("person").order_by("left_on", "pk")
    return (
        ", ".join(f"{m.person.full_name} ({m.get_role_display().lower()})" for m in members)
        or "Aucun"
    )


def _household_rows(household, values=None):
    values = values or {}

    def value(name):
        return values.get(name, getattr(household, name))

    head = household.head_on(None)
    return [
        ("Personne de référence", head.person.full_name if head else "Aucune"),
        ("Membres", _members(household)),
        (
            "Situation avant l'accueil",
            dict(Household._meta.get_field("prior_situation").flatchoices).get(
                value("prior_situation")
            )
            or "Non renseignée",
        ),
        ("Note sociale", FILLED if value("social_note") else EMPTY),
        ("Informations sensibles", FILLED if value("sensitive_details") else EMPTY),
    ]


def _person_rows(person, values=None):
    values = values or {}

    def value(name):
        return values.get(name, getattr(person, name))

    birth = value("birth_date")
    return [
        ("Prénom", value("first_name") or "Non renseigné"),
        ("Nom", value("last_name") or "Non renseigné"),
        ("Sexe", dict(Person._meta.get_field("sex").flatchoices).get(value("sex")) or "—"),
        ("Date de naissance", f"{birth:%d/%m/%Y}" if birth else "Inconnue"),
    ]


def _columns(plan, model, rows_of):
    kept, absorbed = plan.kept, plan.absorbed
    after = {}
    for counts in (_counts(model, kept), _counts(model, absorbed)):
        for label, n in counts.items():
            after[label] = after.get(label, 0) + n
    for row in plan.drops:
        label = str(row._meta.verbose_name_plural)
        after[label] -= 1
    return [
        Column("Dossier gardé", kept.ref, rows_of(kept), _counts(model, kept)),
        Column("Dossier fusionné", absorbed.ref, rows_of(absorbed), _counts(model, absorbed)),
        Column("Après la fusion", kept.ref, rows_of(kept, plan.fills), after),
    ]


def _compare_page(request, *, plan, model, rows_of, title, crumbs, form, swap_url):
    columns = _columns(plan, model, rows_of)
    labels = sorted({label for column in columns for label in column.counts})
    return render(
        request,
        "households/merge_compare.html",
        {
            "title": title,
            "crumbs": crumbs,
            "plan": plan,
            "columns": columns,
            "fields": [
                (label, [column.rows[i][1] for column in columns])
                for i, (label, _) in enumerate(columns[0].rows)
            ],
            "counts": [(label, [c.counts.get(label, 0) for c in columns]) for label in labels],
            "notes": [note for *_, note in plan.changes],
            "dropped": plan.drops,
            "form": form,
            "swap_url": swap_url,
            "undo_days": merging.UNDO_DAYS,
        },
    )


# ---- households ----------------------------------------------------------------------


def _candidates(request, household, query):
    households = (
        Household.objects.visible_to(request.user, Action.MERGE_HOUSEHOLDS)
        .filter(anonymised_on__isnull=True)
        .exclude(pk=household.pk)
    )
    words = query.split()
    for word in words:
        households = households.filter(
            Q(ref__icontains=word)
            | Q(memberships__person__last_name__icontains=word)
            | Q(memberships__person__first_name__icontains=word)
        )
    households = households.distinct().order_by("ref")[:CANDIDATES]
    return record_reads(
        request.user, households.prefetch_related("memberships__person") if words else []
    )


@policy(Action.MERGE_HOUSEHOLDS)
def household_merge_search(request, uuid):
    """Find the other file of the same household (by reference or name)."""
    household = object_or_404(request, Household, uuid)
    form = MergeSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    candidates = _candidates(request, household, query) if query else []
    return render(
        request,
        "households/merge_search.html",
        {
            "household": household,
            "form": form,
            "query": query,
            "candidates": [(c, c.head_on(None)) for c in candidates],
            "undo_days": merging.UNDO_DAYS,
        },
    )


@policy(Action.MERGE_HOUSEHOLDS)
def household_merge(request, uuid, other):
    """Compare `uuid` (kept) and `other` (absorbed) side by side, then merge."""
    kept = object_or_404(request, Household, uuid)
    absorbed = object_or_404(request, Household, other)
    form = ReasonForm(
        request.POST or None,
        help_text="Par exemple : même ménage créé deux fois (homonymes vérifiés).",
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: merging.merge_households(
                kept, absorbed, by=request.user, reason=form.cleaned_data["reason"]
            ),
        ):
            return to_file(
                request,
                kept,
                f"Le dossier {absorbed.ref} a été fusionné dans celui-ci. Vous pouvez annuler "
                f"la fusion pendant {merging.UNDO_DAYS} jours.",
            )
    with transaction.atomic():
        record_access(request.user, AccessLog.Action.VIEW, kept)
        record_access(request.user, AccessLog.Action.VIEW, absorbed)
    plan = merging.plan_household_merge(kept, absorbed)
    return _compare_page(
        request,
        plan=plan,
        model=Household,
        rows_of=_household_rows,
        title=f"Fusionner le dossier {absorbed.ref} dans {kept.ref}",
        crumbs=[
            *household_crumbs(kept),
            (reverse("households:merge", args=[kept.uuid]), "Fusionner"),
        ],
        form=form,
        swap_url=reverse("households:merge_with", args=[absorbed.uuid, kept.uuid]),
    )


# ---- persons -------------------------------------------------------------------------


@policy(Action.MERGE_HOUSEHOLDS)
def person_merge(request, uuid, person):
    """Merge another member's file into `person`'s: the same person entered twice."""
    household = object_or_404(request, Household, uuid)
    members = Person.objects.filter(memberships__household=household).distinct()
    kept = get_object_or_404(members, uuid=person)
    others = members.exclude(pk=kept.pk).order_by("last_name", "first_name")
    chooser = PersonMergeForm(request.GET or None, persons=others)
    absorbed = None
    if request.GET.get("other") and chooser.is_valid():
        absorbed = others.get(uuid=chooser.cleaned_data["other"])
    if absorbed is None:
        return render(
            request,
            "households/merge_person_choose.html",
            {
                "household": household,
                "person": kept,
                "form": chooser,
                "crumbs": household_crumbs(household),
            },
        )
    form = ReasonForm(
        request.POST or None, help_text="Par exemple : même personne saisie deux fois."
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: merging.merge_persons(
                kept,
                absorbed,
                household=household,
                by=request.user,
                reason=form.cleaned_data["reason"],
            ),
        ):
            return to_file(
                request,
                household,
                f"La fiche {absorbed.ref} a été fusionnée dans celle de {kept.full_name}. "
                f"Vous pouvez annuler la fusion pendant {merging.UNDO_DAYS} jours.",
            )
    with transaction.atomic():
        record_access(request.user, AccessLog.Action.VIEW, kept)
        record_access(request.user, AccessLog.Action.VIEW, absorbed)
    plan = merging.plan_person_merge(kept, absorbed)
    swap = reverse("households:merge_person", args=[household.uuid, absorbed.uuid])
    return _compare_page(
        request,
        plan=plan,
        model=Person,
        rows_of=_person_rows,
        title=f"Fusionner la fiche {absorbed.ref} dans celle de {kept.full_name}",
        crumbs=household_crumbs(household),
        form=form,
        swap_url=f"{swap}?other={kept.uuid}",
    )


# ---- undo ----------------------------------------------------------------------------


@policy(Action.MERGE_HOUSEHOLDS)
def merge_undo(request, uuid, merge):
    """« Annuler la fusion »: both files as they were, within the 30 days."""
    household = object_or_404(request, Household, uuid)
    merge = get_object_or_404(
        FileMerge.objects.visible_to(request.user).filter(household=household), uuid=merge
    )
    form = ReasonForm(
        request.POST or None, help_text="Par exemple : homonymes, pas le même ménage."
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: merging.undo_merge(merge, by=request.user, reason=form.cleaned_data["reason"]),
        ):
            return to_file(
                request,
                household,
                f"La fusion est annulée : le dossier {merge.absorbed_ref} est rétabli.",
            )
    refusal = merging.undo_refusal(merge, timezone.now())
    return form_page(
        request,
        form,
        title=f"Annuler la fusion du dossier {merge.absorbed_ref}",
        crumbs=household_crumbs(household),
        intro=refusal
        or f"Les deux dossiers redeviennent ce qu'ils étaient avant la fusion du "
        f"{timezone.localtime(merge.merged_at):%d/%m/%Y} ; ce qui a été ajouté depuis au "
        f"dossier {merge.kept_ref} y reste. L'annulation et son motif restent dans "
        "l'historique.",
        submit="Annuler la fusion",
    )


def merge_sections(user, household):
    """What the household file shows of its merges: those that can still be undone."""
    own = user.organisation_id == household.organisation_id
    if not (own and can_merge_households(user)):
        return {"can_merge": False, "undoable_merges": []}
    return {"can_merge": True, "undoable_merges": merging.undoable_merges(household)}
