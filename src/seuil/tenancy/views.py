"""The tenancy pages: the tenancy officer's month, the household's account, the sub-lease,
payment, repayment plan, inspection and rent call forms.

Reading needs VIEW_TENANCY (the tenancy officer, the social worker and the manager of the
operator), writing CHANGE_TENANCY (the tenancy officer and the manager); every object comes
through `visible_to(request.user, action)` (another organisation → 404). Writes go through
`services`, whose French errors are shown on the form, nothing written.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.housing.enums import ManagementMode
from seuil.housing.models import HousingUnit, Stay

from . import benefit, ledger, permissions, prevention, services
from .enums import InspectionKind, RepairStatus
from .forms import (
    AsOfForm,
    InspectionForm,
    MonthForm,
    PaymentForm,
    PreventionOpenForm,
    PreventionStepForm,
    RentCallForm,
    RepaymentPlanForm,
    SubLeaseForm,
)
from .models import (
    Inspection,
    Instalment,
    Payment,
    PreventionCase,
    RentCall,
    RentDocument,
    Repair,
    RepaymentPlan,
    SubLease,
    SubLeaseTerm,
    last_of_month,
    next_month,
)


def month_crumbs():
    return [(reverse("tenancy:month"), "Gestion locative")]


def account_crumbs(sub_lease):
    household = sub_lease.stay.household
    return [
        (household.get_absolute_url(), str(household)),
        (reverse("tenancy:account", args=[sub_lease.uuid]), f"Compte – {sub_lease.ref}"),
    ]


def _sub_lease(request, uuid):
    queryset = SubLease.objects.select_related("stay__household", "stay__unit", "organisation")
    return object_or_404(request, queryset, uuid)


# ---------------------------------------------------------------- the month


PAGE_SIZE = 50
VIEWS = {
    "retards": "Loyers en retard",
    "appels": "Appels du mois",
    "paiements": "Paiements reçus dans le mois",
}


@dataclass
class CallRow:
    call: RentCall
    unpaid: object  # ledger.Unpaid or None: paid
    deliveries: tuple = ()  # RentDocument: the avis or quittance sent or printed


@dataclass
class LateRow:
    """A sub-lease with a rent late: its first late call and all that is late."""

    sub_lease: object  # its pk, then the SubLease of the rows shown
    first: object  # ledger.Unpaid
    calls: int
    amount: object


@policy(read=Action.VIEW_TENANCY, write=Action.CHANGE_TENANCY)
def month(request):
    """The tenancy officer's month: the late rents (one row per household), the arrears by
    age, the housing benefit the CAF did not pay, the plans to follow, the inspections done
    and to do, the repairs open or closed in the month; the calls of the month and where
    they stand, or the payments received (`vue`, 50 a page); the button that calls the
    month."""
    today = timezone.localdate()
    form = MonthForm(request.GET or None)
    first = form.month(today)
    last = last_of_month(first)
    organisation = request.user.organisation
    if request.method == "POST":
        created = services.generate_rent_calls(organisation, first, by=request.user)
        messages.success(
            request,
            f"{created} appel{'s' if created > 1 else ''} de loyer créé{'s' if created > 1 else ''}"
            f" pour {services.month_label(first)}.",
        )
        return redirect(f"{reverse('tenancy:month')}?mois={first:%Y-%m}")
    day = min(today, last)
    view = request.GET.get("vue") if request.GET.get("vue") in VIEWS else "retards"
    sub_leases = SubLease.objects.visible_to(request.user).filter(organisation=organisation)
    standings = services.standings(sub_leases, day)
    by_age = {band: [0, ledger.ZERO] for band in ledger.AGE_BANDS}
    for standing in standings.values():
        if standing.arrears is None:
            continue
        by_age[standing.arrears.band][0] += 1
        for unpaid in standing.arrears.calls:
            by_age[unpaid.band][1] += unpaid.amount
    late = []
    for pk, standing in standings.items():
        calls = standing.late(day)
        if calls:
            amount = sum((u.amount for u in calls), ledger.ZERO)
            late.append(LateRow(pk, calls[0], len(calls), amount))
    late.sort(key=lambda r: (-r.first.age, r.sub_lease))
    month_calls = RentCall.objects.filter(sub_lease__in=sub_leases.values("pk"), month=first)
    month_payments = Payment.objects.filter(
        sub_lease__in=sub_leases.values("pk"), paid_on__range=(first, last)
    )
    calls_totals = month_calls.aggregate(
        calls=Count("pk"), called=Sum(F("rent") + F("charges") - F("housing_benefit"))
    )
    payments_totals = month_payments.aggregate(payments=Count("pk"), collected=Sum("amount"))
    totals = {
        "calls": calls_totals["calls"],
        "called": ledger.cents(calls_totals["called"]),
        "payments": payments_totals["payments"],
        "collected": ledger.cents(payments_totals["collected"]),
    }
    if view == "retards":
        listed = late
    elif view == "appels":
        listed = month_calls.select_related(
            "sub_lease__stay__household", "sub_lease__stay__unit"
        ).order_by("due_on", "sub_lease__ref")
    else:
        listed = month_payments.select_related("sub_lease__stay__household").order_by(
            "paid_on", "pk"
        )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if view == "appels":
        deliveries = {}
        for document in RentDocument.objects.filter(rent_call__in=rows).order_by("on", "pk"):
            deliveries.setdefault(document.rent_call_id, []).append(document)
        rows = [
            CallRow(call, _unpaid_of(standings, call), tuple(deliveries.get(call.pk, ())))
            for call in rows
        ]
    elif view == "retards":
        objects = SubLease.objects.select_related("stay__household").in_bulk(
            [row.sub_lease for row in rows]
        )
        for row in rows:
            row.sub_lease = objects[row.sub_lease]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "month": first,
        "month_label": services.month_label(first),
        "previous": (first - datetime.timedelta(days=1)).replace(day=1),
        "next": next_month(first),
        "day": day,
        "view": view,
        "view_label": VIEWS[view],
        "views": VIEWS,
        "page_obj": page,
        "query": query.urlencode() + "&" if query else "",
        "rows": rows,
        **totals,
        "late_count": len(late),
        "plans": _plans_to_follow(sub_leases, day),
        "inspections": list(
            Inspection.objects.filter(organisation=organisation, done_on__range=(first, last))
            .select_related("unit", "stay__household")
            .order_by("done_on")
        ),
        "to_inspect": _inspections_to_do(organisation, first, last),
        "repairs": _repairs_to_follow(request.user, organisation, first, last, day),
        "by_age": [
            (ledger.AGE_LABELS[band], count, amount) for band, (count, amount) in by_age.items()
        ],
        "arrears_count": sum(count for count, _ in by_age.values()),
        "arrears_amount": sum((amount for _, amount in by_age.values()), ledger.ZERO),
        "benefit_gaps": _benefit_gaps(sub_leases, first, today),
        "can_change": permissions.can_change_tenancy(request.user),
        "can_reconcile": permissions.can_reconcile_bank(request.user),
    }
    return render(request, "tenancy/month.html", context)


BENEFIT_MONTHS = 12


def _benefit_gaps(sub_leases, month, today):
    """The calls of the twelve months up to `month` whose housing benefit the CAF did not
    pay (or not in full, or suspended) by `today`, newest first, with their sub-lease and
    household."""
    first = month
    for _ in range(BENEFIT_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    gaps = benefit.gaps_of_months(sub_leases, first, month, today)
    objects = SubLease.objects.select_related("stay__household").in_bulk(
        [gap.sub_lease_id for gap in gaps]
    )
    return [(objects[gap.sub_lease_id], gap) for gap in gaps]


def _unpaid_of(standings, call):
    standing = standings.get(call.sub_lease_id)
    if standing is None or standing.arrears is None:
        return None
    return next((u for u in standing.arrears.calls if u.call.month == call.month), None)


def _plans_to_follow(sub_leases, day):
    """The repayment plans not over at `day` (an instalment to come), or broken."""
    plans = (
        RepaymentPlan.objects.filter(sub_lease__in=sub_leases.values("pk"), agreed_on__lte=day)
        .select_related("sub_lease__stay__household")
        .prefetch_related("instalments")
        .order_by("agreed_on")
    )
    found = []
    for plan in plans:
        state = next(s for s in services.account(plan.sub_lease, day).plans if s.plan.pk == plan.pk)
        if state.state != "kept":
            found.append(state)
    return found


def _inspections_to_do(organisation, first, last):
    """Entries of the month without an entry inspection, exits without an exit one."""
    stays = Stay.objects.filter(organisation=organisation).select_related("household", "unit")
    todo = []
    for stay in stays.filter(entered_on__range=(first, last)).exclude(
        inspections__kind=InspectionKind.ENTRY
    ):
        todo.append((stay, InspectionKind.ENTRY.label, stay.entered_on))
    for stay in stays.filter(exited_on__range=(first, last)).exclude(
        inspections__kind=InspectionKind.EXIT
    ):
        todo.append((stay, InspectionKind.EXIT.label, stay.exited_on))
    return sorted(todo, key=lambda item: item[2])


def _repairs_to_follow(user, organisation, first, last, day):
    """The repairs open at `day` (scheduled first, by appointment; then those reported,
    to schedule, oldest first), then those closed in the month. A scheduled repair whose
    appointment is past is `overdue`: to close once the work is done."""
    repairs = list(
        Repair.objects.visible_to(user)
        .filter(organisation=organisation, reported_on__lte=last)
        .filter(
            Q(status__in=[RepairStatus.REPORTED, RepairStatus.SCHEDULED])
            | Q(closed_on__range=(first, last))
        )
        .select_related("unit", "stay__household")
    )
    order = {RepairStatus.SCHEDULED: 0, RepairStatus.REPORTED: 1}
    for repair in repairs:
        repair.overdue = (
            repair.status == RepairStatus.SCHEDULED
            and repair.appointment_on is not None
            and repair.appointment_on < day
        )
    repairs.sort(key=lambda r: (order.get(r.status, 2), r.appointment_on or r.reported_on, r.pk))
    return repairs


# ---------------------------------------------------------------- the account


@policy(read=Action.VIEW_TENANCY)
def account(request, uuid):
    """The household's account as of a day: the ledger, the arrears by age, the plans."""
    with transaction.atomic():
        sub_lease = _sub_lease(request, uuid)
        record_access(request.user, AccessLog.Action.VIEW, sub_lease)
    form = AsOfForm(request.GET or None)
    day = (form.is_valid() and form.cleaned_data.get("au")) or timezone.localdate()
    the_account = services.account(sub_lease, day)
    terms = list(sub_lease.terms.all())
    deliveries = {}
    for document in RentDocument.objects.filter(rent_call__sub_lease=sub_lease).order_by(
        "on", "pk"
    ):
        deliveries.setdefault(document.rent_call_id, []).append(document)
    for line in the_account.lines:
        line.deliveries = deliveries.get(line.record.pk, ()) if line.is_call else ()
    return render(
        request,
        "tenancy/account.html",
        {
            "sub_lease": sub_lease,
            "household": sub_lease.stay.household,
            "form": form,
            "account": the_account,
            "terms": terms,
            "term_today": sub_lease.term_on(day, terms),
            "cases": list(sub_lease.prevention_cases.prefetch_related("steps")),
            "regularisations": list(sub_lease.regularisations.order_by("on", "pk")),
            "benefit_months": benefit.of_sub_lease(sub_lease, day),
            "truce": prevention.truce_note(day),
            "crumbs": account_crumbs(sub_lease)[:1],
            "can_change": permissions.can_change_tenancy(request.user),
        },
    )


