"""The support lists of a `seuil-exchange/1` file (EXCHANGE.md §1.1): `support_contracts`
(with their `amendments`), `contacts`, `objectives`, and the programmes' `max_support_months`.

Each list is optional: a file without it leaves those records alone; with it, its rows are
created or updated by `ref` (never deleted: a contact recorded in Seuil and absent from the
file stays). A contract's `amendments`, when given (even empty), are the contract's whole
list; left out, they are left alone. The date rules (cap of the programme, amendments that
move the end later) are `seuil.support.rules`', checked on the final state: the file's rows
merged with the organisation's rows already in the database, every error with its path.

Contacts recorded in Seuil as planned or missed are not exported (the format knows only
contacts that took place); imported contacts are contacts that took place.
"""

from seuil.core.jsondoc import Code, Date, Integer, List, Text
from seuil.core.plausibility import check_event_date, check_planned_end
from seuil.support import rules
from seuil.support.enums import ContactKind, ContactStatus, ObjectiveDomain, ObjectiveOutcome
from seuil.support.models import Amendment, Contact, Objective, SupportContract

from .batches import by_ref, grouped, json_date

LISTS = ("support_contracts", "contacts", "objectives")
KIND_LABELS = {
    "support_contracts": "contrats d'accompagnement",
    "amendments": "avenants",
    "contacts": "contacts",
    "objectives": "objectifs d'accompagnement",
}
LABELS = {"support_contracts": "contrat", "contacts": "contact", "objectives": "objectif"}

# A programme row that leaves out `max_support_months` keeps the cap it has (none for a new
# programme); `null` says "no cap".
KEEP = object()
MAX_MONTHS = 1200


class Months(Integer):
    """A number of months, 1 to 1200; None when absent or null."""

    def __init__(self):
        super().__init__(default=None)

    def read(self, value, path, reader):
        months = super().read(value, path, reader)
        if months is None:
            return None
        if not 1 <= months <= MAX_MONTHS:
            return reader.error(path, f"nombre de mois entre 1 et {MAX_MONTHS} attendu (ou null)")
        return months


def _ref(*, required=False):
    return Text(max_length=100, blank="référence vide", required=required, default=None)


def _event(*, required=False):
    return Date(check=check_event_date, required=required)


REF = _ref(required=True)
MAX_SUPPORT_MONTHS = Months()
PLANNED_END = Date(check=check_planned_end, required=True)
AMENDMENT = {"ref": REF, "signed_on": _event(required=True), "ends_on": PLANNED_END}
SUPPORT_CONTRACT = {
    "ref": REF,
    "stay": _ref(required=True),
    "signed_on": _event(required=True),
    "starts_on": Date(required=True),
    "ends_on": PLANNED_END,
    "amendments": List(),
}
CONTACT = {
    "ref": REF,
    "household": _ref(required=True),
    "on": _event(required=True),
    "kind": Code(ContactKind.values, required=True),
}
OBJECTIVE = {
    "ref": REF,
    "household": _ref(required=True),
    "domain": Code(ObjectiveDomain.values, required=True),
    "set_on": _event(required=True),
    "closed_on": _event(),
    "outcome": Code(ObjectiveOutcome.values),
}
SPECS = {"support_contracts": SUPPORT_CONTRACT, "contacts": CONTACT, "objectives": OBJECTIVE}
# Lists inside the rows of a top-level list: read after the row, path `kind[i].name[j]`.
NESTED = {"support_contracts": {"amendments": AMENDMENT}}


def mark_programme(obj, row):
    """A programme row read from `obj`: `max_support_months` left out keeps the cap."""
    if row is not None and isinstance(obj, dict) and "max_support_months" not in obj:
        row["max_support_months"] = KEEP


# ---------------------------------------------------------------- snapshot

CONTRACT_FIELDS = ["stay_id", "signed_on", "starts_on", "ends_on"]
AMENDMENT_FIELDS = ["contract_id", "signed_on", "ends_on"]
CONTACT_FIELDS = ["household_id", "on", "kind"]
OBJECTIVE_FIELDS = ["household_id", "domain", "set_on", "closed_on", "outcome"]


def _by_ref(queryset, fields):
    return {row["ref"]: row for row in queryset.values("pk", "uuid", "ref", *fields)}


