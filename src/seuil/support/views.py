"""Pages of support: the forms reached from a household's file (contract, amendment,
objective, contact, referent, intensity), the worker's week, the caseloads, what is due, and
the support settings of a programme. Every page declares its policy (`@policy`), reaches
its objects through `visible_to` and writes through `services` (audited)."""

import datetime
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from seuil.core.audit import record_access, record_reads
from seuil.core.documents import as_attachment
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action, Scope, allows
from seuil.core.views_policy import policy
from seuil.core.wording import of_name, plural
from seuil.households.models import Household, Membership, Person
from seuil.households.pages import deletion_page, household_crumbs, record_page, to_file
from seuil.housing.models import Programme, Stay

from . import caseload, dashboard, documents, due, needs, permissions, rules, services
from .enums import ObjectiveOutcome
from .forms import (
    AmendmentForm,
    CloseObjectiveForm,
    ContactForm,
    ContactReportForm,
    ContractForm,
    EmploymentCorrectionForm,
    EmploymentForm,
    FrenchLevelCorrectionForm,
    FrenchLevelForm,
    IntensityForm,
    MeetingForm,
    ObjectiveForm,
    PartnerReferralForm,
    ReassignForm,
    ReferentForm,
    ReferralResultForm,
    ReviewForm,
    SeedObjectivesForm,
    SettingsForm,
    TrainingCorrectionForm,
    TrainingForm,
    WeekForm,
)
from .models import (
    CalendarFeed,
    Contact,
    EmploymentRecord,
    FrenchLevelRecord,
    Meeting,
    Objective,
    PartnerReferral,
    Review,
    SupportContract,
    SupportSettings,
    TrainingRecord,
)

DAY = datetime.timedelta(days=1)
SECTION = "#accompagnement"


def _file_url(household):
    return reverse("households:detail", args=[household.uuid]) + SECTION


def _household(request, uuid):
    queryset = Household.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person"))
    )
    return object_or_404(request, queryset, uuid)


def _stay(request, uuid):
    return object_or_404(
        request, Stay.objects.select_related("household", "programme", "unit"), uuid
    )


def _back(request, household, message):
    return to_file(request, household, message, section=SECTION)


# ---- contracts ---------------------------------------------------------------------------


def _cap_sentence(stay):
    cap = stay.programme.max_support_months if stay.programme else None
    last = rules.last_possible_end(stay.entered_on, cap)
    if last is None:
        return "Le dispositif ne limite pas la durée de l'accompagnement."
    return (
        f"Le dispositif limite l'accompagnement à {cap} mois depuis l'entrée du "
        f"{stay.entered_on:%d/%m/%Y}, avenants compris : fin au plus tard le {last:%d/%m/%Y}."
    )


@policy(Action.CHANGE_SUPPORT)
def contract_sign(request, stay):
    stay = _stay(request, stay)
    household = stay.household
    today = timezone.localdate()
    starts = max(today, stay.entered_on)
    cap = stay.programme.max_support_months if stay.programme else None
    last = rules.last_possible_end(stay.entered_on, cap)
    ends = rules.add_months(starts, 6) - DAY
    initial = {"signed_on": today, "starts_on": starts, "ends_on": min(ends, last or ends)}
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        contract = run_service(
            form, lambda: services.sign_contract(stay, by=request.user, **form.cleaned_data)
        )
        if contract:
            late = ""
            if contract.signed_late:
                late = (
                    f" Il est signé {contract.days_after_entry} jours après l'entrée (plus de "
                    f"{rules.LATE_SIGNATURE_DAYS} jours) : signature tardive."
                )
            return _back(request, household, f"Le contrat d'accompagnement est enregistré.{late}")
    return form_page(
        request,
        form,
        title="Contrat d'accompagnement individualisé",
        intro=f"Séjour au logement {stay.unit.ref}, entré le {stay.entered_on:%d/%m/%Y}. "
        f"Le contrat est signé dans le premier mois. {_cap_sentence(stay)}",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_SUPPORT)
