"""Export of an organisation's data as a `seuil-exchange/1` document.

`organisation_document(organisation)` is the document in a stable order — by ref, dated
records by date — such that importing it and exporting again gives the same document; its
long lists are read a batch at a time as they are written (`json_pieces`, the workbook),
so that an export's memory does not grow with the organisation's households.
`export_organisation` is the same document as a plain dict. `export_organisation_file` is
the CLI action.
"""

import json
import os
import sys
import tempfile
from decimal import Decimal

from seuil.core.concurrency import one_snapshot
from seuil.core.models import AccessLog, Organisation
from seuil.core.wording import agreement, plural
from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.models import EvictionProcedure, HousingUnit, Stay

from . import outcomes, support
from .errors import ExchangeError
from .schema import FORMAT
from .snapshot import (
    BATCH_SIZE,
    EVICTION_FIELDS,
    HOUSEHOLD_FIELDS,
    LEGAL_STATUS_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    RESOURCE_FIELDS,
    STAY_FIELDS,
    UNIT_FIELDS,
    Snapshot,
)
from .tenancy import export_lists


def _number(value):
    """A Decimal as a JSON number: 62.00 → 62, 420.50 → 420.5, None → None."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _date(value):
    return value.isoformat() if value is not None else None


def _text(value):
    return value or None


def _sorted_rows(rows):
    return [rows[ref] for ref in sorted(rows)]


def export_organisation(organisation):
    """The organisation's whole data as a seuil-exchange/1 dict (JSON-ready values)."""
    return {
        key: list(value) if isinstance(value, Rows) else value
        for key, value in organisation_document(organisation).items()
    }


class Rows:
    """A long list of the document, read from the database a batch at a time each time
    it is walked (`produce()` gives a new iterator)."""

    def __init__(self, produce):
        self._produce = produce

    def __iter__(self):
        return self._produce()