def load_snapshot(snapshot, organisation_id):
    """Add the organisation's support rows to `snapshot` (dicts by ref)."""
    snapshot.support_contracts = _by_ref(
        SupportContract.objects.filter(organisation=organisation_id), CONTRACT_FIELDS
    )
    snapshot.amendments = _by_ref(
        Amendment.objects.filter(organisation=organisation_id), AMENDMENT_FIELDS
    )
    snapshot.contacts = _by_ref(
        Contact.objects.filter(organisation=organisation_id), [*CONTACT_FIELDS, "status"]
    )
    snapshot.objectives = _by_ref(
        Objective.objects.filter(organisation=organisation_id), OBJECTIVE_FIELDS
    )


# ---------------------------------------------------------------- checks


def _check_duplicates(document, errors):
    for kind in LISTS:
        first = {}
        for i, row in document.rows(kind):
            ref = row["ref"]
            if ref is None:
                continue
            if ref in first:
                errors.add(
                    f"{kind}[{i}].ref",
                    f"référence « {ref} » en double (déjà en {kind}[{first[ref]}])",
                )
            else:
                first[ref] = i
    seen = {}
    for i, row in document.rows("support_contracts"):
        for j, amendment in enumerate(row["amendments"] or []):
            if amendment is None or amendment["ref"] is None:
                continue
            path = f"support_contracts[{i}].amendments[{j}]"
            if amendment["ref"] in seen:
                first = seen[amendment["ref"]]
                errors.add(
                    f"{path}.ref", f"référence « {amendment['ref']} » en double (déjà en {first})"
                )
            else:
                seen[amendment["ref"]] = path


def _final_caps(document, snapshot):
    """programme ref → its cap in the final state (None: no cap), and the file's index."""
    caps = {ref: (row["max_support_months"], None) for ref, row in snapshot.programmes.items()}
    for i, row in document.rows("programmes"):
        if row["ref"] is None:
            continue
        months = row["max_support_months"]
        if months is KEEP:
            months = caps.get(row["ref"], (None, None))[0]
        caps[row["ref"]] = (months, i)
    return caps


def _final_stays(document, snapshot):
    """stay ref → (entered_on, programme ref, index in the file or None)."""
    programme_refs = snapshot.refs_by_pk(snapshot.programmes)
    stays = {
        ref: (row["entered_on"], programme_refs.get(row["programme_id"]), None)
        for ref, row in snapshot.stays.items()
    }
    for i, row in document.rows("stays"):
        if row["ref"] is not None:
            stays[row["ref"]] = (row["entered_on"], row["programme"], i)
    return stays


def _final_contracts(document, snapshot):
    """contract ref → [stay ref, ends_on, [(signed_on, ends_on)], file index or None,
    whether its amendments come from the file]."""
    stay_refs = snapshot.refs_by_pk(snapshot.stays)
    contracts = {
        ref: [stay_refs.get(row["stay_id"]), row["ends_on"], [], None, False]
        for ref, row in snapshot.support_contracts.items()
    }
    contract_refs = snapshot.refs_by_pk(snapshot.support_contracts)
    listed = {}
    for i, row in document.rows("support_contracts"):
        if row["ref"] is None:
            continue
        given = row["amendments"] is not None
        contracts[row["ref"]] = [row["stay"], row["ends_on"], [], i, given]
        if given:
            for amendment in row["amendments"]:
                if amendment is not None and amendment["ref"] is not None:
                    listed[amendment["ref"]] = row["ref"]
    for ref, row in snapshot.amendments.items():
        contract = contracts.get(contract_refs.get(row["contract_id"]))
        if contract is not None and not contract[4] and ref not in listed:
            contract[2].append((row["signed_on"], row["ends_on"]))
    return contracts


