"""Household pages: the list, the household file, and the forms that change them.

Each view declares its policy action (`@policy`): reading needs VIEW_HOUSEHOLDS, writing
CHANGE_HOUSEHOLDS (otherwise 403); every object comes through `visible_to(request.user)`
(another organisation → 404). Every write goes through `seuil.households.services`, whose
French errors are shown in the form.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from seuil.core.audit import record_access, record_reads
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.permissions import can_change_households
from seuil.core.policy import Action
from seuil.core.scoped_pages import PagedParts
from seuil.core.views_policy import policy
from seuil.core.wording import of_name, plural

from . import services
from .document_views import documents_of
from .duplicates import fingerprint, likely_duplicates
from .enums import LegalStatus, MemberRole
from .filters import HouseholdFilterSet
from .forms import (
    ContactDetailsForm,
    HouseholdCreateForm,
    HouseholdForm,
    LegalStatusForm,
    MemberEditForm,
    MemberForm,
    ResourcesForm,
)
from .list_extensions import list_prefetches
from .merge_views import merge_sections
from .models import Household, Membership, Person
from .pages import household_crumbs, to_file
from .sensitive_views import sensitive_sections

PAGE_SIZE = 25

# ---- list ----------------------------------------------------------------------------


def _with_file_data(households):
    """Prefetch what the list and the file display, so that no row costs a query (the
    file adds its own: `file_household`)."""
    return households.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("person").prefetch_related(
                "person__legal_status_records"
            ),
        ),
        *list_prefetches(),
    )


def _current_and_last_stay(household, day):
    stays = [s for s in household.stays.all() if s.entered_on <= day]
    current = next((s for s in stays if s.is_present_on(day)), None)
    last = max(stays, key=lambda s: (s.entered_on, s.pk), default=None)
    return current, last


def _status_label(status):
    return LegalStatus(status).label if status else "Non renseigné"


@dataclass
class HouseholdRow:
    household: Household
    head: Membership | None
    persons: int
    current_stay: object  # housing's Stay, through the `stays` of the household
    last_stay: object
    legal_status: str


def _row(household, day):
    head = household.head_on(day) or household.head_on(None)
    current, last = _current_and_last_stay(household, day)
    status = head.person.legal_status_on(day) if head else None
    return HouseholdRow(
        household=household,
        head=head,
        persons=len(household.members_on(day)),
        current_stay=current,
        last_stay=last,
        legal_status=_status_label(status),
    )


@policy(read=Action.VIEW_HOUSEHOLDS)
def household_list(request):
    today = timezone.localdate()
    filters = HouseholdFilterSet(
        request.GET or None, queryset=Household.objects.visible_to(request.user), request=request
    )
    # The same households as `filters.qs`, paged part by part (`core.scoped_pages`): by the
    # current head's names (stored: `Household.head_name`, indexed with the organisation),
    # those without a head last.
    households = PagedParts(
        [filters.narrow(part) for part in Household.objects.visible_parts(request.user)],
        [F("head_name").asc(nulls_last=True), "pk"],
        _with_file_data(Household.objects.all()),
    )
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    # The list and the search show each household of the page by its head's name: one
    # access-log row per household of the page, none for the other pages.
    shown = record_reads(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/list.html",
        {
            "form": filters.form,
            "page_obj": page,
            "rows": [_row(h, today) for h in shown],
            "filtered": filters.filtered,
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "today": today,
        },
    )


# ---- household file ------------------------------------------------------------------


def age_label(age):
    if age is None:
        return "Inconnu"
    if age == 0:
        return "Moins d'un an"
    return plural(age, "an")


@dataclass
class MemberRow:
    membership: Membership
    person: Person
    age: str
    is_current: bool
    legal_status: str
    statuses: list
    contact: object  # ContactDetails in force, or None
    contact_history: list  # the earlier (and later-dated) records, newest first


ROLE_ORDER = {MemberRole.HEAD: 0, MemberRole.PARTNER: 1, MemberRole.CHILD: 2, MemberRole.OTHER: 3}


def _member_rows(household, day):
    rows = []
    for membership in household.memberships.all():
        person = membership.person
        contact = person.contact_details_on(day)
        rows.append(
            MemberRow(
                membership=membership,
                person=person,
                age=age_label(person.age_on(day)),
                is_current=membership.is_member_on(day) or membership.left_on is None,
                legal_status=_status_label(person.legal_status_on(day)),
                statuses=sorted(
                    person.legal_status_records.all(), key=lambda r: r.since, reverse=True
                ),
                contact=contact,
                contact_history=sorted(
                    (r for r in person.contact_details.all() if r != contact),
                    key=lambda r: r.since,
                    reverse=True,
                ),
            )
        )
    rows.sort(
        key=lambda r: (
            not r.is_current,
            ROLE_ORDER.get(r.membership.role, 9),
            r.person.birth_date or day,
            r.person.last_name,
            r.person.first_name,
        )
    )
    return rows


def file_context(request, household, today):
    """What the household file shows `request.user` (its page and its PDF): each part only
    to who may see it."""
    resources = sorted(household.resource_records.all(), key=lambda r: r.on, reverse=True)
    return {
        "household": household,
        "head": household.head_on(today) or household.head_on(None),
        "members": _member_rows(household, today),
        "resources": resources,
        "current_resources": next((r for r in resources if r.on <= today), None),
        "can_edit": can_change_households(request.user)
        and household.organisation_id == request.user.organisation_id,
        "today": today,
        "documents": documents_of(request.user, household),
        **sensitive_sections(request.user, household, today),
        **merge_sections(request.user, household),
    }


def file_household(request, uuid):
    """The household of the file's URL, its read logged (404 out of the user's reach)."""
    with transaction.atomic():
        household = object_or_404(
            request,
            _with_file_data(Household.objects.all()).prefetch_related(
                "memberships__person__contact_details", "resource_records"
            ),
            uuid,
        )
        record_access(request.user, AccessLog.Action.VIEW, household)
    return household


@policy(read=Action.VIEW_HOUSEHOLDS)
def household_detail(request, uuid):
    household = file_household(request, uuid)
    return render(
        request,
        "households/detail.html",
        file_context(request, household, timezone.localdate()),
    )


# ---- forms ---------------------------------------------------------------------------


def _duplicates_to_confirm(request, form):
    """The likely duplicates (`duplicates.likely_duplicates`) of the person a valid
    creation form names, unless the user has already seen them for this very name and
    birth date; the form then carries that mark, so that sending it again confirms."""
    data = form.cleaned_data
    identity = (data["first_name"], data["last_name"], data["birth_date"])
    duplicates = likely_duplicates(
        request.user, first_name=identity[0], last_name=identity[1], birth_date=identity[2]
    )
    mark = fingerprint(*identity)
    if not duplicates or data.get("duplicates_seen") == mark:
        return []
    form.data = form.data.copy()
    form.data[form.add_prefix("duplicates_seen")] = mark
    record_reads(request.user, [d.person for d in duplicates])
    return duplicates


PERSON_FORM = "households/person_form.html"


@policy(Action.CHANGE_HOUSEHOLDS)
def household_create(request):
    form = HouseholdCreateForm(request.POST or None)
    duplicates = []
    if (
        request.method == "POST"
        and form.is_valid()
        and not (duplicates := _duplicates_to_confirm(request, form))
    ):
        data = form.cleaned_data
        created = {}

        def create():
            with transaction.atomic():
                household = services.create_household(
                    organisation=request.user.organisation,
                    acting_user=request.user,
                    prior_situation=data["prior_situation"],
                )
                head = services.add_member(
                    household,
                    acting_user=request.user,
                    person_fields=form.person_fields(),
                    role=MemberRole.HEAD,
                )
                if data["legal_status"]:
                    services.record_legal_status(
                        head.person,
                        acting_user=request.user,
                        since=data["legal_status_since"],
                        status=data["legal_status"],
                    )
                created["household"] = household

        if run_service(form, create):
            return to_file(request, created["household"], "Le ménage a été créé.")
    return form_page(
        request,
        form,
        title="Créer un ménage",
        crumbs=household_crumbs(),
        intro="Saisissez d'abord la personne de référence du ménage ; vous ajouterez "
        "ensuite les autres membres depuis le dossier du ménage.",
        submit="Créer le ménage quand même" if duplicates else "Créer le ménage",
        template=PERSON_FORM,
        context={"duplicates": duplicates},
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def household_edit(request, uuid):
    household = object_or_404(request, Household, uuid)
    form = HouseholdForm(
        request.POST or None,
        initial={"prior_situation": household.prior_situation, "version": household.version},
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.update_household(
                household,
                acting_user=request.user,
                prior_situation=form.cleaned_data["prior_situation"],
                expected_version=form.cleaned_data["version"],
            ),
        ):
            return to_file(request, household, "Le ménage a été modifié.")
    return form_page(request, form, title="Modifier le ménage", crumbs=household_crumbs(household))


@policy(Action.CHANGE_HOUSEHOLDS)
def member_add(request, uuid):
    household = object_or_404(request, Household, uuid)
    form = MemberForm(request.POST or None)
    duplicates = []
    if (
        request.method == "POST"
        and form.is_valid()
        and not (duplicates := _duplicates_to_confirm(request, form))
    ):
        if run_service(
            form,
            lambda: services.add_member(
                household,
                acting_user=request.user,
                person_fields=form.person_fields(),
                **form.membership_fields(),
            ),
        ):
            name = f"{form.cleaned_data['first_name']} {form.cleaned_data['last_name']}"
            return to_file(request, household, f"{name} fait maintenant partie du ménage.")
    return form_page(
        request,
        form,
        title="Ajouter un membre",
        crumbs=household_crumbs(household),
        submit="Ajouter quand même" if duplicates else "Ajouter",
        template=PERSON_FORM,
        context={"duplicates": duplicates},
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def member_edit(request, uuid, membership):
    household = object_or_404(request, Household, uuid)
    membership = get_object_or_404(household.memberships.select_related("person"), uuid=membership)
    other_head = next(
        (
            m
            for m in household.members_on(None)
            if m.role == MemberRole.HEAD and m.pk != membership.pk
        ),
        None,
    )
    form = MemberEditForm(
        request.POST or None,
        initial=MemberEditForm.initial_for(membership),
        other_head=other_head,
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.update_member(
                membership,
                acting_user=request.user,
                person_fields=form.person_fields(),
                expected_version=form.cleaned_data["version"],
                **form.membership_fields(),
            ),
        ):
            return to_file(
                request,
                household,
                f"Les informations {of_name(membership.person.full_name)} ont été modifiées.",
            )
    return form_page(
        request,
        form,
        title=f"Modifier {membership.person.full_name}",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def legal_status_add(request, uuid, person):
    household = object_or_404(request, Household, uuid)
    person = get_object_or_404(
        Person.objects.filter(memberships__household=household).prefetch_related(
            "legal_status_records"
        ),
        uuid=person,
    )
    form = LegalStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.record_legal_status(
                person, acting_user=request.user, **form.cleaned_data
            ),
        ):
            return to_file(
                request,
                household,
                f"Le statut administratif {of_name(person.full_name)} a été enregistré.",
            )
    current = _status_label(person.legal_status_on(timezone.localdate()))
    return form_page(
        request,
        form,
        title=f"Ajouter un statut administratif pour {person.full_name}",
        crumbs=household_crumbs(household),
        intro=f"Statut actuel : {current}. Le nouveau statut s'ajoute à l'historique, "
        "qui est conservé.",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def resources_add(request, uuid):
    household = object_or_404(request, Household, uuid)
    form = ResourcesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.record_resources(
                household, acting_user=request.user, **form.cleaned_data
            ),
        ):
            return to_file(request, household, "Les ressources du ménage ont été enregistrées.")
    return form_page(
        request,
        form,
        title="Ajouter des ressources",
        crumbs=household_crumbs(household),
        intro="Indiquez les ressources du ménage à partir d'une date ; les ressources "
        "précédentes restent dans l'historique.",
    )


@policy(Action.CHANGE_HOUSEHOLDS)
def contact_details_add(request, uuid, person):
    household = object_or_404(request, Household, uuid)
    person = get_object_or_404(
        Person.objects.filter(memberships__household=household).prefetch_related("contact_details"),
        uuid=person,
    )
    today = timezone.localdate()
    form = ContactDetailsForm(
        request.POST or None,
        initial={
            "since": today,
            **ContactDetailsForm.initial_for(person.contact_details_on(today)),
        },
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.record_contact_details(
                person, acting_user=request.user, **form.contact_fields()
            ),
        ):
            return to_file(
                request,
                household,
                f"Les coordonnées {of_name(person.full_name)} ont été enregistrées.",
            )
    return form_page(
        request,
        form,
        title=f"Coordonnées et langues {of_name(person.full_name)}",
        crumbs=household_crumbs(household),
        intro="Le formulaire reprend les coordonnées actuelles : modifiez ce qui a changé "
        "et indiquez depuis quand. Les coordonnées précédentes restent dans l'historique.",
    )
