"""What support adds to the pages of the apps below (registered in `SupportConfig.ready`):
the "Accompagnement" section of a household's file (slot ``household_sections``), the
"Accompagnement" item of the main navigation, and the support records on the household's
traceability pages."""

from django.db.models import Prefetch
from django.utils import timezone

from seuil.core.audit import record_reads
from seuil.core.policy import Action
from seuil.core.wording import of_name
from seuil.households.traceability import short_name
from seuil.housing.models import Stay

from . import needs, permissions, rules
from .models import (
    PATH_MODELS,
    Amendment,
    Contact,
    EmploymentRecord,
    FrenchLevelRecord,
    IntensityChange,
    Objective,
    PartnerReferral,
    Referent,
    Review,
    SupportContract,
    TrainingRecord,
    intensity_on,
)

RECENT_CONTACTS = 20
RECENT_REVIEWS = 12


def navigation(request):
    user = request.user
    if not (permissions.can_view_contacts(user) or permissions.can_view_all_support(user)):
        return None
    return {"support_week": permissions.can_view_contacts(user)}


def navigation_meetings(request):
    return {} if permissions.can_view_meetings(request.user) else None


def household_support(request, household):
    """The household's support by the user's organisation: its referents, each stay's
    contracts with their amendments (a late signature flagged), its objectives (their text
    for those who may read it) and its latest contacts; the links to add them. Every record
    shown is written to the access log."""
    user = request.user
    sees_support = permissions.can_view_support(user)
    sees_contacts = permissions.can_view_contacts(user)
    if not (sees_support or sees_contacts):
        return None
    today = timezone.localdate()
    context = {
        "today": today,
        "sees_support": sees_support,
        # Referrals to partners and the adults' path: not for a psychologist referred to
        # the household, who reads the frame of its support only.
        "sees_partners": permissions.can_view_all_support(user),
        "sees_contacts": sees_contacts,
        "sees_notes": permissions.can_view_support_notes(user),
        # Contracts follow the organisation's own stays; the rest, the households it holds.
        "can_change_stays": permissions.can_change_support(user),
        "can_change": permissions.can_change_support(user)
        and household.organisation_id == user.organisation_id,
        "late_days": rules.LATE_SIGNATURE_DAYS,
    }
    shown = []
    if sees_support:
        stays = list(
            Stay.objects.of_household(household, user)
            .filter(organisation=user.organisation_id)
            .select_related("programme", "unit")
            .prefetch_related(
                Prefetch(
                    "support_contracts",
                    queryset=SupportContract.objects.of_household(household, user).prefetch_related(
                        Prefetch("amendments", queryset=Amendment.objects.order_by("signed_on"))
                    ),
                ),
                Prefetch("intensity_changes", queryset=IntensityChange.objects.all()),
            )
            .order_by("-entered_on", "-pk")
        )
        contracts = [c for stay in stays for c in stay.support_contracts.all()]
        for contract in contracts:
            contract.stay = next(s for s in stays if s.pk == contract.stay_id)
        objectives = list(Objective.objects.of_household(household, user).order_by("-set_on"))
        referents = list(
            Referent.objects.of_household(household, user)
            .select_related("worker")
            .order_by("-since")
        )
        referrals, paths, records = [], [], []
        if context["sees_partners"]:
            referrals = list(
                PartnerReferral.objects.of_household(household, user)
                .select_related("partner")
                .order_by("-on", "-pk")
            )
            paths, records = adult_paths(user, household, today)
        shown += contracts + objectives + referrals + records
        context.update(referrals=referrals, paths=paths)
        context.update(
            stays=[
                (
                    stay,
                    intensity_on(stay, today),
                    rules.last_possible_end(
                        stay.entered_on,
                        stay.programme.max_support_months if stay.programme else None,
                    ),
                    list(stay.support_contracts.all()),
                )
                for stay in stays
            ],
            current_stay=next((s for s in stays if s.is_present_on(today)), None),
            objectives=objectives,
            referents=[(r, r.is_current_on(today)) for r in referents],
            # The objectives the SIAO's assessment proposes, to confirm (none set without it).
            to_propose=needs.to_propose(household) if context["can_change"] else [],
        )
    if sees_contacts:
        contacts = list(
            Contact.objects.of_household(household, user, Action.VIEW_CONTACTS)
            .select_related("worker", "tenancy_officer")
            .order_by("-on", "-at", "-pk")[:RECENT_CONTACTS]
        )
        shown += contacts
        context["contacts"] = contacts
    if permissions.can_view_reviews(user):
        reviews = list(
            Review.objects.of_household(household, user)
            .select_related("worker", "tenancy_officer")
            .order_by("-held_on", "-pk")[:RECENT_REVIEWS]
        )
        shown += reviews
        context["sees_reviews"] = True
        context["reviews"] = reviews
        context["can_add_review"] = (
            permissions.can_write_reviews(user)
            and household.organisation_id == user.organisation_id
        )
    record_reads(user, shown)
    return context