# ---------------------------------------------------------------- forms


def _sub_lease_form_page(request, form, sub_lease, stay, *, title):
    return form_page(
        request,
        form,
        title=title,
        crumbs=[(stay.household.get_absolute_url(), str(stay.household))],
        intro=(
            f"Séjour au logement {stay.unit.ref}, entré le {stay.entered_on:%d/%m/%Y}. "
            "Le loyer, les charges et l'APL versée à l'association donnent chaque mois "
            "l'appel de loyer ; la part du ménage est loyer + charges − APL."
        ),
    )


def _terms_of(data, sub_lease):
    if not data.get("term_from"):
        return None
    new = SubLeaseTerm(
        starts_on=data["term_from"],
        rent=data["rent"],
        charges=data.get("charges") or 0,
        housing_benefit=data.get("housing_benefit") or 0,
    )
    kept = (
        [t for t in sub_lease.terms.all() if t.starts_on != new.starts_on] if sub_lease.pk else []
    )
    return [*kept, new]


def _fill(sub_lease, data):
    for name in (
        "signed_on",
        "tripartite",
        "due_day",
        "deposit",
        "deposit_received_on",
        "deposit_returned_on",
        "deposit_returned",
        "deposit_kept_reason",
    ):
        setattr(sub_lease, name, data.get(name))
    sub_lease.deposit_kept_reason = sub_lease.deposit_kept_reason or ""