def organisation_document(organisation):
    """The organisation's seuil-exchange/1 document, its units, households, stays and
    eviction procedures as `Rows`: writing it (`json_pieces`, the workbook) holds
    `BATCH_SIZE` of them at a time, not the whole organisation, beside the map of their
    refs. The other lists (tenancy, support, follow-ups) are read whole. Meant to be
    walked inside one transaction (`one_snapshot`)."""
    org = organisation.pk
    snap = Snapshot(organisation)
    programme_refs = Snapshot.refs_by_pk(snap.programmes)
    sector_refs = Snapshot.refs_by_pk(snap.sectors)
    landlord_refs = Snapshot.refs_by_pk(snap.landlords)
    unit_refs = dict(
        HousingUnit.objects.filter(organisation=org).values_list("pk", "ref").iterator()
    )
    household_refs = dict(
        Household.objects.filter(organisation=org).values_list("pk", "ref").iterator()
    )
    # A stay of a household whose file another organisation holds (a SIAO's household in
    # one of the operator's units) is that organisation's to export: see `stays_held_elsewhere`.
    stay_refs = dict(
        Stay.objects.filter(organisation=org, household__organisation=org)
        .values_list("pk", "ref")
        .iterator()
    )

    def units():
        for chunk in _chunks_by_ref(unit_refs):
            rows = HousingUnit.objects.filter(pk__in=chunk).values(
                "pk", "ref", "parent_id", *UNIT_FIELDS
            )
            for row in _in_order(rows, chunk):
                yield {
                    "ref": row["ref"],
                    "programme": programme_refs.get(row["programme_id"]),
                    "typology": row["typology"],
                    "parent": unit_refs.get(row["parent_id"]),
                    "address": _text(row["address"]),
                    "commune": _text(row["commune"]),
                    "sector": sector_refs.get(row["sector_id"]),
                    "landlord": landlord_refs.get(row["landlord_id"]),
                    "rent": _number(row["rent"]),
                    "charges": _number(row["charges"]),
                    "surface_m2": _number(row["surface_m2"]),
                    "accessible": row["accessible"],
                    "captured_on": _date(row["captured_on"]),
                    "returned_on": _date(row["returned_on"]),
                }

    def households():
        for chunk in _chunks_by_ref(household_refs):
            yield from _households(chunk)

    def stays():
        for chunk in _chunks_by_ref(stay_refs):
            rows = Stay.objects.filter(pk__in=chunk).values("pk", "ref", *STAY_FIELDS)
            for row in _in_order(rows, chunk):
                yield {
                    "ref": row["ref"],
                    "household": household_refs[row["household_id"]],
                    "unit": unit_refs[row["unit_id"]],
                    "programme": programme_refs.get(row["programme_id"]),
                    "entered_on": _date(row["entered_on"]),
                    "exited_on": _date(row["exited_on"]),
                    "exit_destination": _text(row["exit_destination"]),
                    "lease_transferred": row["lease_transferred"],
                    "support_intensity": row["support_intensity"],
                }

    def evictions():
        for chunk in _chunks_by_ref(stay_refs):
            rows = EvictionProcedure.objects.filter(stay_id__in=chunk).values(
                "stay_id", "started_on", *EVICTION_FIELDS
            )
            for row in sorted(rows, key=lambda r: (stay_refs[r["stay_id"]], r["started_on"])):
                yield {
                    "stay": stay_refs[row["stay_id"]],
                    "started_on": _date(row["started_on"]),
                    "ended_on": _date(row["ended_on"]),
                }

    return {
        "format": FORMAT,
        "organisation": {
            "ref": organisation.ref,
            "name": organisation.name,
            "kind": _text(organisation.kind),
            "department": _text(organisation.department),
        },
        "programmes": [
            {
                "ref": row["ref"],
                "name": row["name"],
                "kind": _text(row["kind"]),
                "max_support_months": row["max_support_months"],
            }
            for row in _sorted_rows(snap.programmes)
        ],
        "sectors": [
            {"ref": row["ref"], "name": row["name"], "communes": list(row["communes"] or [])}
            for row in _sorted_rows(snap.sectors)
        ],
        "landlords": [
            {"ref": row["ref"], "name": row["name"], "kind": _text(row["kind"])}
            for row in _sorted_rows(snap.landlords)
        ],
        "housing_units": Rows(units),
        "households": Rows(households),
        "stays": Rows(stays),
        "eviction_procedures": Rows(evictions),
        **export_lists(organisation, stay_refs, unit_refs),
        **support.export(snap, stay_refs, household_refs),
        "follow_ups": outcomes.export_rows(snap, stay_refs),
    }


def _chunks_by_ref(refs):
    """The pks of `refs` (pk → ref) in the order of their refs, `BATCH_SIZE` at a time."""
    ordered = sorted(refs, key=refs.__getitem__)
    for start in range(0, len(ordered), BATCH_SIZE):
        yield ordered[start : start + BATCH_SIZE]


def _in_order(rows, pks):
    """`rows` (dicts with a pk) in the order of `pks` (a row gone meanwhile left out)."""
    by_pk = {row["pk"]: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _households(pks):
    """The document's households of `pks` (in that order), with their members, the
    members' legal statuses and the households' resources: four queries."""
    households = Household.objects.filter(pk__in=pks).values("pk", "ref", *HOUSEHOLD_FIELDS)
    memberships = list(
        Membership.objects.filter(household_id__in=pks).values(
            "household_id", "person_id", *MEMBERSHIP_FIELDS
        )
    )
    person_ids = {row["person_id"] for row in memberships}
    persons = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in=person_ids).values("pk", "ref", *PERSON_FIELDS)
    }
    legal_status = {}
    rows = LegalStatusRecord.objects.filter(person_id__in=person_ids).order_by("since")
    for row in rows.values("person_id", "since", *LEGAL_STATUS_FIELDS):
        legal_status.setdefault(row["person_id"], []).append(
            {"since": _date(row["since"]), "status": row["status"]}
        )
    resources = {}
    rows = ResourceRecord.objects.filter(household_id__in=pks).order_by("on")
    for row in rows.values("household_id", "on", *RESOURCE_FIELDS):
        resources.setdefault(row["household_id"], []).append(
            {"on": _date(row["on"]), "types": sorted(row["types"])}
        )
    members = {}
    for row in memberships:
        person = persons[row["person_id"]]
        members.setdefault(row["household_id"], []).append(
            {
                "ref": person["ref"],
                "role": row["role"],
                "sex": _text(person["sex"]),
                "birth_date": _date(person["birth_date"]),
                "first_name": _text(person["first_name"]),
                "last_name": _text(person["last_name"]),
                "joined_on": _date(row["joined_on"]),
                "joined_reason": _text(row["joined_reason"]),
                "left_on": _date(row["left_on"]),
                "legal_status": legal_status.get(row["person_id"], []),
            }
        )
    for row in _in_order(households, pks):
        yield {
            "ref": row["ref"],
            "prior_situation": _text(row["prior_situation"]),
            "resources": resources.get(row["pk"], []),
            "members": sorted(members.get(row["pk"], []), key=lambda m: m["ref"]),
        }