def adult_paths(user, household, today):
    """[(person, [records, oldest first], current employment, current French level)] for
    each adult member today and each person with a record, and every record read."""
    records = [
        record
        for model in PATH_MODELS
        for record in model.objects.of_household(household, user).select_related(
            "person", *(["body"] if model is TrainingRecord else [])
        )
    ]
    people = {
        m.person.pk: m.person
        for m in household.memberships.all()
        if m.is_member_on(today) and m.person.is_adult_on(today)
    }
    people.update({r.person.pk: r.person for r in records})
    paths = []
    for person in sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.pk)):
        mine = sorted(
            (r for r in records if r.person_id == person.pk),
            key=lambda r: (r.path_on, type(r).__name__, r.pk),
        )
        paths.append(
            (
                person,
                mine,
                _latest(mine, EmploymentRecord, today),
                _latest(mine, FrenchLevelRecord, today),
            )
        )
    return paths, records


def _latest(records, model, today):
    dated = [r for r in records if isinstance(r, model) and r.path_on <= today]
    return dated[-1] if dated else None


def _cap(stay):
    return stay.programme.max_support_months if stay.programme else None


# ---- traceability --------------------------------------------------------------------------

TRACED = [
    (
        "supportcontract",
        SupportContract,
        ("stay",),
        lambda c: f"Contrat d'accompagnement {c.ref} (signé le {c.signed_on:%d/%m/%Y})",
        "stay__household",
    ),
    (
        "amendment",
        Amendment,
        ("contract",),
        lambda a: f"Avenant {a.ref} au contrat {a.contract.ref}",
        "contract__stay__household",
    ),
    (
        "contact",
        Contact,
        (),
        lambda c: f"{c.get_kind_display()} du {c.on:%d/%m/%Y}",
        "household",
    ),
    (
        "objective",
        Objective,
        (),
        lambda o: f"Objectif « {o.get_domain_display()} » du {o.set_on:%d/%m/%Y}",
        "household",
    ),
    (
        "referent",
        Referent,
        ("worker",),
        lambda r: f"Référent depuis le {r.since:%d/%m/%Y}",
        "household",
    ),
    (
        "partnerreferral",
        PartnerReferral,
        ("partner",),
        lambda r: f"Orientation vers {r.partner.name} du {r.on:%d/%m/%Y}",
        "household",
    ),
    (
        "employmentrecord",
        EmploymentRecord,
        ("person",),
        lambda r: f"Situation d'emploi {of_name(short_name(r.person))} au {r.since:%d/%m/%Y}",
        "household",
    ),
    (
        "trainingrecord",
        TrainingRecord,
        ("person",),
        lambda r: f"Formation {of_name(short_name(r.person))} du {r.starts_on:%d/%m/%Y}",
        "household",
    ),
    (
        "frenchlevelrecord",
        FrenchLevelRecord,
        ("person",),
        lambda r: f"Niveau de français {of_name(short_name(r.person))} au {r.assessed_on:%d/%m/%Y}",
        "household",
    ),
    (
        "intensitychange",
        IntensityChange,
        (),
        lambda c: f"Intensité de l'accompagnement à partir du {c.since:%d/%m/%Y}",
        "stay__household",
    ),
    (
        "review",
        Review,
        (),
        lambda r: f"Revue mensuelle du {r.held_on:%d/%m/%Y}",
        "household",
    ),
]
