"""Right of access: what the tenancy and the outcomes hold about a stay of the person's
household, added to each stay of the `seuil-subject-access/1` document.

- `tenancy`: the sub-lease (deposit included), its dated terms, the rent calls, the
  payments, the charges regularisations, the housing benefit received, the repayment plans
  with their instalments, the prevention cases with their stages, the inspections of the
  stay; null when the stay has no sub-lease and no inspection;
- `outcomes`: the exit preparation (checklist) and the follow-ups after exit with their
  answers.

Only the records the person's organisation keeps, of the stays already in the document
(the person's household during their membership): nothing of another household. Values are
JSON-ready (dates as ISO strings, amounts as numbers, codes as stored); `presented(stay)`
gives the French labels (the fields' own names) and values of the HTML/PDF document.
"""

import datetime
from decimal import Decimal

from django.db.models import DecimalField

from seuil.core import history
from seuil.core.templatetags.ui import money
from seuil.outcomes.models import ExitChecklist, FollowUp
from seuil.tenancy.models import (
    BenefitReceipt,
    ChargesRegularisation,
    Inspection,
    Instalment,
    Payment,
    PreventionCase,
    PreventionStep,
    RentCall,
    RepaymentPlan,
    SubLease,
    SubLeaseTerm,
)

# Fields never given: identifiers, links and bookkeeping (no information about the person).
SKIPPED = {
    "id",
    "uuid",
    "organisation",
    "stay",
    "sub_lease",
    "rent_call",
    "case",
    "plan",
    "unit",
    "bank_line",
    "eviction_procedure",
    "updated_at",
    "created_at",
    "version",
    "recorded_by",
    "by",
}


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    return value


def _fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED and not f.name.endswith("_id")
    ]


def record(obj, **more):
    """The fields of `obj` worth giving, as JSON-ready values, plus `more`."""
    values = {f.name: _value(getattr(obj, f.attname)) for f in _fields(type(obj))}
    values.update(more)
    return values


def _by_key(rows, key):
    found = {}
    for row in rows:
        found.setdefault(key(row), []).append(row)
    return found


def stay_records(organisation, stays):
    """{stay pk: {"tenancy": …, "outcomes": …}} for `stays`, the organisation's records."""
    stay_ids = [s.pk for s in stays]
    sub_leases = {
        s.stay_id: s
        for s in SubLease.objects.filter(organisation=organisation, stay__in=stay_ids)
        .prefetch_related("terms")
        .order_by("pk")
    }
    sub_lease_ids = [s.pk for s in sub_leases.values()]

    def of_sub_leases(model, *order):
        return _by_key(
            model.objects.filter(sub_lease__in=sub_lease_ids).order_by(*order, "pk"),
            lambda r: r.sub_lease_id,
        )

    calls = of_sub_leases(RentCall, "month")
    payments = of_sub_leases(Payment, "paid_on")
    regularisations = of_sub_leases(ChargesRegularisation, "on")
    receipts = of_sub_leases(BenefitReceipt, "month")
    plans = _by_key(
        RepaymentPlan.objects.filter(sub_lease__in=sub_lease_ids)
        .prefetch_related("instalments")
        .order_by("agreed_on", "pk"),
        lambda r: r.sub_lease_id,
    )
    cases = _by_key(
        PreventionCase.objects.filter(sub_lease__in=sub_lease_ids)
        .prefetch_related("steps")
        .order_by("opened_on", "pk"),
        lambda r: r.sub_lease_id,
    )
    inspections = _by_key(
        Inspection.objects.filter(organisation=organisation, stay__in=stay_ids).order_by(
            "done_on", "pk"
        ),
        lambda r: r.stay_id,
    )
    checklists = {
        c.stay_id: c
        for c in ExitChecklist.objects.filter(organisation=organisation, stay__in=stay_ids)
    }
    follow_ups = _by_key(
        FollowUp.objects.filter(organisation=organisation, stay__in=stay_ids).order_by("on", "pk"),
        lambda r: r.stay_id,
    )
    found = {}
    for stay_id in stay_ids:
        sub_lease = sub_leases.get(stay_id)
        tenancy = None
        if sub_lease is not None or inspections.get(stay_id):
            pk = sub_lease.pk if sub_lease else None
            tenancy = {
                "sub_lease": record(sub_lease) if sub_lease else None,
                "terms": [
                    record(t) for t in sorted(sub_lease.terms.all(), key=lambda t: t.starts_on)
                ]
                if sub_lease
                else [],
                "rent_calls": [record(c) for c in calls.get(pk, [])],
                "payments": [record(p) for p in payments.get(pk, [])],
                "charges_regularisations": [record(r) for r in regularisations.get(pk, [])],
                "housing_benefit_received": [record(r) for r in receipts.get(pk, [])],
                "repayment_plans": [
                    record(p, instalments=[record(i) for i in p.instalments.all()])
                    for p in plans.get(pk, [])
                ],
                "prevention_cases": [
                    record(c, steps=[record(s) for s in c.steps.all()]) for c in cases.get(pk, [])
                ],
                "inspections": [record(i) for i in inspections.get(stay_id, [])],
            }
        checklist = checklists.get(stay_id)
        found[stay_id] = {
            "tenancy": tenancy,
            "outcomes": {
                "exit_checklist": record(checklist) if checklist else None,
                "follow_ups": [record(f) for f in follow_ups.get(stay_id, [])],
            },
        }
    return found