def check(document, snapshot, errors):
    """Every error of the support lists (and of what they depend on) as (path, message)."""
    _check_duplicates(document, errors)
    households = {r["ref"] for _, r in document.rows("households")} | set(snapshot.households)
    caps = _final_caps(document, snapshot)
    stays = _final_stays(document, snapshot)
    for kind in ("contacts", "objectives"):
        for i, row in document.rows(kind):
            if row["household"] is not None and row["household"] not in households:
                errors.add(
                    f"{kind}[{i}].household",
                    f"ménage « {row['household']} » inconnu (ni dans le fichier ni en base)",
                )
    for i, row in document.rows("objectives"):
        closed = row["closed_on"] is not None
        if closed and row["outcome"] == "":
            errors.add(f"objectives[{i}].outcome", "résultat obligatoire pour un objectif clos")
        elif row["outcome"] and not closed:
            errors.add(
                f"objectives[{i}].outcome",
                "résultat donné pour un objectif qui n'est pas clos (closed_on manquant)",
            )
    for i, row in document.rows("support_contracts"):
        path = f"support_contracts[{i}]"
        if row["stay"] is not None and row["stay"] not in stays:
            errors.add(
                f"{path}.stay", f"séjour « {row['stay']} » inconnu (ni dans le fichier ni en base)"
            )
        message = rules.dates_error(row["starts_on"], row["ends_on"])
        if message:
            errors.add(f"{path}.ends_on", message)
    for ref, (stay_ref, ends_on, stored, index, _) in _final_contracts(document, snapshot).items():
        stay = stays.get(stay_ref)
        _check_contract(document, snapshot, ref, stay, caps, ends_on, stored, index, errors)


def _check_contract(document, snapshot, ref, stay, caps, ends_on, stored, index, errors):
    """The amendments' order and the cap of one contract of the final state."""
    if stay is None:
        return
    entered_on, programme, stay_index = stay
    months, programme_index = caps.get(programme, (None, None))
    if index is not None:
        row = document.support_contracts[index]
        path = f"support_contracts[{index}]"
        ends = [(f"{path}.ends_on", ends_on)]
        given = [(j, a) for j, a in enumerate(row["amendments"] or []) if a is not None]
        dates = [(a["signed_on"], a["ends_on"]) for _, a in given]
        for k, message in rules.amendment_errors(ends_on, dates):
            errors.add(f"{path}.amendments[{given[k][0]}].ends_on", message)
        ends += [(f"{path}.amendments[{j}].ends_on", a["ends_on"]) for j, a in given]
        if row["amendments"] is None:
            ends += [(f"{path}.ends_on", end) for _, end in stored]
            for _, message in rules.amendment_errors(ends_on, stored):
                errors.add(f"{path}.ends_on", f"avenant déjà enregistré : {message}")
        for where, end in ends:
            message = rules.cap_error(end, entered_on, months)
            if message:
                errors.add(where, message)
        return
    # A contract only in the database: the file may change its stay's entry or its cap.
    last = max([ends_on, *(end for _, end in stored)], default=None)
    message = rules.cap_error(last, entered_on, months)
    if not message:
        return
    stored_cap = snapshot.programmes.get(programme, {}).get("max_support_months")
    if programme_index is not None and (stay_index is None or months != stored_cap):
        errors.add(
            f"programmes[{programme_index}].max_support_months", f"contrat « {ref} » : {message}"
        )
    elif stay_index is not None:
        errors.add(f"stays[{stay_index}].entered_on", f"contrat « {ref} » : {message}")


# ---------------------------------------------------------------- writing


def programme_cap(row, existing):
    """The cap a programme row writes (the one it has when the row leaves it out)."""
    if row["max_support_months"] is KEEP:
        return existing["max_support_months"] if existing else None
    return row["max_support_months"]


