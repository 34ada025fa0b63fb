"""Pages of vacancies (their days and cost), declaring and closing one, and proposing a
vacant unit to a household of the waiting list."""

import datetime

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.forms import run_service
from seuil.core.pages import form_page
from seuil.core.permissions import can_view_households
from seuil.core.policy import Action, Scope
from seuil.core.views_policy import policy
from seuil.households.models import Membership
from seuil.housing.models import HousingUnit

from .. import costs, permissions, vacancies, waiting
from ..enums import OPEN_PROPOSAL_STATUSES
from ..forms.proposals import ProposalForm
from ..forms.vacancies import CloseVacancyForm, DeclareVacancyForm, PeriodForm
from ..models import Proposal, Referral, Vacancy
from ..services import proposals as proposal_actions
from ..services import vacancies as actions
from . import lookup, pages

DAY = datetime.timedelta(days=1)


@policy(read=Action.VIEW_UNITS)
def vacancy_list(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end - 364 * DAY
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    open_vacancies = list(
        Vacancy.objects.visible_to(request.user)
        .filter(closed_on__isnull=True)
        .select_related("unit__programme", "unit__landlord", "unit__organisation")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.filter(status__in=OPEN_PROPOSAL_STATUSES),
                to_attr="open_proposals",
            )
        )
        .order_by("opened_on", "pk")
    )
    units = HousingUnit.objects.visible_to(request.user)
    unit_rows = vacancies.unit_vacancies(units, start, end)
    return render(
        request,
        "orientation/vacancy_list.html",
        {
            "open_rows": [
                (f.vacancy, f, f.vacancy.open_proposals)
                for f in vacancies.figures_of(open_vacancies, today)
            ],
            "unit_rows": unit_rows,
            "total_days": sum(r.days for r in unit_rows),
            "total_cost": sum((r.cost for r in unit_rows if r.cost is not None), 0),
            "unknown_cost": sum(1 for r in unit_rows if r.cost is None),
            "form": form,
            "start": start,
            "end": end,
            "today": today,
            "can_declare": permissions.can_declare_vacancy(request.user),
        },
    )


@policy(Action.DECLARE_VACANCY)
def vacancy_declare(request):
    today = timezone.localdate()
    units = (
        HousingUnit.objects.visible_to(request.user, Action.DECLARE_VACANCY)
        .lettable()
        .filter(captured_on__lte=today + 366 * DAY)
        .order_by("ref")
    )
    initial = {"opened_on": today}
    chosen = request.GET.get("logement")
    if chosen:
        unit = units.filter(uuid=chosen).first() if lookup.is_uuid(chosen) else None
        if unit:
            initial["unit"] = unit.uuid
    form = DeclareVacancyForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vacancy = run_service(
            form,
            lambda: actions.declare_vacancy(
                data["unit"], opened_on=data["opened_on"], acting_user=request.user
            ),
        )
        if vacancy:
            messages.success(
                request,
                f"Le logement {vacancy.unit.ref} est déclaré vacant à partir du "
                f"{vacancy.opened_on:%d/%m/%Y}.",
            )
            return redirect("orientation:vacancy_detail", uuid=vacancy.uuid)
    intro = (
        "Un logement vacant peut être proposé aux ménages de la liste d'attente de son "
        "dispositif. Chaque jour de vacance coûte son loyer et ses charges."
    )
    if not units.exists():
        intro += " Aucun logement ne vous est confié pour l'instant."
    return form_page(
        request,
        form,
        title="Déclarer un logement vacant",
        intro=intro,
        submit="Déclarer la vacance",
        crumbs=pages.crumbs((reverse("orientation:vacancies"), "Vacances")),
    )


@policy(read=Action.VIEW_UNITS)
def vacancy_detail(request, uuid):
    vacancy = lookup.vacancy_for(request, uuid, Action.VIEW_UNITS)
    today = timezone.localdate()
    proposals = list(
        Proposal.objects.visible_to(request.user)
        .filter(vacancy=vacancy)
        .select_related("referral__household", "proposed_by")
        .prefetch_related(
            Prefetch(
                "referral__household__memberships",
                queryset=Membership.objects.select_related("person"),
            )
        )
    )
    named = permissions.named_households(
        request.user, [proposal.referral.household for proposal in proposals]
    )
    held = vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).first()
    candidates = []
    unit = vacancy.unit
    may_propose = permissions.can_make_proposal(request.user)
    if may_propose and vacancy.closed_on is None and held is None and unit.programme_id:
        candidates = _candidates(request.user, vacancy, today)
    # The page names the households proposed and the candidates of the waiting lists.
    proposal_actions.read_proposals(
        [*proposals, *(referral for _, referral, _, _ in candidates)], acting_user=request.user
    )
    return render(
        request,
        "orientation/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "unit": unit,
            "figures": vacancies.figures_of([vacancy], today)[0],
            "monthly": costs.monthly_amount(unit.rent, unit.charges),
            "proposals": [(p, p.referral.household_id in named) for p in proposals],
            "held": held,
            "candidates": candidates,
            "today": today,
            "can_propose": may_propose and vacancy.closed_on is None and held is None,
            "can_close": permissions.can_close_vacancy(request.user)
            and vacancy.closed_on is None
            and unit.organisation_id == request.user.organisation_id,
            "can_see_households": can_view_households(request.user),
        },
    )