# ---- presentation (French) ------------------------------------------------------------

# Each part of the document: (key, title, model), in the document's order.
TENANCY_PARTS = (
    ("terms", "Conditions de la sous-location (loyer, charges, APL)", SubLeaseTerm),
    ("rent_calls", "Appels de loyer", RentCall),
    ("payments", "Paiements", Payment),
    ("charges_regularisations", "Régularisations des charges", ChargesRegularisation),
    ("housing_benefit_received", "APL reçue par l'association (tiers payant)", BenefitReceipt),
    ("inspections", "États des lieux", Inspection),
)


def _shown(field, value):
    """A value in French: the change history's rule (`history.display_value`), amounts in
    euros."""
    if isinstance(value, float) and isinstance(field, DecimalField):
        return money(value)
    return history.display_value(field, value)


def presented_record(model, values):
    """[(French label, shown value)] of a `record`."""
    rows = []
    for field in _fields(model):
        if field.name in values:
            label = str(field.verbose_name)
            rows.append((label[:1].upper() + label[1:], _shown(field, values[field.name])))
    return rows


def _table(model, rows):
    fields = _fields(model)
    header = [str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:] for f in fields]
    body = [[_shown(f, row.get(f.name)) for f in fields] for row in rows]
    return {"header": header, "rows": body}


def presented(stay):
    """The tenancy and outcomes parts of a stay of the document, for its template."""
    tenancy, outcomes = stay.get("tenancy"), stay.get("outcomes") or {}
    shown = {"tenancy": None, "outcomes": None}
    if tenancy:
        parts = []
        if tenancy["sub_lease"]:
            parts.append(
                {
                    "title": "Sous-location",
                    "pairs": presented_record(SubLease, tenancy["sub_lease"]),
                }
            )
        for key, title, model in TENANCY_PARTS:
            if tenancy[key]:
                parts.append({"title": title, "table": _table(model, tenancy[key])})
        for plan in tenancy["repayment_plans"]:
            parts.append(
                {
                    "title": "Échéancier",
                    "pairs": presented_record(RepaymentPlan, plan),
                    "table": _table(Instalment, plan["instalments"]),
                }
            )
        for case in tenancy["prevention_cases"]:
            parts.append(
                {
                    "title": "Prévention des expulsions",
                    "pairs": presented_record(PreventionCase, case),
                    "table": _table(PreventionStep, case["steps"]),
                }
            )
        shown["tenancy"] = parts
    parts = []
    if outcomes.get("exit_checklist"):
        parts.append(
            {
                "title": "Préparation de la sortie",
                "pairs": presented_record(ExitChecklist, outcomes["exit_checklist"]),
            }
        )
    for follow_up in outcomes.get("follow_ups", []):
        parts.append(
            {"title": "Suivi après la sortie", "pairs": presented_record(FollowUp, follow_up)}
        )
    shown["outcomes"] = parts or None
    return shown
