"""The tenancy lists of a `seuil-exchange/1` file (EXCHANGE.md §1.1): `sub_leases`,
`rent_calls`, `payments`, `repayment_plans`, `inspections`.

Each list is optional: a file without it is valid and leaves those records alone. A list
given is read, checked and written with the rest of the file (atomic, every error with its
path, nothing written on error):

- sub-leases, payments, repayment plans and inspections are identified by their `ref`
  (created or updated, never deleted by a file that leaves them out);
- a sub-lease's `terms` and a plan's `instalments` are the truth for that sub-lease or plan
  (those left out are deleted);
- rent calls are identified by (`sub_lease`, `month`); listed (even empty), they replace
  the calls of the sub-leases the file names (in `sub_leases` or in `rent_calls`).

`parse_list` reads a list (called by `schema`), `check` checks the final state (called by
`validate`), `write` writes (called by the importer's writer), `export_lists` gives the
lists of an organisation (called by the exporter).
"""

import datetime
import re
from decimal import Decimal

from seuil.core.jsondoc import Amount, Bool, Code, Date, Field, List, Text
from seuil.core.plausibility import check_event_date
from seuil.housing.enums import ManagementMode
from seuil.housing.models import HousingUnit, Stay
from seuil.tenancy.enums import InspectionKind, PaymentMethod
from seuil.tenancy.models import (
    Inspection,
    Instalment,
    Payment,
    RentCall,
    RepaymentPlan,
    SubLease,
    SubLeaseTerm,
)

from .batches import BATCH_SIZE, by_parent, by_ref, grouped, json_date, json_number, refs_of
from .snapshot import Snapshot, Stored

LISTS = ("sub_leases", "rent_calls", "payments", "repayment_plans", "inspections")
KIND_LABELS = {
    "sub_leases": "sous-locations",
    "sub_lease_terms": "conditions des sous-locations",
    "rent_calls": "appels de loyer",
    "payments": "paiements",
    "repayment_plans": "échéanciers",
    "instalments": "échéances des échéanciers",
    "inspections": "états des lieux",
}
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------- the fields


def _ref(*, required=False):
    return Text(max_length=100, blank="référence vide", required=required, default=None)


def _event(*, required=False):
    return Date(check=check_event_date, required=required)


class DueDay(Field):
    """The day of the month a rent is due: a whole number from 1 to 28."""

    expected = "entier attendu"

    def read(self, value, path, reader):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value.__class__ is bool or not isinstance(value, int) or not 1 <= value <= 28:
            return reader.error(path, "jour d'échéance invalide (entier de 1 à 28 attendu)")
        return value


class Month(Field):
    """A month `YYYY-MM`, read as the date of its first day."""

    expected = "mois attendu"

    def read(self, value, path, reader):
        match = MONTH_RE.match(value) if isinstance(value, str) else None
        if match is None:
            return reader.error(path, "mois invalide (AAAA-MM attendu)")
        month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        implausible = check_event_date(month, reader.today)
        if implausible is not None:
            return reader.error(path, implausible)
        return month


class PositiveAmount(Amount):
    """An amount strictly greater than zero."""

    def read(self, value, path, reader):
        amount = super().read(value, path, reader)
        if amount is not None and amount <= 0:
            return reader.error(path, "montant strictement positif attendu")
        return amount