def amendment_add(request, uuid):
    contract = object_or_404(
        request,
        SupportContract.objects.select_related("stay__programme", "stay__household"),
        uuid,
    )
    stay = contract.stay
    form = AmendmentForm(
        request.POST or None,
        initial={
            "signed_on": timezone.localdate(),
            "ends_on": min(
                rules.add_months(contract.current_end, 6),
                contract.last_possible_end or datetime.date.max,
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        amendment = run_service(
            form,
            lambda: services.amend_contract(contract, by=request.user, **form.cleaned_data),
        )
        if amendment:
            return _back(
                request,
                stay.household,
                f"L'avenant est enregistré : l'accompagnement va jusqu'au "
                f"{amendment.ends_on:%d/%m/%Y}.",
            )
    return form_page(
        request,
        form,
        title=f"Avenant au contrat {contract.ref}",
        intro=f"Le contrat va aujourd'hui jusqu'au {contract.current_end:%d/%m/%Y} ; un avenant "
        f"reporte la fin plus tard. {_cap_sentence(stay)}",
        crumbs=household_crumbs(stay.household),
    )


@policy(Action.CHANGE_SUPPORT)
def intensity_change(request, stay):
    stay = _stay(request, stay)
    form = IntensityForm(request.POST or None, initial={"since": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = run_service(
            form,
            lambda: services.change_intensity(
                stay, data["intensity"], since=data["since"], by=request.user
            ),
        )
        if change:
            return _back(request, stay.household, "L'intensité de l'accompagnement est changée.")
    return form_page(
        request,
        form,
        title="Changer l'intensité de l'accompagnement",
        intro=f"À l'entrée : {stay.get_support_intensity_display().lower()}. Le changement est "
        "daté : l'historique reste.",
        crumbs=household_crumbs(stay.household),
    )


@policy(read=Action.VIEW_SUPPORT_NOTES)
def contract_print(request, uuid):
    """The contract to print and sign, with the objectives agreed (PDF)."""
    queryset = SupportContract.objects.select_related(
        "organisation", "stay__programme", "stay__unit", "stay__household"
    ).prefetch_related(
        Prefetch(
            "stay__household__memberships", queryset=Membership.objects.select_related("person")
        )
    )
    with transaction.atomic():
        contract = object_or_404(request, queryset, uuid)
        record_access(request.user, AccessLog.Action.EXPORT, contract)
    response = HttpResponse(documents.render_contract(contract), content_type="application/pdf")
    return as_attachment(response, f"contrat-{contract.ref}.pdf")


# ---- objectives --------------------------------------------------------------------------


@policy(Action.CHANGE_SUPPORT)
def objective_add(request, uuid):
    household = _household(request, uuid)
    form = ObjectiveForm(request.POST or None, initial={"set_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("agreed")
        objective = run_service(
            form, lambda: services.set_objective(household, by=request.user, **data)
        )
        if objective:
            return _back(request, household, "L'objectif est enregistré.")
    return form_page(
        request,
        form,
        title="Nouvel objectif d'accompagnement",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_SUPPORT)
def objectives_propose(request, uuid):
    """The objectives proposed from the needs of the household's last SIAO assessment: the
    worker ticks those to set (nothing is set without it)."""
    household = _household(request, uuid)
    assessment = needs.last_assessment(household)
    record_reads(request.user, [household])
    proposals = [p for p in needs.proposals(household, assessment) if not p.already_open]
    if not proposals:
        messages.info(
            request,
            "L'évaluation du SIAO ne relève aucun besoin sans objectif en cours : rien à proposer.",
        )
        return redirect(_file_url(household))
    form = SeedObjectivesForm(
        request.POST or None,
        proposals=proposals,
        initial={"domains": [p.domain for p in proposals], "set_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.seed_objectives(
                household,
                data["domains"],
                set_on=data["set_on"],
                due_on=data["due_on"],
                assessment=assessment,
                by=request.user,
            ),
        )
        if created:
            return _back(
                request,
                household,
                f"{plural(len(created), 'objectif fixé,objectifs fixés')} d'après l'évaluation.",
            )
    return form_page(
        request,
        form,
        title="Objectifs proposés d'après l'évaluation du SIAO",
        intro=f"Évaluation du {assessment.assessed_on:%d/%m/%Y}. Chaque besoin relevé propose "
        "un objectif ; cochez ceux que vous fixez avec le ménage.",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_SUPPORT)
def objective_close(request, uuid):
    objective = object_or_404(request, Objective.objects.select_related("household"), uuid)
    form = CloseObjectiveForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        closed = run_service(
            form,
            lambda: services.close_objective(objective, by=request.user, **form.cleaned_data),
        )
        if closed:
            return _back(request, objective.household, "L'objectif est clos.")
    return form_page(
        request,
        form,
        title=f"Clore l'objectif « {objective.get_domain_display()} »",
        intro=f"Fixé le {objective.set_on:%d/%m/%Y}.",
        crumbs=household_crumbs(objective.household),
    )


# ---- contacts ----------------------------------------------------------------------------


@policy(Action.CHANGE_SUPPORT)
def contact_add(request, uuid):
    household = _household(request, uuid)
    organisation_id = request.user.organisation_id
    initial = {"on": timezone.localdate(), "worker": request.user.uuid}
    form = ContactForm(request.POST or None, initial=initial, organisation_id=organisation_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        planned = data.pop("planned")
        contact = run_service(
            form,
            lambda: services.record_contact(household, by=request.user, planned=planned, **data),
        )
        if contact:
            what = "Le rendez-vous est prévu." if planned else "Le contact est enregistré."
            return _back(request, household, what)
    return form_page(
        request,
        form,
        title="Rendez-vous, visite ou appel",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_SUPPORT)
def contact_report(request, uuid):
    contact = object_or_404(request, Contact.objects.select_related("household"), uuid)
    form = ContactReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.report_contact(
                contact,
                done=data["done"],
                reason=data["missed_reason"],
                on=timezone.localdate(),
                by=request.user,
            ),
        )
        if done:
            return _back(request, contact.household, "Le compte rendu du rendez-vous est noté.")
    return form_page(
        request,
        form,
        title=f"{contact.get_kind_display()} du {contact.on:%d/%m/%Y}",
        intro="A-t-il eu lieu ?",
        crumbs=household_crumbs(contact.household),
    )


# ---- referents ---------------------------------------------------------------------------


@policy(Action.CHANGE_SUPPORT)
def referent_assign(request, uuid):
    household = _household(request, uuid)
    form = ReferentForm(
        request.POST or None,
        initial={"since": timezone.localdate()},
        organisation_id=request.user.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referent = run_service(
            form,
            lambda: services.assign_referent(
                household,
                data["worker"],
                since=data["since"],
                second=data["second"],
                by=request.user,
            ),
        )
        if referent:
            return _back(request, household, "Le référent du ménage est désigné.")
    return form_page(
        request,
        form,
        title="Désigner le travailleur social référent",
        intro="Le référent précédent, s'il y en a un, cesse de l'être ce jour-là.",
        crumbs=household_crumbs(household),
    )


@policy(Action.MANAGE_CASELOADS)
def reassign(request):
    form = ReassignForm(
        request.POST or None,
        initial={"since": timezone.localdate()},
        organisation_id=request.user.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = run_service(
            form,
            lambda: services.reassign_caseload(
                data["worker"], data["successor"], since=data["since"], by=request.user
            ),
        )
        if moved is not None:
            count = 0 if moved is True else moved
            messages.success(request, f"{count} ménage(s) réaffecté(s).")
            return redirect("support:caseloads")
    return form_page(
        request,
        form,
        title="Réaffecter les ménages d'un travailleur social",
        intro="Quand un travailleur social part : chacun de ses ménages passe à celui qui "
        "reprend, à la date choisie ; chaque changement est tracé dans le dossier du ménage.",
        crumbs=[(reverse("support:caseloads"), "Référents et charge de travail")],
    )


# ---- the worker's week -------------------------------------------------------------------


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


@policy(read=Action.VIEW_CONTACTS)
def week(request):
    user = request.user
    form = WeekForm(request.GET or None, organisation_id=user.organisation_id)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    monday = _monday(data.get("semaine") or timezone.localdate())
    worker = data.get("intervenant") or user
    rows = list(
        Contact.objects.visible_to(user, Action.VIEW_CONTACTS)
        .filter(on__range=(monday, monday + 6 * DAY))
        .filter(Q(worker=worker) | Q(tenancy_officer=worker))
        .select_related("household", "worker", "tenancy_officer")
        .prefetch_related(
            Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))
        )
        .order_by("on", "at", "pk")
    )
    record_reads(user, rows)
    days = [(monday + i * DAY, [c for c in rows if c.on == monday + i * DAY]) for i in range(7)]
    if not form.is_bound:
        form = WeekForm(
            initial={"semaine": monday, "intervenant": worker.uuid},
            organisation_id=user.organisation_id,
        )
    return render(
        request,
        "support/week.html",
        {
            "form": form,
            "worker": worker,
            "monday": monday,
            "sunday": monday + 6 * DAY,
            "days": days,
            "count": len(rows),
            "previous": (monday - 7 * DAY).isoformat(),
            "next": (monday + 7 * DAY).isoformat(),
            "can_change": permissions.can_change_support(user),
            "today": timezone.localdate(),
        },
    )


CALENDAR_PAST, CALENDAR_AHEAD = 30, 90


def _calendar_contacts(user, worker):
    """The contacts of `worker` that `user` may see, from a month ago to three months
    ahead, with their household and its members (for the initials)."""
    today = timezone.localdate()
    return (
        Contact.objects.visible_to(user, Action.VIEW_CONTACTS)
        .filter(on__range=(today - CALENDAR_PAST * DAY, today + CALENDAR_AHEAD * DAY))
        .filter(Q(worker=worker) | Q(tenancy_officer=worker))
        .select_related("household")
        .prefetch_related(
            Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))
        )
        .order_by("on", "at", "pk")
    )


def _calendar_response(request, contacts, *, name, filename):
    text = documents.calendar(
        contacts, link=lambda c: request.build_absolute_uri(_file_url(c.household)), name=name
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    return as_attachment(response, filename)


@policy(read=Action.VIEW_CONTACTS)
def week_calendar(request):
    """The worker's appointments from a month ago to three months ahead, as an iCalendar
    file to add to a diary: the kind, the household's initials and reference and a link,
    nothing more."""
    user = request.user
    form = WeekForm(request.GET or None, organisation_id=user.organisation_id)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    worker = data.get("intervenant") or user
    contacts = record_reads(user, _calendar_contacts(user, worker))
    name = f"Seuil – {worker.get_full_name() or worker.username}"
    return _calendar_response(request, contacts, name=name, filename="rendez-vous.ics")


@policy(read=Action.VIEW_CONTACTS, write=Action.VIEW_CONTACTS)
def my_calendar(request):
    """« Mon agenda »: the user's secret feed address to subscribe to from a diary
    application; a new address replaces the old one, a revoked one stops at once."""
    user = request.user
    feed = CalendarFeed.objects.filter(user=user).first()
    address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.revoke_calendar_feed(user, by=user):
                messages.success(request, "L'adresse de votre agenda ne fonctionne plus.")
            return redirect("support:my_calendar")
        key = services.issue_calendar_feed(user, by=user)
        address = request.build_absolute_uri(reverse("support:calendar_feed", args=[key]))
        feed = CalendarFeed.objects.get(user=user)
    response = render(
        request,
        "support/my_calendar.html",
        {
            "feed": feed,
            "address": address,
            "past": CALENDAR_PAST,
            "ahead": CALENDAR_AHEAD,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@policy(read=None)
@require_GET
def calendar_feed(request, key):
    """A worker's feed, fetched by a diary application without an account: public, but its
    address holds a secret key. Unknown or revoked key: 404, without saying which."""
    feed = services.calendar_feed_of(key)
    if feed is None:
        raise Http404
    worker = feed.user
    contacts = services.record_feed_fetch(feed, _calendar_contacts(worker, worker))
    # No name in it: the address may be read by the diary application's servers.
    response = _calendar_response(
        request, contacts, name="Seuil – mes rendez-vous", filename="seuil-agenda.ics"
    )
    response["Content-Disposition"] = 'inline; filename="seuil-agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# ---- caseloads, what is due, settings ----------------------------------------------------


@policy(read=Action.VIEW_SUPPORT, scope=Scope.OWN)
def caseloads(request):
    user = request.user
    today = timezone.localdate()
    loads, without = caseload.caseloads(user.organisation, today)
    record_reads(user, [f.household for load in loads for f in load.followed + load.second])
    programmes = list(
        Programme.objects.filter(organisation=user.organisation_id).select_related(
            "support_settings"
        )
    )
    return render(
        request,
        "support/caseloads.html",
        {
            "loads": loads,
            "without": without,
            "today": today,
            "programmes": [(p, getattr(p, "support_settings", None)) for p in programmes],
            "can_manage": permissions.can_manage_caseloads(user),
        },
    )


@policy(read=Action.VIEW_SUPPORT, scope=Scope.OWN)
def due_page(request):
    user = request.user
    today = timezone.localdate()
    organisation = user.organisation
    due_today = due.due_on(organisation, today)
    ending, to_sign, silent = due_today.ending, due_today.to_sign, due_today.silent
    record_reads(
        user,
        {
            *[r.contract.stay.household for r in ending],
            *[r.stay.household for r in to_sign],
            *[r.stay.household for r in silent],
        },
    )
    return render(
        request,
        "support/due.html",
        {
            "today": today,
            "ending": ending,
            "to_sign": to_sign,
            "silent": silent,
            "ending_days": rules.ENDING_SOON_DAYS,
            "late_days": rules.LATE_SIGNATURE_DAYS,
        },
    )


@policy(read=Action.MANAGE_CASELOADS)
def dashboard_page(request):
    """The manager's view of support: what is due today, the last twelve months'
    signatures and objectives, the caseloads, the cost per household where it is known."""
    user = request.user
    organisation = user.organisation
    today = timezone.localdate()
    start = today - 364 * DAY
    loads, without = caseload.caseloads(organisation, today)
    due_today = due.due_on(organisation, today)
    return render(
        request,
        "support/dashboard.html",
        {
            "today": today,
            "start": start,
            "ending": len(due_today.ending),
            "to_sign": len(due_today.to_sign),
            "silent": len(due_today.silent),
            "signatures": dashboard.signatures(organisation, start, today),
            "objectives": dashboard.objectives_by_domain(organisation, start, today),
            "outcomes": ObjectiveOutcome.choices,
            "loads": loads,
            "without_referent": len(without),
            "costs": dashboard.costs(organisation, start, today),
            "late_days": rules.LATE_SIGNATURE_DAYS,
        },
    )


@policy(Action.MANAGE_CASELOADS)
def programme_settings(request, uuid):
    programme = object_or_404(request, Programme, uuid)
    current = SupportSettings.objects.filter(programme=programme).first()
    initial = {
        "max_support_months": programme.max_support_months,
        "households_per_worker": current.households_per_worker if current else None,
        "reinforced_weight": current.reinforced_weight if current else 1,
        "no_contact_days": current.no_contact_days if current else rules.DEFAULT_NO_CONTACT_DAYS,
        "annual_budget": current.annual_budget if current else None,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.set_programme_support(programme, by=request.user, **form.cleaned_data),
        )
        if saved:
            messages.success(
                request, f"Les réglages du dispositif « {programme.name} » sont enregistrés."
            )
            return redirect("support:caseloads")
    return form_page(
        request,
        form,
        title=f"Accompagnement : réglages du dispositif « {programme.name} »",
        crumbs=[(reverse("support:caseloads"), "Référents et charge de travail")],
    )


# ---- monthly reviews ---------------------------------------------------------------------

REVIEW_FIELDS = ("held_on", "worker", "tenancy_officer", "others", *services.REVIEW_TEXTS)


def _officer(user):
    """The user when it records reviews as their tenancy officer."""
    return user if allows(user, Action.VIEW_REVIEWS, Scope.REFERRED) else None


@policy(Action.WRITE_REVIEWS)
def review_add(request, uuid):
    household = _household(request, uuid)
    user = request.user
    form = ReviewForm(
        request.POST or None,
        initial={"held_on": timezone.localdate(), "worker": None if _officer(user) else user.uuid},
        organisation_id=user.organisation_id,
        tenancy_officer=_officer(user),
    )
    if request.method == "POST" and form.is_valid():
        review = run_service(
            form, lambda: services.record_review(household, by=user, **form.cleaned_data)
        )
        if review:
            return _back(request, household, "La revue mensuelle est enregistrée.")
    return form_page(
        request,
        form,
        title="Revue mensuelle du ménage",
        intro="Le point du mois entre le travailleur social et le régisseur. Chaque partie est "
        "un texte court, chiffré.",
        crumbs=household_crumbs(household),
    )


@policy(read=Action.VIEW_REVIEWS, write=Action.WRITE_REVIEWS)
def review_edit(request, uuid):
    """A review, read and corrected: only those the user may read (a tenancy officer: the
    reviews it takes part in), for a change too."""
    user = request.user
    review = object_or_404(
        request, Review.objects.select_related("household"), uuid, Action.VIEW_REVIEWS
    )
    may_write = allows(user, Action.WRITE_REVIEWS)
    initial = {name: getattr(review, name) for name in REVIEW_FIELDS}
    for name in ("worker", "tenancy_officer"):
        initial[name] = initial[name].uuid if initial[name] else None
    form = ReviewForm(
        request.POST or None,
        initial=initial,
        organisation_id=user.organisation_id,
        tenancy_officer=_officer(user),
    )
    if request.method == "POST" and may_write and form.is_valid():
        changed = run_service(
            form, lambda: services.change_review(review, by=user, **form.cleaned_data)
        )
        if changed:
            return _back(request, review.household, "La revue mensuelle est corrigée.")
    if request.method != "POST":
        with transaction.atomic():
            record_access(user, AccessLog.Action.VIEW, review)
    return form_page(
        request,
        form,
        title=f"Revue mensuelle du {review.held_on:%d/%m/%Y}",
        intro=f"Ménage {review.household.ref}.",
        crumbs=household_crumbs(review.household),
    )


@policy(read=Action.WRITE_REVIEWS)
def reviews(request):
    """The month's work list of those who record reviews: the households still to review,
    and the month's reviews the user may read (a tenancy officer: those it takes part in)."""
    user = request.user
    today = timezone.localdate()
    first = today.replace(day=1)
    todo = due.households_without_review(user.organisation, today)
    done = list(
        Review.objects.visible_to(user)
        .filter(held_on__gte=first, held_on__lte=today)
        .select_related("household", "worker", "tenancy_officer")
        .order_by("-held_on", "-pk")
    )
    record_reads(user, [*todo, *done])
    return render(
        request,
        "support/reviews.html",
        {
            "today": today,
            "first": first,
            "todo": todo,
            "done": done,
        },
    )


# ---- meetings ----------------------------------------------------------------------------


def _meetings_crumbs():
    return [(reverse("support:meetings"), "Réunions")]


def _agenda(meeting):
    return [
        item.household
        for item in meeting.agenda_items.select_related("household").prefetch_related(
            Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))
        )
    ]


@policy(read=Action.VIEW_MEETINGS)
def meetings(request):
    rows = list(
        Meeting.objects.visible_to(request.user)
        .prefetch_related("agenda_items")
        .order_by("-held_on", "-pk")
    )
    return render(
        request,
        "support/meetings.html",
        {
            "meetings": rows,
            "can_change": allows(request.user, Action.CHANGE_MEETINGS),
        },
    )


@policy(Action.CHANGE_MEETINGS)
def meeting_add(request):
    user = request.user
    form = MeetingForm(
        request.POST or None,
        initial={"held_on": timezone.localdate()},
        organisation_id=user.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        meeting = run_service(form, lambda: services.record_meeting(by=user, **form.cleaned_data))
        if meeting:
            messages.success(request, "La réunion est enregistrée.")
            return redirect("support:meeting", meeting.uuid)
    return form_page(
        request,
        form,
        title="Nouvelle réunion",
        intro="Cellule de coordination (toutes les six semaines) ou comité de pilotage (tous "
        "les six mois).",
        crumbs=_meetings_crumbs(),
    )


@policy(Action.CHANGE_MEETINGS)
def meeting_edit(request, uuid):
    user = request.user
    meeting = object_or_404(request, Meeting, uuid)
    agenda = _agenda(meeting)
    initial = {
        "kind": meeting.kind,
        "held_on": meeting.held_on,
        "participants": meeting.participants,
        "households": [h.uuid for h in agenda],
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
    }
    form = MeetingForm(request.POST or None, initial=initial, organisation_id=user.organisation_id)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form, lambda: services.change_meeting(meeting, by=user, **form.cleaned_data)
        )
        if changed:
            messages.success(request, "La réunion est modifiée.")
            return redirect("support:meeting", meeting.uuid)
    if request.method != "POST":
        with transaction.atomic():
            record_access(user, AccessLog.Action.VIEW, meeting)
            record_reads(user, agenda)
    return form_page(
        request,
        form,
        title=f"Modifier : {meeting}",
        crumbs=[
            *_meetings_crumbs(),
            (reverse("support:meeting", args=[meeting.uuid]), str(meeting)),
        ],
    )


@policy(read=Action.VIEW_MEETINGS)
def meeting_detail(request, uuid):
    user = request.user
    meeting = object_or_404(request, Meeting, uuid)
    agenda = _agenda(meeting)
    with transaction.atomic():
        record_access(user, AccessLog.Action.VIEW, meeting)
        record_reads(user, agenda)
    return render(
        request,
        "support/meeting.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "participants": [
                line.strip() for line in meeting.participants.splitlines() if line.strip()
            ],
            "can_change": allows(user, Action.CHANGE_MEETINGS),
        },
    )


@policy(read=Action.VIEW_MEETINGS)
def meeting_minutes(request, uuid):
    """The minutes as a PDF to send outside: the households by their reference only."""
    user = request.user
    meeting = object_or_404(request, Meeting.objects.select_related("organisation"), uuid)
    agenda = _agenda(meeting)
    with transaction.atomic():
        record_access(user, AccessLog.Action.EXPORT, meeting)
    pdf = documents.render_minutes(meeting, agenda)
    response = HttpResponse(pdf, content_type="application/pdf")
    return as_attachment(response, f"compte-rendu-{meeting.ref}.pdf")


# ---- partners: referrals and the path of each adult ---------------------------------------


@policy(Action.CHANGE_SUPPORT)
def partner_referral_add(request, uuid):
    household = _household(request, uuid)
    organisation_id = request.user.organisation_id
    form = PartnerReferralForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        organisation_id=organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        referral = run_service(
            form,
            lambda: services.refer_to_partner(household, by=request.user, **form.cleaned_data),
        )
        if referral:
            return _back(
                request, household, f"L'orientation vers {referral.partner.name} est enregistrée."
            )
    return form_page(
        request,
        form,
        title="Orienter le ménage vers un partenaire",
        intro="Le résultat (réalisée, sans suite, refusée) se note ensuite dans le dossier. "
        "Un partenaire manquant s'ajoute dans « Paramètres », « Partenaires ».",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_SUPPORT)
def partner_referral_result(request, uuid):
    referral = object_or_404(
        request, PartnerReferral.objects.select_related("household", "partner"), uuid
    )
    initial = {"result": referral.result, "result_on": referral.result_on or timezone.localdate()}
    form = ReferralResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.record_referral_result(referral, by=request.user, **form.cleaned_data),
        )
        if done:
            return _back(request, referral.household, "Le résultat de l'orientation est noté.")
    return form_page(
        request,
        form,
        title=f"Résultat de l'orientation vers {referral.partner.name}",
        intro=f"{referral.get_purpose_display()}, orienté le {referral.on:%d/%m/%Y}.",
        crumbs=household_crumbs(referral.household),
    )


def _member(request, uuid, person):
    household = _household(request, uuid)
    member = get_object_or_404(
        Person.objects.filter(memberships__household=household).distinct(), uuid=person
    )
    return household, member


def _path_page(request, uuid, person, *, form_class, service, title, message, **form_kwargs):
    household, member = _member(request, uuid, person)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        record = run_service(
            form,
            lambda: service(household, member, by=request.user, **form.cleaned_data),
        )
        if record:
            return _back(request, household, message.format(of=of_name(member.full_name)))
    return form_page(
        request,
        form,
        title=f"{title} {of_name(member.full_name)}",
        intro="Chaque enregistrement est daté : le parcours de la personne se lit dans le "
        "dossier du ménage.",
        crumbs=household_crumbs(household),
    )


@policy(Action.CHANGE_SUPPORT)
def employment_add(request, uuid, person):
    return _path_page(
        request,
        uuid,
        person,
        form_class=EmploymentForm,
        service=services.record_employment,
        title="Situation d'emploi",
        message="La situation d'emploi {of} est enregistrée.",
        initial={"since": timezone.localdate()},
    )


@policy(Action.CHANGE_SUPPORT)
def training_add(request, uuid, person):
    return _path_page(
        request,
        uuid,
        person,
        form_class=TrainingForm,
        service=services.record_training,
        title="Formation",
        message="La formation {of} est enregistrée.",
        organisation_id=request.user.organisation_id,
    )


@policy(Action.CHANGE_SUPPORT)
def french_level_add(request, uuid, person):
    return _path_page(
        request,
        uuid,
        person,
        form_class=FrenchLevelForm,
        service=services.record_french_level,
        title="Niveau de français",
        message="Le niveau de français {of} est enregistré.",
        initial={"assessed_on": timezone.localdate()},
    )


# ---- corrections and deletions of path records ------------------------------------------

# Each kind of path record: its correction form, what it is called (« la situation
# d'emploi … »), and the words of the pages.
PATH_KINDS = {
    EmploymentRecord: (EmploymentCorrectionForm, "La situation d'emploi", "corrigée", "supprimée"),
    TrainingRecord: (TrainingCorrectionForm, "La formation", "corrigée", "supprimée"),
    FrenchLevelRecord: (FrenchLevelCorrectionForm, "Le niveau de français", "corrigé", "supprimé"),
}


def _path_record(request, model, uuid):
    related = ["household", "person", *(["body"] if model is TrainingRecord else [])]
    return object_or_404(request, model.objects.select_related(*related), uuid)


def _path_correct(request, model, uuid):
    record = _path_record(request, model, uuid)
    form_class, noun, corrected, _ = PATH_KINDS[model]
    fields = services.PATH_FIELDS[model]
    kwargs = {"initial": {name: getattr(record, name) for name in fields}}
    if model is TrainingRecord:
        kwargs["organisation_id"] = request.user.organisation_id
        kwargs["current_body"] = record.body
        kwargs["initial"]["body"] = record.body.uuid if record.body else None
    return record_page(
        request,
        record,
        record.household,
        form_class(request.POST or None, **kwargs),
        save=lambda form: services.correct_path_record(
            record, by=request.user, **form.cleaned_data
        ),
        done=f"{noun} {of_name(record.person.full_name)} est {corrected}.",
        section=SECTION,
        title=f"Corriger : {record} ({record.person.full_name})",
        intro="Pour une erreur de saisie ; un changement de situation s'ajoute, lui, à sa "
        "date. La correction et son motif restent dans l'historique du dossier.",
        submit="Corriger",
    )


def _path_delete(request, model, uuid):
    record = _path_record(request, model, uuid)
    _, noun, _, deleted = PATH_KINDS[model]
    return deletion_page(
        request,
        record,
        record.household,
        delete=partial(services.delete_path_record, record, by=request.user),
        done=f"{noun} {of_name(record.person.full_name)} est {deleted}.",
        section=SECTION,
        title=f"Supprimer : {record} ({record.person.full_name})",
        intro="Pour un enregistrement saisi par erreur. La suppression et son motif restent "
        "dans l'historique du dossier.",
        submit="Supprimer",
    )


@policy(Action.CHANGE_SUPPORT)
def employment_correct(request, uuid):
    return _path_correct(request, EmploymentRecord, uuid)


@policy(Action.CHANGE_SUPPORT)
def employment_delete(request, uuid):
    return _path_delete(request, EmploymentRecord, uuid)


@policy(Action.CHANGE_SUPPORT)
def training_correct(request, uuid):
    return _path_correct(request, TrainingRecord, uuid)


@policy(Action.CHANGE_SUPPORT)
def training_delete(request, uuid):
    return _path_delete(request, TrainingRecord, uuid)


@policy(Action.CHANGE_SUPPORT)
def french_level_correct(request, uuid):
    return _path_correct(request, FrenchLevelRecord, uuid)


@policy(Action.CHANGE_SUPPORT)
def french_level_delete(request, uuid):
    return _path_delete(request, FrenchLevelRecord, uuid)