@policy(Action.CHANGE_TENANCY)
def sub_lease_create(request, stay):
    """Établir la sous-location d'un séjour (proposé après l'entrée)."""
    stays = Stay.objects.filter(organisation=request.user.organisation_id)
    stay = object_or_404(
        request, stays.select_related("household", "unit"), stay, Action.VIEW_HOUSEHOLDS
    )
    existing = SubLease.objects.filter(stay=stay).first()
    if existing is not None or stay.unit.management_mode == ManagementMode.MANDATE:
        reason = (
            f"Ce séjour a déjà une sous-location ({existing.ref})."
            if existing
            else "Ce logement est en mandat de gestion : le ménage est locataire en titre, "
            "il n'y a pas de sous-location."
        )
        return render(
            request,
            "tenancy/no_sub_lease.html",
            {"stay": stay, "reason": reason, "existing": existing},
        )
    unit = stay.unit
    form = SubLeaseForm(
        request.POST or None,
        new=True,
        initial={
            "signed_on": stay.entered_on,
            "term_from": stay.entered_on,
            "rent": unit.rent,
            "charges": unit.charges,
            "housing_benefit": 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        sub_lease = SubLease(stay=stay)
        if _saved(request, form, sub_lease):
            messages.success(request, f"Sous-location {sub_lease.ref} établie.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return _sub_lease_form_page(
        request, form, None, stay, title=f"Établir la sous-location – {stay.household}"
    )


def _saved(request, form, sub_lease):
    """Fill `sub_lease` from the valid form and save it with its terms (the form shows the
    service's refusal otherwise): True when saved."""
    _fill(sub_lease, form.cleaned_data)
    return run_service(
        form,
        lambda: services.save_sub_lease(
            sub_lease, _terms_of(form.cleaned_data, sub_lease), by=request.user
        ),
    )


@policy(Action.CHANGE_TENANCY)
def sub_lease_edit(request, uuid):
    """Modifier une sous-location : dépôt de garantie, échéance, révision du loyer."""
    sub_lease = _sub_lease(request, uuid)
    initial = {
        name: getattr(sub_lease, name)
        for name in (
            "signed_on",
            "tripartite",
            "due_day",
            "deposit",
            "deposit_received_on",
            "deposit_returned_on",
            "deposit_returned",
            "deposit_kept_reason",
        )
    }
    form = SubLeaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _saved(request, form, sub_lease):
            messages.success(request, f"Sous-location {sub_lease.ref} modifiée.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return _sub_lease_form_page(
        request,
        form,
        sub_lease,
        sub_lease.stay,
        title=f"Modifier la sous-location {sub_lease.ref}",
    )


@policy(Action.CHANGE_TENANCY)
def payment_create(request, uuid):
    """Enregistrer un paiement reçu du ménage ou pour lui."""
    sub_lease = _sub_lease(request, uuid)
    form = PaymentForm(
        request.POST or None, initial={"paid_on": timezone.localdate(), "method": "cash"}
    )
    if request.method == "POST" and form.is_valid():
        payment = Payment(sub_lease=sub_lease, **form.cleaned_data)
        if run_service(form, lambda: services.record_payment(payment, by=request.user)):
            messages.success(
                request, f"Paiement du {payment.paid_on:%d/%m/%Y} enregistré ({payment.ref})."
            )
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Enregistrer un paiement – {sub_lease.stay.household}",
        crumbs=account_crumbs(sub_lease),
        intro=f"Solde du compte aujourd'hui : {_balance_text(sub_lease)}.",
    )


def _balance_text(sub_lease):
    from seuil.core.templatetags.ui import money

    balance = services.account(sub_lease, timezone.localdate()).balance
    if balance > 0:
        return f"{money(balance)} dus"
    if balance < 0:
        return f"{money(-balance)} d'avance"
    return "à jour"


@policy(Action.CHANGE_TENANCY)
def plan_create(request, uuid):
    """Convenir d'un échéancier de remboursement de la dette."""
    sub_lease = _sub_lease(request, uuid)
    today = timezone.localdate()
    debt = services.account(sub_lease, today).debt
    form = RepaymentPlanForm(
        request.POST or None,
        initial={
            "agreed_on": today,
            "debt": debt or None,
            "first_due_on": next_month(today).replace(day=min(today.day, 28)),
            "count": 6,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = RepaymentPlan(sub_lease=sub_lease, agreed_on=data["agreed_on"], debt=data["debt"])
        instalments = [Instalment(due_on=d, amount=a) for d, a in form.instalments()]
        done = run_service(
            form, lambda: services.save_repayment_plan(plan, instalments, by=request.user)
        )
        if done:
            messages.success(request, f"Échéancier {plan.ref} enregistré.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Convenir d'un échéancier – {sub_lease.stay.household}",
        crumbs=account_crumbs(sub_lease),
        intro=(
            "Le ménage rembourse sa dette par échéances mensuelles, en plus de son loyer "
            "courant : une échéance est tenue quand les paiements reçus depuis l'accord "
            "couvrent, à sa date, les loyers appelés depuis et les échéances dues."
        ),
    )


@policy(Action.CHANGE_TENANCY)
def inspection_create(request, unit):
    """Enregistrer un état des lieux du logement (pour son séjour en cours ou le dernier)."""
    units = HousingUnit.objects.filter(organisation=request.user.organisation_id)
    unit = object_or_404(request, units, unit, Action.VIEW_UNITS)
    today = timezone.localdate()
    form = InspectionForm(request.POST or None, initial={"done_on": today, "kind": "entry"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stay = (
            Stay.objects.filter(unit=unit, entered_on__lte=data["done_on"])
            .order_by("-entered_on")
            .first()
        )
        inspection = Inspection(unit=unit, stay=stay, **data)
        if run_service(form, lambda: services.save_inspection(inspection, by=request.user)):
            messages.success(
                request, f"{inspection} enregistré : ajoutez ses pièces, compteurs et clés."
            )
            return redirect(inspection.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Enregistrer un état des lieux – logement {unit.ref}",
        crumbs=[(reverse("housing:list"), "Logements"), (unit.get_absolute_url(), unit.ref)],
        intro="L'état des lieux est rattaché au séjour du logement à sa date, s'il y en a un.",
    )


@policy(Action.CHANGE_TENANCY)
def rent_call_edit(request, uuid):
    """Corriger un appel de loyer (montants, échéance)."""
    call = object_or_404(
        request, RentCall.objects.select_related("sub_lease__stay__household"), uuid
    )
    sub_lease = call.sub_lease
    form = RentCallForm(
        request.POST or None,
        initial={
            "due_on": call.due_on,
            "rent": call.rent,
            "charges": call.charges,
            "housing_benefit": call.housing_benefit,
        },
    )
    if request.method == "POST" and form.is_valid():
        for name, value in form.cleaned_data.items():
            setattr(call, name, value)
        if run_service(form, lambda: services.save_rent_call(call, by=request.user)):
            messages.success(
                request, f"Appel de loyer de {services.month_label(call.month)} corrigé."
            )
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Corriger l'appel de loyer de {services.month_label(call.month)}",
        crumbs=account_crumbs(sub_lease),
    )


# ---------------------------------------------------------------- eviction prevention


@policy(Action.CHANGE_TENANCY)
def prevention_open(request, uuid):
    """Ouvrir un dossier de prévention des expulsions (sans attendre un loyer en retard)."""
    sub_lease = _sub_lease(request, uuid)
    form = PreventionOpenForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["opened_on"]
        if run_service(form, lambda: prevention.open_case(sub_lease, on, by=request.user)):
            messages.success(request, "Dossier de prévention des expulsions ouvert.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Ouvrir la prévention des expulsions – {sub_lease.stay.household}",
        crumbs=account_crumbs(sub_lease),
        intro="Seuil ouvre aussi le dossier tout seul, le jour où un loyer passe en retard.",
    )


@policy(Action.CHANGE_TENANCY)
def prevention_step(request, uuid):
    """Noter une étape du dossier (relance, FSL, CCAPEX, jugement…) ou le clore."""
    case = object_or_404(
        request, PreventionCase.objects.select_related("sub_lease__stay__household"), uuid
    )
    sub_lease = case.sub_lease
    today = timezone.localdate()
    form = PreventionStepForm(request.POST or None, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action():
            if data["outcome"]:
                return prevention.close_case(case, data["outcome"], data["on"], by=request.user)
            return prevention.add_step(case, data["stage"], data["on"], by=request.user)

        if run_service(form, action):
            messages.success(request, "Dossier de prévention mis à jour.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Prévention des expulsions – {sub_lease.stay.household}",
        crumbs=account_crumbs(sub_lease),
        intro=prevention.truce_note(today),
    )