TERM = {
    "from": Date(required=True),
    "rent": Amount(required=True),
    "charges": Amount(),
    "housing_benefit": Amount(),
}
SUB_LEASE = {
    "ref": _ref(required=True),
    "stay": _ref(required=True),
    "signed_on": _event(required=True),
    "tripartite": Bool(),
    "deposit": Amount(),
    "due_day": DueDay(),
    "terms": List(),
}
RENT_CALL = {
    "sub_lease": _ref(required=True),
    "month": Month(required=True),
    "due_on": _event(required=True),
    "rent": Amount(required=True),
    "charges": Amount(),
    "housing_benefit": Amount(),
}
PAYMENT = {
    "ref": _ref(required=True),
    "sub_lease": _ref(required=True),
    "paid_on": _event(required=True),
    "amount": PositiveAmount(required=True),
    "method": Code(tuple(PaymentMethod.values)),
}
INSTALMENT = {"due_on": Date(required=True), "amount": Amount(required=True)}
REPAYMENT_PLAN = {
    "ref": _ref(required=True),
    "sub_lease": _ref(required=True),
    "agreed_on": _event(required=True),
    "debt": Amount(required=True),
    "instalments": List(),
}
INSPECTION = {
    "ref": _ref(required=True),
    "unit": _ref(required=True),
    "stay": _ref(),
    "kind": Code(tuple(InspectionKind.values), required=True),
    "done_on": _event(required=True),
}
SPECS = {
    "sub_leases": SUB_LEASE,
    "rent_calls": RENT_CALL,
    "payments": PAYMENT,
    "repayment_plans": REPAYMENT_PLAN,
    "inspections": INSPECTION,
}
NESTED = {"sub_leases": ("terms", TERM), "repayment_plans": ("instalments", INSTALMENT)}
ZERO = Decimal("0")


def parse_list(reader, name, rows):
    """The rows of the list `name` (already known to be a list); None for an item that is
    no object. Nested lists (terms, instalments) are read too; left out, they are []."""
    parsed = []
    nested = NESTED.get(name)
    for i, obj in enumerate(rows):
        row = reader.object(obj, SPECS[name], (name, i))
        if row is not None and nested is not None:
            key, spec = nested
            items = row[key]
            row[key] = [
                reader.object(item, spec, ((((name, i)), key), j))
                for j, item in enumerate(items or [])
            ]
            row[f"{key}_given"] = items is not None
        parsed.append(row)
    return parsed


# ---------------------------------------------------------------- what the database holds


def _by_ref(queryset, fields):
    return {row["ref"]: row for row in queryset.values("pk", "uuid", "ref", *fields)}


SUB_LEASE_FIELDS = ["stay_id", "signed_on", "tripartite", "deposit", "due_day"]
TERM_FIELDS = ["rent", "charges", "housing_benefit"]
RENT_CALL_FIELDS = ["due_on", "rent", "charges", "housing_benefit"]
PAYMENT_FIELDS = ["sub_lease_id", "paid_on", "amount", "method"]
PLAN_FIELDS = ["sub_lease_id", "agreed_on", "debt"]
INSTALMENT_FIELDS = ["amount"]
INSPECTION_FIELDS = ["unit_id", "stay_id", "kind", "done_on"]


class TenancySnapshot:
    """The organisation's tenancy rows: the sub-leases (and the units in mandate) that the
    checks need whole, as dicts; the other kinds as `Stored`, that an import compares a
    batch of keys at a time."""

    def __init__(self, organisation):
        org = organisation.pk if organisation is not None else None
        self.sub_leases = _by_ref(SubLease.objects.filter(organisation=org), SUB_LEASE_FIELDS)
        self.terms = Stored(
            SubLeaseTerm.objects.filter(sub_lease__organisation=org),
            ["sub_lease_id", "starts_on"],
            TERM_FIELDS,
        )
        self.rent_calls = Stored(
            RentCall.objects.filter(sub_lease__organisation=org),
            ["sub_lease_id", "month"],
            RENT_CALL_FIELDS,
        )
        self.payments = Stored(Payment.objects.filter(organisation=org), ["ref"], PAYMENT_FIELDS)
        self.plans = Stored(RepaymentPlan.objects.filter(organisation=org), ["ref"], PLAN_FIELDS)
        self.instalments = Stored(
            Instalment.objects.filter(plan__organisation=org),
            ["plan_id", "due_on"],
            INSTALMENT_FIELDS,
        )
        self.inspections = Stored(
            Inspection.objects.filter(organisation=org), ["ref"], INSPECTION_FIELDS
        )
        self.mandate_units = set(
            HousingUnit.objects.filter(
                organisation=org, management_mode=ManagementMode.MANDATE
            ).values_list("ref", flat=True)
        )


def tenancy_snapshot(snapshot):
    """The tenancy rows of the importer's snapshot (read once, kept on it)."""
    found = getattr(snapshot, "tenancy", None)
    if found is None:
        found = snapshot.tenancy = TenancySnapshot(snapshot.organisation)
    return found


