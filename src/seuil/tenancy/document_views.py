"""The tenancy's printed documents (PDF) and what goes with them: the sub-lease and its
tripartite convention, the avis d'échéance and the quittance (or partial receipt) of a
month and their delivery (sent or printed), the CCAPEX referral sheet; the charges
regularisation and the housing benefit received.

Every download is written in the access log (action export) in the transaction that reads
the record; reading needs VIEW_TENANCY, writing CHANGE_TENANCY.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.documents import as_attachment
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import documents, services
from .forms import BenefitReceiptForm, DeliveryForm, RegularisationForm
from .models import BenefitReceipt, PreventionCase, RentCall, SubLease, first_of_month
from .views import account_crumbs


def _pdf(content, name):
    response = HttpResponse(content, content_type="application/pdf")
    return as_attachment(response, name)


def _exported(request, queryset, uuid):
    """The object, and its access-log row (export), in one transaction."""
    with transaction.atomic():
        obj = object_or_404(request, queryset, uuid)
        record_access(request.user, AccessLog.Action.EXPORT, obj)
    return obj


SUB_LEASES = SubLease.objects.select_related(
    "organisation", "stay__household", "stay__unit__landlord", "stay__programme"
).prefetch_related("stay__household__memberships__person")
CALLS = RentCall.objects.select_related(
    "sub_lease__organisation", "sub_lease__stay__household", "sub_lease__stay__unit"
).prefetch_related("sub_lease__stay__household__memberships__person")


@policy(read=Action.VIEW_TENANCY)
def contract(request, uuid):
    """Le contrat de sous-location (PDF)."""
    sub_lease = _exported(request, SUB_LEASES, uuid)
    return _pdf(*documents.contract_pdf(sub_lease))


@policy(read=Action.VIEW_TENANCY)
def convention(request, uuid):
    """La convention tripartite (PDF), pour une sous-location qui en a une."""
    sub_lease = _exported(request, SUB_LEASES, uuid)
    try:
        return _pdf(*documents.convention_pdf(sub_lease))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("tenancy:account", uuid=sub_lease.uuid)


@policy(read=Action.VIEW_TENANCY)
def notice(request, uuid):
    """L'avis d'échéance d'un mois (PDF)."""
    call = _exported(request, CALLS, uuid)
    return _pdf(*documents.notice_pdf(call))


@policy(read=Action.VIEW_TENANCY)
def receipt(request, uuid):
    """La quittance d'un mois payé, ou le reçu partiel d'un mois payé en partie (PDF)."""
    call = _exported(request, CALLS, uuid)
    try:
        return _pdf(*documents.receipt_pdf(call))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("tenancy:account", uuid=call.sub_lease.uuid)


@policy(read=Action.VIEW_TENANCY)
def ccapex(request, uuid):
    """La fiche de saisine de la CCAPEX avec l'état de la dette (PDF)."""
    queryset = PreventionCase.objects.select_related(
        "organisation",
        "sub_lease__organisation",
        "sub_lease__stay__household",
        "sub_lease__stay__unit__landlord",
    ).prefetch_related("sub_lease__stay__household__memberships__person")
    case = _exported(request, queryset, uuid)
    return _pdf(*documents.ccapex_pdf(case))


@policy(Action.CHANGE_TENANCY)
def delivery(request, uuid):
    """Noter que l'avis d'échéance ou la quittance d'un mois a été envoyé ou imprimé."""
    call = object_or_404(request, CALLS, uuid)
    form = DeliveryForm(
        request.POST or None,
        initial={"kind": request.GET.get("document", "notice"), "on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.record_delivery(
                call, data["kind"], data["delivery"], data["on"], by=request.user
            ),
        ):
            messages.success(request, f"Remise notée pour {services.month_label(call.month)}.")
            return redirect("tenancy:account", uuid=call.sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Avis ou quittance de {services.month_label(call.month)} – remise",
        crumbs=account_crumbs(call.sub_lease),
    )


@policy(Action.CHANGE_TENANCY)
def regularisation_create(request, uuid):
    """Régulariser les charges d'une période (une fois par an)."""
    sub_lease = object_or_404(request, SUB_LEASES, uuid)
    today = timezone.localdate()
    last = sub_lease.regularisations.order_by("-period_end").first()
    start = last.period_end + datetime.timedelta(days=1) if last else sub_lease.signed_on
    form = RegularisationForm(
        request.POST or None,
        initial={"period_start": start, "period_end": today, "on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form, lambda: services.regularise_charges(sub_lease, by=request.user, **data)
        )
        if done:
            messages.success(request, "Régularisation des charges enregistrée.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Régulariser les charges – {sub_lease.stay.household}",
        crumbs=account_crumbs(sub_lease),
        intro=(
            "Seuil compte les provisions pour charges appelées sur la période et les compare "
            "aux charges réelles : un complément est appelé au ménage, un trop-perçu lui est "
            "remboursé en avoir sur son compte, à la date indiquée."
        ),
    )


@policy(Action.CHANGE_TENANCY)
def benefit_receipt_create(request, uuid):
    """Enregistrer un versement de l'APL par la CAF (tiers payant)."""
    sub_lease = object_or_404(request, SUB_LEASES, uuid)
    today = timezone.localdate()
    term = sub_lease.term_on(today)
    form = BenefitReceiptForm(
        request.POST or None,
        initial={
            "month": first_of_month(today).strftime("%Y-%m"),
            "received_on": today,
            "amount": term.housing_benefit if term else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        receipt = BenefitReceipt(sub_lease=sub_lease, **form.cleaned_data)
        if run_service(form, lambda: services.record_benefit_receipt(receipt, by=request.user)):
            messages.success(request, f"APL de {services.month_label(receipt.month)} enregistrée.")
            return redirect("tenancy:account", uuid=sub_lease.uuid)
    return form_page(
        request,
        form,
        title=f"Enregistrer un versement de l'APL – {sub_lease.stay.household}",
        crumbs=account_crumbs(sub_lease),
        intro=(
            "L'APL versée par la CAF à l'association (tiers payant) n'est pas un paiement du "
            "ménage : sa part en est déjà déduite. La noter montre les mois où la CAF n'a pas "
            "versé, ou pas le montant attendu."
        ),
    )