def write(writer, history_class):
    """Write the support lists of `writer.doc` (after the stays), as `_Writer.sync` does."""
    doc, snap, org = writer.doc, writer.snap, writer.org
    if not doc.given & set(LISTS):
        return
    from seuil.housing.models import Stay

    stays = dict(Stay.objects.filter(organisation=org).values_list("ref", "pk"))
    stay_household = dict(
        Stay.objects.filter(organisation=org).values_list("pk", "household__uuid")
    )
    households = writer.households
    uuids = writer.household_uuids

    def stay_history(key, values, uuid):
        return stay_household.get(values["stay_id"])

    def household_history(key, values, uuid):
        return uuids.get(values["household_id"])

    if "support_contracts" in doc.given:
        rows = [row for _, row in doc.rows("support_contracts")]
        writer.sync(
            "support_contracts",
            SupportContract,
            snap.support_contracts,
            {
                row["ref"]: {
                    "organisation_id": org.pk,
                    "ref": row["ref"],
                    "stay_id": stays[row["stay"]],
                    "signed_on": row["signed_on"],
                    "starts_on": row["starts_on"],
                    "ends_on": row["ends_on"],
                }
                for row in rows
            },
            CONTRACT_FIELDS,
            history=history_class(stay_history, {"stay_id": {v: k for k, v in stays.items()}}),
        )
        contracts = dict(SupportContract.objects.filter(organisation=org).values_list("ref", "pk"))
        contract_stay = dict(
            SupportContract.objects.filter(organisation=org).values_list("pk", "stay_id")
        )
        with_list = {contracts[row["ref"]] for row in rows if row["amendments"] is not None}
        amendments = {
            amendment["ref"]: {
                "organisation_id": org.pk,
                "ref": amendment["ref"],
                "contract_id": contracts[row["ref"]],
                "signed_on": amendment["signed_on"],
                "ends_on": amendment["ends_on"],
            }
            for row in rows
            for amendment in row["amendments"] or []
        }
        writer.sync(
            "amendments",
            Amendment,
            snap.amendments,
            amendments,
            AMENDMENT_FIELDS,
            delete_scope={
                ref for ref, row in snap.amendments.items() if row["contract_id"] in with_list
            },
            history=history_class(
                lambda key, values, uuid: stay_household.get(
                    contract_stay.get(values["contract_id"])
                ),
                {"contract_id": {v: k for k, v in contracts.items()}},
            ),
        )
    related = {"household_id": {v: k for k, v in households.items()}}
    if "contacts" in doc.given:
        writer.sync(
            "contacts",
            Contact,
            snap.contacts,
            {
                row["ref"]: {
                    "organisation_id": org.pk,
                    "ref": row["ref"],
                    "household_id": households[row["household"]],
                    "on": row["on"],
                    "kind": row["kind"],
                    "status": ContactStatus.DONE,  # a new contact took place
                }
                for _, row in doc.rows("contacts")
            },
            CONTACT_FIELDS,
            history=history_class(household_history, related),
        )
    if "objectives" in doc.given:
        writer.sync(
            "objectives",
            Objective,
            snap.objectives,
            {
                row["ref"]: {
                    "organisation_id": org.pk,
                    "ref": row["ref"],
                    "household_id": households[row["household"]],
                    "domain": row["domain"],
                    "set_on": row["set_on"],
                    "closed_on": row["closed_on"],
                    "outcome": row["outcome"] or "",
                }
                for _, row in doc.rows("objectives")
            },
            OBJECTIVE_FIELDS,
            history=history_class(household_history, related),
        )


# ---------------------------------------------------------------- export


def export(organisation, exported_stays, stay_refs, household_refs):
    """The support lists of the document as `Rows`, in a stable order (by ref; amendments
    in the order signed): contracts of the exported stays (`exported_stays`, their
    `stay_refs`: pk → ref), contacts that took place and objectives of the organisation's
    households (`household_refs`: pk → ref)."""
    org = organisation.pk

    def amendments(pks):
        return grouped(
            Amendment.objects.filter(organisation=org),
            "contract_id",
            pks,
            ["ref", "signed_on", "ends_on"],
            lambda row: {
                "ref": row["ref"],
                "signed_on": json_date(row["signed_on"]),
                "ends_on": json_date(row["ends_on"]),
            },
            order=lambda row: (row["signed_on"], row["ends_on"], row["ref"]),
        )

    return {
        "support_contracts": by_ref(
            SupportContract.objects.filter(organisation=org, stay__in=exported_stays),
            CONTRACT_FIELDS,
            lambda row, amendments: {
                "ref": row["ref"],
                "stay": stay_refs[row["stay_id"]],
                "signed_on": json_date(row["signed_on"]),
                "starts_on": json_date(row["starts_on"]),
                "ends_on": json_date(row["ends_on"]),
                "amendments": amendments.get(row["pk"], []),
            },
            nested=amendments,
        ),
        "contacts": by_ref(
            Contact.objects.filter(
                organisation=org, household__organisation=org, status=ContactStatus.DONE
            ),
            CONTACT_FIELDS,
            lambda row: {
                "ref": row["ref"],
                "household": household_refs[row["household_id"]],
                "on": json_date(row["on"]),
                "kind": row["kind"],
            },
        ),
        "objectives": by_ref(
            Objective.objects.filter(organisation=org, household__organisation=org),
            OBJECTIVE_FIELDS,
            lambda row: {
                "ref": row["ref"],
                "household": household_refs[row["household_id"]],
                "domain": row["domain"],
                "set_on": json_date(row["set_on"]),
                "closed_on": json_date(row["closed_on"]),
                "outcome": row["outcome"] or None,
            },
        ),
    }