# ---------------------------------------------------------------- checks of the final state


def _duplicates(document, kind, errors):
    seen = {}
    for i, row in document.rows(kind):
        ref = row["ref"]
        if ref is None:
            continue
        if ref in seen:
            errors.add(
                f"{kind}[{i}].ref", f"référence « {ref} » en double (déjà en {kind}[{seen[ref]}])"
            )
        else:
            seen[ref] = i


def _unknown(row, name, known, label, path, errors):
    ref = row[name]
    if ref is not None and ref not in known:
        errors.add(f"{path}.{name}", f"{label} « {ref} » inconnu (ni dans le fichier ni en base)")
        return True
    return False


def _amounts_error(row, path, errors):
    rent, charges, benefit = row["rent"], row["charges"], row["housing_benefit"]
    if rent is None or charges is None or benefit is None:
        return
    if benefit > rent + charges:
        errors.add(
            f"{path}.housing_benefit",
            f"l'APL ({benefit}) dépasse loyer + charges ({rent + charges})",
        )


def _dated_duplicates(items, field, path, errors, message="date en double"):
    seen = {}
    for j, item in enumerate(items):
        if item is None or item[field] is None:
            continue
        if item[field] in seen:
            errors.add(f"{path}[{j}].{field}", f"{message} (déjà en {path}[{seen[item[field]]}])")
        else:
            seen[item[field]] = j


def check(document, snapshot, stays, units, errors):
    """Every error of the tenancy lists against the file and the database. `stays` and
    `units` are the final states (ref → state with `.unit`) built by `validate`."""
    if not set(LISTS) & document.given:
        return
    t = tenancy_snapshot(snapshot)
    for kind in ("sub_leases", "payments", "repayment_plans", "inspections"):
        _duplicates(document, kind, errors)
    stay_refs = Snapshot.refs_by_pk(snapshot.stays)
    # Final state of the sub-leases: ref → (stay ref, index in the file or None).
    sub_leases = {ref: (stay_refs.get(row["stay_id"]), None) for ref, row in t.sub_leases.items()}
    for i, row in document.rows("sub_leases"):
        if row["ref"] is not None:
            sub_leases[row["ref"]] = (row["stay"], i)
    _check_sub_leases(document, snapshot, stays, sub_leases, errors)
    _check_rent_calls(document, sub_leases, errors)
    for i, row in document.rows("payments"):
        _unknown(row, "sub_lease", sub_leases, "sous-location", f"payments[{i}]", errors)
    for i, row in document.rows("repayment_plans"):
        path = f"repayment_plans[{i}]"
        _unknown(row, "sub_lease", sub_leases, "sous-location", path, errors)
        instalments = row["instalments"]
        if not row["instalments_given"] or not instalments:
            errors.add(f"{path}.instalments", "un échéancier a au moins une échéance")
        _dated_duplicates(
            instalments, "due_on", f"{path}.instalments", errors, "échéance en double"
        )
    for i, row in document.rows("inspections"):
        path = f"inspections[{i}]"
        _unknown(row, "unit", units, "logement", path, errors)
        if _unknown(row, "stay", stays, "séjour", path, errors) or row["stay"] is None:
            continue
        stay_unit = stays[row["stay"]].unit
        if row["unit"] is not None and stay_unit is not None and stay_unit != row["unit"]:
            errors.add(
                f"{path}.stay",
                f"le séjour « {row['stay']} » est dans le logement « {stay_unit} », "
                f"pas « {row['unit']} »",
            )


