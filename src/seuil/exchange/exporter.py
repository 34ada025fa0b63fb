"""Export of an organisation's data as a `seuil-exchange/1` document.

`export_organisation(organisation)` builds the document (a plain dict, reusable by the API
and pages) in a stable order — by ref, dated records by date — such that importing it and
exporting again gives the same document. `export_organisation_file` is the CLI action.
"""

import json
import os
import sys
import tempfile
from decimal import Decimal

from django.db import transaction

from seuil.core.models import AccessLog, Organisation
from seuil.core.wording import agreement, plural
from seuil.housing.models import Stay

from . import outcomes, support
from .errors import ExchangeError
from .schema import FORMAT
from .snapshot import Records, Snapshot
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
    snap = Snapshot(organisation)
    records = Records(organisation)
    programme_refs = Snapshot.refs_by_pk(snap.programmes)
    sector_refs = Snapshot.refs_by_pk(snap.sectors)
    landlord_refs = Snapshot.refs_by_pk(snap.landlords)
    unit_refs = Snapshot.refs_by_pk(snap.units)
    household_refs = Snapshot.refs_by_pk(records.households)
    persons = {row["pk"]: row for row in records.persons.values()}
    # A stay of a household whose file another organisation holds (a SIAO's household in
    # one of the operator's units) is that organisation's to export: see `stays_held_elsewhere`.
    stays = {
        ref: row for ref, row in records.stays.items() if row["household_id"] in household_refs
    }
    stay_refs = Snapshot.refs_by_pk(stays)

    legal_status = {}
    for (person_id, since), row in sorted(records.legal_status.items()):
        legal_status.setdefault(person_id, []).append(
            {"since": _date(since), "status": row["status"]}
        )
    resources = {}
    for (household_id, on), row in sorted(records.resources.items()):
        resources.setdefault(household_id, []).append(
            {"on": _date(on), "types": sorted(row["types"])}
        )
    members = {}
    for (household_id, person_id), row in records.memberships.items():
        person = persons[person_id]
        members.setdefault(household_id, []).append(
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
                "legal_status": legal_status.get(person_id, []),
            }
        )

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
        "housing_units": [
            {
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
            for row in _sorted_rows(snap.units)
        ],
        "households": [
            {
                "ref": row["ref"],
                "prior_situation": _text(row["prior_situation"]),
                "resources": resources.get(row["pk"], []),
                "members": sorted(members.get(row["pk"], []), key=lambda m: m["ref"]),
            }
            for row in _sorted_rows(records.households)
        ],
        "stays": [
            {
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
            for row in _sorted_rows(stays)
        ],
        "eviction_procedures": sorted(
            (
                {
                    "stay": stay_refs[stay_id],
                    "started_on": _date(started_on),
                    "ended_on": _date(row["ended_on"]),
                }
                for (stay_id, started_on), row in records.evictions.items()
                if stay_id in stay_refs
            ),
            key=lambda e: (e["stay"], e["started_on"]),
        ),
        **export_lists(organisation, stay_refs, unit_refs),
        **support.export(snap, stay_refs, household_refs),
        "follow_ups": outcomes.export_rows(snap, stay_refs),
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
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value):
    if isinstance(value, Decimal):
        return _number(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def export_organisation_file(ref, output=None, *, stdout=None, stderr=None):
    """Write the organisation `ref`'s document to `output` (`stdout` when None or "-").

    One access-log row (action export, on the organisation) records the export; it holds
    no personal data. A file is written under a temporary name then renamed, readable by
    its owner only (it holds personal data). Returns the document.
    """
    organisation = Organisation.objects.filter(ref=ref).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.order_by("ref").values_list("ref", flat=True))
        raise ExchangeError(
            [f"Organisation « {ref} » inconnue."],
            f"Export impossible. Organisations existantes : {known or 'aucune'}.",
        )
    with transaction.atomic():
        document = export_organisation(organisation)
        AccessLog.objects.create(
            action=AccessLog.Action.EXPORT,
            organisation=organisation,
            object_type="organisation",
            object_uuid=organisation.uuid,
        )
    left_out = stays_held_elsewhere(organisation)
    if left_out and stderr is not None:
        noun = plural(left_out, "séjour d'un ménage,séjours de ménages")
        stderr.write(
            f"{noun} dont le dossier est tenu par une autre organisation (un SIAO, par "
            f"exemple) ne {agreement(left_out, 'figure,figurent')} pas dans l'export : "
            "c'est à cette organisation de les exporter."
        )
    text = dumps(document)
    if output is None or output == "-":
        (stdout or sys.stdout).write(text)
        return document
    _write_atomically(output, text)
    return document


def _write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".seuil-export-")
    except OSError as exc:
        raise ExchangeError(
            [f"Impossible d'écrire dans « {directory} » ({exc.strerror})."], "Export impossible."
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        os.unlink(temporary)
        raise ExchangeError(
            [f"Impossible d'écrire « {path} » ({exc.strerror})."], "Export impossible."
        ) from None
