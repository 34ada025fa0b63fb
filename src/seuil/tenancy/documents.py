"""The tenancy's printed documents (PDF, French), from templates the operator may adapt
(`seuil.core.documents`): the sub-lease contract and the tripartite convention, the avis
d'échéance and the quittance (or partial receipt) of a month, the CCAPEX referral sheet
with the debt statement.

Each `*_pdf` function returns (bytes, file name). The amounts come from the ledger rules
(`services.account`): a month's rent is **paid** when the payments made so far, settled
oldest first, cover its share; a quittance is given only then, a « reçu partiel » stating
what remains when they cover part of it, nothing when they cover none of it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from seuil.core.document_templates import render_pdf

from . import ledger, prevention, services
from .models import last_of_month

STYLESHEET = "tenancy/documents/print.css"


def _render(template, context, organisation):
    return render_pdf(
        f"tenancy/documents/{template}.html",
        {"printed_at": timezone.localtime(), "organisation": organisation, **context},
        stylesheet=STYLESHEET,
        organisation=organisation,
    )


def _parties(sub_lease, day):
    household = sub_lease.stay.household
    members = household.members_on(day) or household.members_on(None)
    return {
        "sub_lease": sub_lease,
        "stay": sub_lease.stay,
        "unit": sub_lease.stay.unit,
        "landlord": sub_lease.stay.unit.landlord,
        "household": household,
        "members": sorted(members, key=lambda m: (m.role != "head", m.person.last_name)),
        "adults": [m for m in members if m.role in ("head", "partner")],
    }


# ---------------------------------------------------------------- the sub-lease


def contract_pdf(sub_lease):
    """The sub-lease contract, with its terms at signing."""
    terms = list(sub_lease.terms.order_by("starts_on"))
    context = {
        **_parties(sub_lease, sub_lease.signed_on),
        "terms": terms,
        "term": sub_lease.term_on(sub_lease.signed_on, terms) or (terms[0] if terms else None),
    }
    pdf = _render("sub_lease", context, sub_lease.organisation)
    return pdf, f"sous-location-{sub_lease.ref}.pdf"


def convention_pdf(sub_lease):
    """The tripartite convention (landlord, household, operator); only for a sub-lease
    signed with one."""
    if not sub_lease.tripartite:
        raise ValidationError("Cette sous-location n'a pas de convention tripartite.")
    terms = list(sub_lease.terms.order_by("starts_on"))
    context = {
        **_parties(sub_lease, sub_lease.signed_on),
        "term": sub_lease.term_on(sub_lease.signed_on, terms) or (terms[0] if terms else None),
    }
    pdf = _render("convention", context, sub_lease.organisation)
    return pdf, f"convention-tripartite-{sub_lease.ref}.pdf"


# ---------------------------------------------------------------- a month of rent


@dataclass(frozen=True)
class MonthStanding:
    """Where a rent call stands at `day`: what the payments (settled oldest first) paid
    of its share, and what remains."""

    call: object  # RentCall
    day: object
    paid: Decimal
    remaining: Decimal

    @property
    def fully_paid(self):
        return self.remaining == 0

    @property
    def partly_paid(self):
        return self.paid > 0 and self.remaining > 0


def month_standing(call, day):
    """The `MonthStanding` of `call` at `day` (the account's settling rule; a call not due
    yet is looked at on its due date, with the payments made so far)."""
    the_account = services.account(call.sub_lease, max(day, call.due_on))
    unpaid = the_account.arrears.calls if the_account.arrears else ()
    left = next(
        (u.amount for u in unpaid if (u.call.month, u.call.due_on) == (call.month, call.due_on)),
        ledger.ZERO,
    )
    return MonthStanding(call, day, call.share - left, left)


def _regularisations_of(call):
    """The regularisations dated in the call's month: lines of its avis."""
    return [
        r
        for r in call.sub_lease.regularisations.filter(
            on__range=(call.month, last_of_month(call.month))
        ).order_by("on")
        if r.difference
    ]


def notice_pdf(call):
    """The avis d'échéance of a month: the balance at the end of the month before, rent,
    charges, housing benefit deducted, the household's share, a regularisation dated in
    the month, what to pay and the reference to give with the payment."""
    sub_lease = call.sub_lease
    balance_day = call.month - datetime.timedelta(days=1)
    before = services.account(sub_lease, balance_day).balance
    regularisations = _regularisations_of(call)
    extra = sum((r.difference for r in regularisations), ledger.ZERO)
    context = {
        **_parties(sub_lease, call.due_on),
        "call": call,
        "month_label": services.month_label(call.month),
        "regularisations": regularisations,
        "balance_day": balance_day,
        "balance_before": before,
        "to_pay": max(before + call.share + extra, ledger.ZERO),
    }
    pdf = _render("notice", context, sub_lease.organisation)
    return pdf, f"avis-echeance-{sub_lease.ref}-{call.month:%Y-%m}.pdf"


def receipt_pdf(call, day=None):
    """The quittance of a month fully paid at `day` (today by default), a « reçu
    partiel » stating what remains when partly paid; refused when nothing of it is paid."""
    day = day or timezone.localdate()
    standing = month_standing(call, day)
    if standing.paid <= 0:
        raise ValidationError(
            f"Aucun paiement n'a encore réglé le loyer de {services.month_label(call.month)} : "
            "ni quittance ni reçu."
        )
    sub_lease = call.sub_lease
    context = {
        **_parties(sub_lease, call.due_on),
        "call": call,
        "month_label": services.month_label(call.month),
        "standing": standing,
        "period_end": last_of_month(call.month),
    }
    template = "receipt" if standing.fully_paid else "partial_receipt"
    kind = "quittance" if standing.fully_paid else "recu-partiel"
    pdf = _render(template, context, sub_lease.organisation)
    return pdf, f"{kind}-{sub_lease.ref}-{call.month:%Y-%m}.pdf"


# ---------------------------------------------------------------- CCAPEX


def ccapex_pdf(case, day=None):
    """The CCAPEX referral sheet of a prevention case: the household, the dwelling, the
    rent, the debt statement at `day` (calls left unpaid with their age, the payments of
    the last twelve months, the repayment plans), the stages of the case, the winter
    truce."""
    day = day or timezone.localdate()
    sub_lease = case.sub_lease
    the_account = services.account(sub_lease, day)
    year_ago = day - datetime.timedelta(days=365)
    payments = [
        line for line in the_account.lines if line.credit is not None and line.day > year_ago
    ]
    context = {
        **_parties(sub_lease, day),
        "case": case,
        "steps": list(case.steps.order_by("on", "pk")),
        "account": the_account,
        "term": sub_lease.term_on(day),
        "payments": payments,
        "paid_last_year": sum((line.credit for line in payments), ledger.ZERO),
        "truce": prevention.truce_note(day),
        "day": day,
    }
    pdf = _render("ccapex", context, sub_lease.organisation)
    return pdf, f"saisine-ccapex-{sub_lease.ref}-{day:%Y%m%d}.pdf"