def _check_sub_leases(document, snapshot, stays, sub_leases, errors):
    t = tenancy_snapshot(snapshot)
    for i, row in document.rows("sub_leases"):
        path = f"sub_leases[{i}]"
        if not _unknown(row, "stay", stays, "séjour", path, errors) and row["stay"] is not None:
            unit = stays[row["stay"]].unit
            if unit in t.mandate_units:
                errors.add(
                    f"{path}.stay",
                    f"le logement « {unit} » est en mandat de gestion : le ménage est "
                    "locataire en titre, pas de sous-location",
                )
        terms = row["terms"]
        _dated_duplicates(terms, "from", f"{path}.terms", errors)
        for j, term in enumerate(terms):
            if term is not None:
                _amounts_error(term, f"{path}.terms[{j}]", errors)
    # At most one sub-lease per stay, in the final state: the rows of the database that
    # the file leaves as they are come first, every file row after the first is wrong.
    by_stay = {}
    for ref, (stay, index) in sub_leases.items():
        if stay is not None:
            by_stay.setdefault(stay, []).append((index is not None, index or 0, ref))
    for stay, holders in by_stay.items():
        holders.sort()
        for _, index, _ref in holders[1:]:
            errors.add(
                f"sub_leases[{index}].stay",
                f"le séjour « {stay} » a déjà une sous-location (« {holders[0][2]} ») : "
                "une seule par séjour",
            )
    # A sub-lease of the database moves to another stay only if no other sub-lease of the
    # database holds that stay now (two sub-leases do not swap their stays in one file).
    stay_refs = {row["stay_id"]: ref for ref, row in t.sub_leases.items()}
    stay_pks = {ref: row["pk"] for ref, row in snapshot.stays.items()}
    for i, row in document.rows("sub_leases"):
        existing = t.sub_leases.get(row["ref"])
        if existing is None or row["stay"] is None:
            continue
        holder = stay_refs.get(stay_pks.get(row["stay"]))
        if holder is not None and holder != row["ref"]:
            errors.add(
                f"sub_leases[{i}].stay",
                f"le séjour « {row['stay']} » porte encore la sous-location « {holder} » en "
                "base : changez d'abord celle-ci de séjour, par un autre import",
            )


def _check_rent_calls(document, sub_leases, errors):
    seen = {}
    for i, row in document.rows("rent_calls"):
        path = f"rent_calls[{i}]"
        _unknown(row, "sub_lease", sub_leases, "sous-location", path, errors)
        _amounts_error(row, path, errors)
        key = (row["sub_lease"], row["month"])
        if None in key:
            continue
        if key in seen:
            errors.add(
                f"{path}.month",
                f"mois déjà appelé pour cette sous-location (rent_calls[{seen[key]}])",
            )
        else:
            seen[key] = i


# ---------------------------------------------------------------- writing


def _amount(value):
    return ZERO if value is None else value