def stays_held_elsewhere(organisation):
    """How many of the organisation's stays `export_organisation` leaves out: those of
    households whose file another organisation holds (their members are not its to give)."""
    return (
        Stay.objects.filter(organisation=organisation)
        .exclude(household__organisation=organisation)
        .count()
    )


def dumps(document):
    """The JSON text of a document (UTF-8 names kept readable, one field per line)."""
    return "".join(json_pieces(document))


def json_pieces(document):
    """The JSON text of `document` piece by piece, its `Rows` an item at a time: the
    text of `json.dumps(…, indent=2)` of the same document, then a newline."""
    yield "{"
    for i, (key, value) in enumerate(document.items()):
        yield f"{',' if i else ''}\n  {_json(key)}: "
        if not isinstance(value, Rows):
            yield _json(value, level=1)
            continue
        empty = True
        for item in value:
            yield f"{'[' if empty else ','}\n    {_json(item, level=2)}"
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}\n"


def _json(value, *, level=0):
    """`value` in JSON, indented as it stands at nesting `level` of the document."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)
    return text.replace("\n", "\n" + "  " * level) if level else text


def _json_default(value):
    if isinstance(value, Decimal):
        return _number(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def export_organisation_file(ref, output=None, *, stdout=None, stderr=None):
    """Write the organisation `ref`'s document to `output` (`stdout` when None or "-").

    One access-log row (action export, on the organisation) records the export; it holds
    no personal data. The document is written as it is read, a batch of households or
    stays at a time, all in one snapshot of the database (`one_snapshot`). A file is
    written under a temporary name then renamed, readable by its owner only (it holds
    personal data).
    """
    organisation = Organisation.objects.filter(ref=ref).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.order_by("ref").values_list("ref", flat=True))
        raise ExchangeError(
            [f"Organisation « {ref} » inconnue."],
            f"Export impossible. Organisations existantes : {known or 'aucune'}.",
        )
    with one_snapshot():
        AccessLog.objects.create(
            action=AccessLog.Action.EXPORT,
            organisation=organisation,
            object_type="organisation",
            object_uuid=organisation.uuid,
        )
        pieces = json_pieces(organisation_document(organisation))
        if output is None or output == "-":
            (stdout or sys.stdout).writelines(pieces)
        else:
            _write_atomically(output, pieces)
    left_out = stays_held_elsewhere(organisation)
    if left_out and stderr is not None:
        noun = plural(left_out, "séjour d'un ménage,séjours de ménages")
        stderr.write(
            f"{noun} dont le dossier est tenu par une autre organisation (un SIAO, par "
            f"exemple) ne {agreement(left_out, 'figure,figurent')} pas dans l'export : "
            "c'est à cette organisation de les exporter."
        )


def _write_atomically(path, pieces):
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".seuil-export-")
    except OSError as exc:
        raise ExchangeError(
            [f"Impossible d'écrire dans « {directory} » ({exc.strerror})."], "Export impossible."
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.writelines(pieces)
        os.replace(temporary, path)
    except OSError as exc:
        raise ExchangeError(
            [f"Impossible d'écrire « {path} » ({exc.strerror})."], "Export impossible."
        ) from None
    finally:
        if os.path.exists(temporary):  # an error while reading or writing: nothing is left
            os.unlink(temporary)
