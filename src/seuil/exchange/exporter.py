"""Export of an organisation's data as a `seuil-exchange/1` document.

`organisation_document(organisation)` is the document in a stable order — by ref, dated
records by date — such that importing it and exporting again gives the same document; its
lists are read a batch at a time as they are written (`json_pieces`, the workbook), so that
an export's memory does not grow with the organisation (`batches`).
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
from seuil.housing.models import (
    EvictionProcedure,
    HousingUnit,
    Landlord,
    Programme,
    Sector,
    Stay,
)

from . import outcomes, support, tenancy
from .batches import (
    Rows,
    by_parent,
    by_ref,
    grouped,
    json_date,
    json_number,
    json_text,
    refs_of,
)
from .errors import ExchangeError
from .schema import FORMAT
from .snapshot import (
    EVICTION_FIELDS,
    HOUSEHOLD_FIELDS,
    LANDLORD_FIELDS,
    LEGAL_STATUS_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    PROGRAMME_FIELDS,
    RESOURCE_FIELDS,
    SECTOR_FIELDS,
    STAY_FIELDS,
    UNIT_FIELDS,
)


def export_organisation(organisation):
    """The organisation's whole data as a seuil-exchange/1 dict (JSON-ready values)."""
    return {
        key: list(value) if isinstance(value, Rows) else value
        for key, value in organisation_document(organisation).items()
    }


def organisation_document(organisation):
    """The organisation's seuil-exchange/1 document, every list a `Rows`: writing it
    (`json_pieces`, the workbook) holds a batch of rows at a time, beside the maps of the
    refs that other rows name. Meant to be walked inside one transaction
    (`one_snapshot`)."""
    org = organisation.pk
    programmes = Programme.objects.filter(organisation=org)
    sectors = Sector.objects.filter(organisation=org)
    landlords = Landlord.objects.filter(organisation=org)
    units = HousingUnit.objects.filter(organisation=org)
    households = Household.objects.filter(organisation=org)
    # A stay of a household whose file another organisation holds (a SIAO's household in
    # one of the operator's units) is that organisation's to export: see `stays_held_elsewhere`.
    stays = Stay.objects.filter(organisation=org, household__organisation=org)
    programme_refs, sector_refs, landlord_refs = (
        refs_of(programmes),
        refs_of(sectors),
        refs_of(landlords),
    )
    unit_refs, household_refs, stay_refs = refs_of(units), refs_of(households), refs_of(stays)

    def unit(row):
        return {
            "ref": row["ref"],
            "programme": programme_refs.get(row["programme_id"]),
            "typology": row["typology"],
            "parent": unit_refs.get(row["parent_id"]),
            "address": json_text(row["address"]),
            "commune": json_text(row["commune"]),
            "sector": sector_refs.get(row["sector_id"]),
            "landlord": landlord_refs.get(row["landlord_id"]),
            "rent": json_number(row["rent"]),
            "charges": json_number(row["charges"]),
            "surface_m2": json_number(row["surface_m2"]),
            "accessible": row["accessible"],
            "captured_on": json_date(row["captured_on"]),
            "returned_on": json_date(row["returned_on"]),
        }

    def stay(row):
        return {
            "ref": row["ref"],
            "household": household_refs[row["household_id"]],
            "unit": unit_refs[row["unit_id"]],
            "programme": programme_refs.get(row["programme_id"]),
            "entered_on": json_date(row["entered_on"]),
            "exited_on": json_date(row["exited_on"]),
            "exit_destination": json_text(row["exit_destination"]),
            "lease_transferred": row["lease_transferred"],
            "support_intensity": row["support_intensity"],
        }

    return {
        "format": FORMAT,
        "organisation": {
            "ref": organisation.ref,
            "name": organisation.name,
            "kind": json_text(organisation.kind),
            "department": json_text(organisation.department),
        },
        "programmes": by_ref(
            programmes,
            PROGRAMME_FIELDS,
            lambda row: {
                "ref": row["ref"],
                "name": row["name"],
                "kind": json_text(row["kind"]),
                "max_support_months": row["max_support_months"],
            },
            refs=programme_refs,
        ),
        "sectors": by_ref(
            sectors,
            SECTOR_FIELDS,
            lambda row: {
                "ref": row["ref"],
                "name": row["name"],
                "communes": list(row["communes"] or []),
            },
            refs=sector_refs,
        ),
        "landlords": by_ref(
            landlords,
            LANDLORD_FIELDS,
            lambda row: {"ref": row["ref"], "name": row["name"], "kind": json_text(row["kind"])},
            refs=landlord_refs,
        ),
        "housing_units": by_ref(units, ["parent_id", *UNIT_FIELDS], unit, refs=unit_refs),
        "households": by_ref(
            households, HOUSEHOLD_FIELDS, _household, refs=household_refs, nested=_household_parts
        ),
        "stays": by_ref(stays, STAY_FIELDS, stay, refs=stay_refs),
        "eviction_procedures": by_parent(
            stay_refs,
            EvictionProcedure.objects.filter(stay__in=stays),
            "stay_id",
            ["started_on", *EVICTION_FIELDS],
            lambda row: {
                "stay": stay_refs[row["stay_id"]],
                "started_on": json_date(row["started_on"]),
                "ended_on": json_date(row["ended_on"]),
            },
            order=lambda row: row["started_on"],
        ),
        **tenancy.export_lists(organisation, stays, stay_refs, unit_refs),
        **support.export(organisation, stays, stay_refs, household_refs),
        "follow_ups": outcomes.export_rows(organisation, stays, stay_refs),
    }


def _household(row, parts):
    members, resources = parts
    return {
        "ref": row["ref"],
        "prior_situation": json_text(row["prior_situation"]),
        "resources": resources.get(row["pk"], []),
        "members": sorted(members.get(row["pk"], []), key=lambda m: m["ref"]),
    }


def _household_parts(pks):
    """The members of the households `pks` with their legal statuses, and the households'
    resources: ({household pk: [member]}, {household pk: [resources]}), in four queries."""
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
    legal_status = grouped(
        LegalStatusRecord.objects.all(),
        "person_id",
        person_ids,
        ["since", *LEGAL_STATUS_FIELDS],
        lambda row: {"since": json_date(row["since"]), "status": row["status"]},
        order=lambda row: row["since"],
    )
    resources = grouped(
        ResourceRecord.objects.all(),
        "household_id",
        pks,
        ["on", *RESOURCE_FIELDS],
        lambda row: {"on": json_date(row["on"]), "types": sorted(row["types"])},
        order=lambda row: row["on"],
    )
    members = {}
    for row in memberships:
        person = persons[row["person_id"]]
        members.setdefault(row["household_id"], []).append(
            {
                "ref": person["ref"],
                "role": row["role"],
                "sex": json_text(person["sex"]),
                "birth_date": json_date(person["birth_date"]),
                "first_name": json_text(person["first_name"]),
                "last_name": json_text(person["last_name"]),
                "joined_on": json_date(row["joined_on"]),
                "joined_reason": json_text(row["joined_reason"]),
                "left_on": json_date(row["left_on"]),
                "legal_status": legal_status.get(row["person_id"], []),
            }
        )
    return members, resources


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
        return json_number(value)
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