def write(writer):
    """Write the tenancy lists of `writer.doc` (an importer `_Writer`, after the stays)."""
    doc = writer.doc
    if not set(LISTS) & doc.given:
        return
    from .importer import _History, _inverse

    t = tenancy_snapshot(writer.snap)
    org = writer.org.pk
    stays = writer.pks(Stay)
    stay_households = dict(
        Stay.objects.filter(organisation=writer.org).values_list("pk", "household__uuid")
    )

    def household_of_stay(stay_id):
        return stay_households.get(stay_id)

    if "sub_leases" in doc.given:
        desired = {
            row["ref"]: {
                "organisation_id": org,
                "ref": row["ref"],
                "stay_id": stays[row["stay"]],
                "signed_on": row["signed_on"],
                "tripartite": row["tripartite"],
                "deposit": row["deposit"],
                "due_day": row["due_day"],
            }
            for _, row in doc.rows("sub_leases")
        }
        _move_stays(
            t,
            [
                (t.sub_leases[ref]["pk"], values["stay_id"])
                for ref, values in desired.items()
                if ref in t.sub_leases and t.sub_leases[ref]["stay_id"] != values["stay_id"]
            ],
        )
        writer.sync(
            "sub_leases",
            SubLease,
            t.sub_leases,
            desired,
            SUB_LEASE_FIELDS,
            history=_History(
                lambda key, values, uuid: household_of_stay(values["stay_id"]),
                {"stay_id": _inverse(stays)},
            ),
        )
    sub_leases = writer.pks(SubLease)
    if "sub_leases" in doc.given:
        terms, listed = {}, set()
        for _, row in doc.rows("sub_leases"):
            sub_lease_id = sub_leases[row["ref"]]
            if not row["terms_given"]:
                continue
            listed.add(sub_lease_id)
            for term in row["terms"]:
                terms[(sub_lease_id, term["from"])] = {
                    "sub_lease_id": sub_lease_id,
                    "starts_on": term["from"],
                    "rent": term["rent"],
                    "charges": _amount(term["charges"]),
                    "housing_benefit": _amount(term["housing_benefit"]),
                }
        writer.sync(
            "sub_lease_terms",
            SubLeaseTerm,
            t.terms,
            terms,
            TERM_FIELDS,
            delete_scope=listed,
        )
    if "rent_calls" in doc.given:
        calls = {}
        for _, row in doc.rows("rent_calls"):
            sub_lease_id = sub_leases[row["sub_lease"]]
            calls[(sub_lease_id, row["month"])] = {
                "sub_lease_id": sub_lease_id,
                "month": row["month"],
                "due_on": row["due_on"],
                "rent": row["rent"],
                "charges": _amount(row["charges"]),
                "housing_benefit": _amount(row["housing_benefit"]),
            }
        named = {sub_leases[row["ref"]] for _, row in doc.rows("sub_leases")}
        named |= {key[0] for key in calls}
        writer.sync(
            "rent_calls",
            RentCall,
            t.rent_calls,
            calls,
            RENT_CALL_FIELDS,
            delete_scope=named,
        )
    sub_lease_stays = dict(SubLease.objects.filter(organisation=org).values_list("pk", "stay_id"))

    def household_of_sub_lease(sub_lease_id):
        return household_of_stay(sub_lease_stays.get(sub_lease_id))

    if "payments" in doc.given:
        writer.sync(
            "payments",
            Payment,
            t.payments,
            {
                row["ref"]: {
                    "organisation_id": org,
                    "ref": row["ref"],
                    "sub_lease_id": sub_leases[row["sub_lease"]],
                    "paid_on": row["paid_on"],
                    "amount": row["amount"],
                    "method": row["method"],
                }
                for _, row in doc.rows("payments")
            },
            PAYMENT_FIELDS,
            history=_History(
                lambda key, values, uuid: household_of_sub_lease(values["sub_lease_id"]),
                {"sub_lease_id": _inverse(sub_leases)},
            ),
        )
    if "repayment_plans" in doc.given:
        _write_plans(writer, t, org, sub_leases, household_of_sub_lease)
    if "inspections" in doc.given:
        writer.sync(
            "inspections",
            Inspection,
            t.inspections,
            {
                row["ref"]: {
                    "organisation_id": org,
                    "ref": row["ref"],
                    "unit_id": writer.units[row["unit"]],
                    "stay_id": stays.get(row["stay"]),
                    "kind": row["kind"],
                    "done_on": row["done_on"],
                }
                for _, row in doc.rows("inspections")
            },
            INSPECTION_FIELDS,
            history=_History(
                lambda key, values, uuid: household_of_stay(values["stay_id"]),
                {"unit_id": _inverse(writer.units), "stay_id": _inverse(stays)},
            ),
        )


def _move_stays(t, moved):
    """Give the sub-leases of the database that change stay their new stay first, before
    any sub-lease is created on the stay they leave (`check` made sure that the stays they
    take are free)."""
    for pk, stay_id in moved:
        SubLease.objects.filter(pk=pk).update(stay_id=stay_id)


def _write_plans(writer, t, org, sub_leases, household_of_sub_lease):
    from .importer import _History, _inverse

    doc = writer.doc
    writer.sync(
        "repayment_plans",
        RepaymentPlan,
        t.plans,
        {
            row["ref"]: {
                "organisation_id": org,
                "ref": row["ref"],
                "sub_lease_id": sub_leases[row["sub_lease"]],
                "agreed_on": row["agreed_on"],
                "debt": row["debt"],
            }
            for _, row in doc.rows("repayment_plans")
        },
        PLAN_FIELDS,
        history=_History(
            lambda key, values, uuid: household_of_sub_lease(values["sub_lease_id"]),
            {"sub_lease_id": _inverse(sub_leases)},
        ),
    )
    plans = writer.pks(RepaymentPlan)
    instalments, listed = {}, set()
    for _, row in doc.rows("repayment_plans"):
        plan_id = plans[row["ref"]]
        listed.add(plan_id)
        for item in row["instalments"]:
            instalments[(plan_id, item["due_on"])] = {
                "plan_id": plan_id,
                "due_on": item["due_on"],
                "amount": item["amount"],
            }
    writer.sync(
        "instalments",
        Instalment,
        t.instalments,
        instalments,
        INSTALMENT_FIELDS,
        delete_scope=listed,
    )


