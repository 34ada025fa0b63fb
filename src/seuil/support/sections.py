"""What support adds to the pages of the apps below (registered in `SupportConfig.ready`):
the "Accompagnement" section of a household's file (slot ``household_sections``), the
"Accompagnement" item of the main navigation, and the support records on the household's
traceability pages."""

from django.db.models import Prefetch
from django.utils import timezone

from seuil.core.audit import record_reads
from seuil.core.policy import Action
from seuil.housing.models import Stay

from . import needs, permissions, rules
from .models import (
    Amendment,
    Contact,
    IntensityChange,
    Meeting,
    Objective,
    Referent,
    Review,
    SupportContract,
    intensity_on,
)

RECENT_CONTACTS = 20
RECENT_REVIEWS = 12


def navigation(request):
    user = request.user
    if not (permissions.can_view_contacts(user) or permissions.can_view_support(user)):
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
            Stay.objects.visible_to(user)
            .filter(household=household, organisation=user.organisation_id)
            .select_related("programme", "unit")
            .prefetch_related(
                Prefetch(
                    "support_contracts",
                    queryset=SupportContract.objects.visible_to(user).prefetch_related(
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
        objectives = list(
            Objective.objects.visible_to(user).filter(household=household).order_by("-set_on")
        )
        referents = list(
            Referent.objects.visible_to(user)
            .filter(household=household)
            .select_related("worker")
            .order_by("-since")
        )
        shown += contracts + objectives
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
            Contact.objects.visible_to(user, Action.VIEW_CONTACTS)
            .filter(household=household)
            .select_related("worker", "tenancy_officer")
            .order_by("-on", "-at", "-pk")[:RECENT_CONTACTS]
        )
        shown += contacts
        context["contacts"] = contacts
    if permissions.can_view_reviews(user):
        reviews = list(
            Review.objects.visible_to(user)
            .filter(household=household)
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


def _cap(stay):
    return stay.programme.max_support_months if stay.programme else None


# ---- traceability --------------------------------------------------------------------------

TRACED = [
    (
        "supportcontract",
        SupportContract,
        ("stay",),
        lambda c: f"Contrat d'accompagnement {c.ref} (signé le {c.signed_on:%d/%m/%Y})",
        lambda h: SupportContract.objects.filter(stay__household=h).values_list("uuid", flat=True),
    ),
    (
        "amendment",
        Amendment,
        ("contract",),
        lambda a: f"Avenant {a.ref} au contrat {a.contract.ref}",
        lambda h: Amendment.objects.filter(contract__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "contact",
        Contact,
        (),
        lambda c: f"{c.get_kind_display()} du {c.on:%d/%m/%Y}",
        lambda h: Contact.objects.filter(household=h).values_list("uuid", flat=True),
    ),
    (
        "objective",
        Objective,
        (),
        lambda o: f"Objectif « {o.get_domain_display()} » du {o.set_on:%d/%m/%Y}",
        lambda h: Objective.objects.filter(household=h).values_list("uuid", flat=True),
    ),
    (
        "referent",
        Referent,
        ("worker",),
        lambda r: f"Référent depuis le {r.since:%d/%m/%Y}",
        lambda h: Referent.objects.filter(household=h).values_list("uuid", flat=True),
    ),
    (
        "intensitychange",
        IntensityChange,
        (),
        lambda c: f"Intensité de l'accompagnement à partir du {c.since:%d/%m/%Y}",
        lambda h: IntensityChange.objects.filter(stay__household=h).values_list("uuid", flat=True),
    ),
    (
        "review",
        Review,
        (),
        lambda r: f"Revue mensuelle du {r.held_on:%d/%m/%Y}",
        lambda h: Review.objects.filter(household=h).values_list("uuid", flat=True),
    ),
    (
        "meeting",
        Meeting,
        (),
        str,
        lambda h: Meeting.objects.filter(agenda_items__household=h).values_list("uuid", flat=True),
    ),
]