def _candidates(user, vacancy, day):
    """[(position, referral, breakdown, fit)] of the lists of the unit's programme that the
    user sees, in their order (one list per referring SIAO, one after the other)."""
    rows = []
    for waiting_list in waiting.waiting_lists(user, vacancy.unit.programme, day):
        for entry in waiting_list.entries:
            if entry.open_proposal is not None:
                continue
            assessment = entry.referral.request.assessment_on(day)
            rows.append(
                (
                    entry.position,
                    entry.referral,
                    entry.breakdown,
                    pages.unit_fit(assessment, vacancy.unit),
                )
            )
    return rows


@policy(Action.DECLARE_VACANCY, scope=Scope.OWN)
def vacancy_close(request, uuid):
    vacancy = lookup.vacancy_for(request, uuid, Action.DECLARE_VACANCY)
    form = CloseVacancyForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: actions.close_vacancy(
                vacancy,
                closed_on=data["closed_on"],
                reason=data["reason"],
                acting_user=request.user,
            ),
        ):
            messages.success(request, f"La vacance du logement {vacancy.unit.ref} est fermée.")
            return redirect("orientation:vacancy_detail", uuid=vacancy.uuid)
    return form_page(
        request,
        form,
        title=f"Fermer la vacance du logement {vacancy.unit.ref}",
        intro="Par exemple quand le logement est rendu au bailleur. L'entrée d'un ménage ferme "
        "la vacance d'elle-même.",
        submit="Fermer la vacance",
        crumbs=pages.crumbs(*_vacancy_crumbs(vacancy)),
    )


def _vacancy_crumbs(vacancy):
    return (
        (reverse("orientation:vacancies"), "Vacances"),
        (
            reverse("orientation:vacancy_detail", args=[vacancy.uuid]),
            f"Logement {vacancy.unit.ref}",
        ),
    )


@policy(Action.MAKE_PROPOSAL, scope=Scope.OWN)
def propose(request, uuid):
    vacancy = lookup.vacancy_for(request, uuid, Action.MAKE_PROPOSAL)
    today = timezone.localdate()
    unit = vacancy.unit
    ordered = []
    if unit.programme_id:
        ordered = [
            (entry.position, entry.referral)
            for waiting_list in waiting.waiting_lists(request.user, unit.programme, today)
            for entry in waiting_list.entries
            if entry.open_proposal is None
        ]
    referrals = Referral.objects.visible_to(request.user, Action.MAKE_PROPOSAL).filter(
        programme_id=unit.programme_id
    )
    initial = {"proposed_on": today, "ask_landlord": unit.landlord_id is not None}
    chosen = request.GET.get("orientation")
    if chosen and any(str(referral.uuid) == chosen for _, referral in ordered):
        initial["referral"] = chosen
    form = ProposalForm(request.POST or None, referrals=referrals, ordered=ordered, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = run_service(
            form,
            lambda: proposal_actions.make_proposal(
                vacancy,
                data["referral"],
                proposed_on=data["proposed_on"],
                acting_user=request.user,
                ask_landlord=data["ask_landlord"],
                skip_reason=data["skip_reason"],
            ),
        )
        if proposal:
            messages.success(
                request,
                f"Le logement {unit.ref} est proposé ; réponse attendue au plus tard le "
                f"{proposal.expires_on:%d/%m/%Y}.",
            )
            return redirect("orientation:proposal_detail", uuid=proposal.uuid)
    delay = proposal_actions.proposal_delay_days()
    intro = (
        f"Le logement est réservé au ménage pendant {delay} jours ; sans réponse à la fin du "
        "délai, la proposition expire et le logement redevient disponible."
    )
    if not unit.programme_id:
        intro += " Ce logement n'est rattaché à aucun dispositif : rattachez-le d'abord."
    elif not ordered:
        intro += " Aucun ménage de la liste d'attente n'est disponible pour l'instant."
    candidates = []
    if unit.programme_id:
        candidates = _candidates(request.user, vacancy, today)
        proposal_actions.read_proposals(
            [referral for _, referral, _, _ in candidates], acting_user=request.user
        )
    return form_page(
        request,
        form,
        title=f"Proposer le logement {unit.ref}",
        intro=intro,
        submit="Proposer le logement",
        crumbs=pages.crumbs(*_vacancy_crumbs(vacancy)),
        template="orientation/propose.html",
        context={
            "unit": unit,
            "candidates": [(*row, row[1].request.assessment_on(today)) for row in candidates],
            "can_see_households": can_view_households(request.user),
        },
    )