# ---------------------------------------------------------------- export


def export_lists(organisation, exported_stays, stay_refs, unit_refs):
    """The five lists of `organisation` as `Rows`, in a stable order: by ref, calls by
    (sub-lease, month), terms and instalments by date. Only the sub-leases of the stays
    exported (`exported_stays`, their `stay_refs`: pk → ref) go, with their calls,
    payments and plans."""
    org = organisation.pk
    sub_leases = SubLease.objects.filter(organisation=org, stay__in=exported_stays)
    sub_lease_refs = refs_of(sub_leases)

    def terms(pks):
        return grouped(
            SubLeaseTerm.objects.all(),
            "sub_lease_id",
            pks,
            ["starts_on", *TERM_FIELDS],
            lambda row: {
                "from": json_date(row["starts_on"]),
                "rent": json_number(row["rent"]),
                "charges": json_number(row["charges"]),
                "housing_benefit": json_number(row["housing_benefit"]),
            },
            order=lambda row: row["starts_on"],
        )

    def instalments(pks):
        return grouped(
            Instalment.objects.all(),
            "plan_id",
            pks,
            ["due_on", *INSTALMENT_FIELDS],
            lambda row: {"due_on": json_date(row["due_on"]), "amount": json_number(row["amount"])},
            order=lambda row: row["due_on"],
        )

    return {
        "sub_leases": by_ref(
            sub_leases,
            SUB_LEASE_FIELDS,
            lambda row, terms: {
                "ref": row["ref"],
                "stay": stay_refs[row["stay_id"]],
                "signed_on": json_date(row["signed_on"]),
                "tripartite": row["tripartite"],
                "deposit": json_number(row["deposit"]),
                "due_day": row["due_day"],
                "terms": terms.get(row["pk"], []),
            },
            refs=sub_lease_refs,
            nested=terms,
        ),
        # A sub-lease has a call a month: a batch of a tenth of the others' size.
        "rent_calls": by_parent(
            sub_lease_refs,
            RentCall.objects.filter(sub_lease__in=sub_leases),
            "sub_lease_id",
            ["month", *RENT_CALL_FIELDS],
            lambda row: {
                "sub_lease": sub_lease_refs[row["sub_lease_id"]],
                "month": f"{row['month']:%Y-%m}",
                "due_on": json_date(row["due_on"]),
                "rent": json_number(row["rent"]),
                "charges": json_number(row["charges"]),
                "housing_benefit": json_number(row["housing_benefit"]),
            },
            order=lambda row: row["month"],
            size=BATCH_SIZE // 10,
        ),
        "payments": by_ref(
            Payment.objects.filter(organisation=org, sub_lease__in=sub_leases),
            PAYMENT_FIELDS,
            lambda row: {
                "ref": row["ref"],
                "sub_lease": sub_lease_refs[row["sub_lease_id"]],
                "paid_on": json_date(row["paid_on"]),
                "amount": json_number(row["amount"]),
                "method": row["method"] or None,
            },
        ),
        "repayment_plans": by_ref(
            RepaymentPlan.objects.filter(organisation=org, sub_lease__in=sub_leases),
            PLAN_FIELDS,
            lambda row, instalments: {
                "ref": row["ref"],
                "sub_lease": sub_lease_refs[row["sub_lease_id"]],
                "agreed_on": json_date(row["agreed_on"]),
                "debt": json_number(row["debt"]),
                "instalments": instalments.get(row["pk"], []),
            },
            nested=instalments,
        ),
        "inspections": by_ref(
            Inspection.objects.filter(organisation=org),
            INSPECTION_FIELDS,
            lambda row: {
                "ref": row["ref"],
                "unit": unit_refs[row["unit_id"]],
                "stay": stay_refs.get(row["stay_id"]),
                "kind": row["kind"],
                "done_on": json_date(row["done_on"]),
            },
        ),
    }
