"""The shape of a `seuil-exchange/1` file, and its structural check.

`parse_document(data)` checks types, required fields, codes, dates (plausible ones:
`seuil.core.plausibility`) and numbers of every row, without the database, and returns
clean rows (Python dates, Decimals, "" for empty text) with the list of (path, message)
errors. Invalid values become None so that the later checks (references, invariants) can
go on with the rest of the file. The rows are described with the fields of
`seuil.core.jsondoc`, which also reads matching instances.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from seuil.core.enums import OrganisationKind
from seuil.core.jsondoc import Amount, Bool, Code, Date, List, ListOf, Reader, Text
from seuil.core.plausibility import check_birth_date, check_event_date
from seuil.households.enums import (
    JoinedReason,
    LegalStatus,
    MemberRole,
    PriorSituation,
    ResourceType,
    Sex,
)
from seuil.housing.enums import (
    ExitDestination,
    LandlordKind,
    ProgrammeKind,
    SupportIntensity,
    Typology,
)

from . import outcomes, support, tenancy

FORMAT = "seuil-exchange/1"
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
COMMUNE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTMENT_RE = re.compile(r"^(\d{2,3}|2[AB])$")


def codes(choices):
    return tuple(choices.values)


def text(max_length=100, *, required=False):
    return Text(max_length=max_length, required=required)


def ref(*, required=False):
    """A reference to a row of the file (None when left out)."""
    return Text(max_length=100, blank="référence vide", required=required, default=None)


def code(choices, *, required=False):
    return Code(codes(choices), required=required)


def commune():
    return Text(
        max_length=100,
        pattern=COMMUNE_RE,
        mismatch="code commune INSEE invalide « {value} » (5 caractères attendus)",
    )


def event(*, required=False):
    """The date of a dated fact: not before 1900, not more than a year after today."""
    return Date(check=check_event_date, required=required)


REF = ref(required=True)
NAME = text(200, required=True)

ORGANISATION = {
    "ref": Text(
        max_length=100,
        blank="référence vide",
        pattern=SLUG_RE,
        mismatch="référence invalide (lettres sans accent, chiffres, « - » et « _ »)",
        required=True,
    ),
    "name": NAME,
    "kind": code(OrganisationKind),
    "department": Text(
        max_length=100, pattern=DEPARTMENT_RE, mismatch="code de département invalide « {value} »"
    ),
}
PROGRAMME = {
    "ref": REF,
    "name": NAME,
    "kind": code(ProgrammeKind),
    "max_support_months": support.MAX_SUPPORT_MONTHS,
}
SECTOR = {
    "ref": REF,
    "name": NAME,
    "communes": ListOf(commune(), wrong="liste de codes communes attendue"),
}
LANDLORD = {"ref": REF, "name": NAME, "kind": code(LandlordKind)}
HOUSING_UNIT = {
    "ref": REF,
    "programme": ref(),
    "typology": code(Typology, required=True),
    "parent": ref(),
    "address": text(300),
    "commune": commune(),
    "sector": ref(),
    "landlord": ref(),
    "rent": Amount(),
    "charges": Amount(),
    "surface_m2": Amount(max_value=Decimal("99999.99")),
    "accessible": Bool(),
    "captured_on": event(required=True),
    "returned_on": event(),
}
LEGAL_STATUS = {
    "since": event(required=True),
    "status": code(LegalStatus, required=True),
}
MEMBER = {
    "ref": REF,
    "role": code(MemberRole, required=True),
    "sex": code(Sex),
    "birth_date": Date(check=check_birth_date),
    "first_name": text(150),
    "last_name": text(150),
    "joined_on": event(),
    "joined_reason": code(JoinedReason),
    "left_on": event(),
    "legal_status": List(),
}
RESOURCES = {
    "on": event(required=True),
    "types": ListOf(
        Code(codes(ResourceType)),
        wrong="liste de codes attendue",
        empty="liste vide (indiquer « none » pour « aucune ressource »)",
        unique="code en double dans la liste",
        sort=True,
        required=True,
    ),
}
HOUSEHOLD = {
    "ref": REF,
    "prior_situation": code(PriorSituation),
    "resources": List(),
    "members": List(),
}
STAY = {
    "ref": REF,
    "household": ref(required=True),
    "unit": ref(required=True),
    "programme": ref(),
    "entered_on": event(required=True),
    "exited_on": event(),
    "exit_destination": code(ExitDestination),
    "lease_transferred": Bool(),
    "support_intensity": code(SupportIntensity),
}
EVICTION = {
    "stay": ref(required=True),
    "started_on": event(required=True),
    "ended_on": event(),
}
TOP_LISTS = {
    "programmes": PROGRAMME,
    "sectors": SECTOR,
    "landlords": LANDLORD,
    "housing_units": HOUSING_UNIT,
    "households": HOUSEHOLD,
    "stays": STAY,
    "eviction_procedures": EVICTION,
    **support.SPECS,
    # Life in the home and after it (EXCHANGE.md §1.1): optional lists, one module per app.
    **outcomes.LISTS,
}
# Optional lists of the life in the home (EXCHANGE.md §1.1), each read by its own module.
EXTRA_LISTS = {name: tenancy.parse_list for name in tenancy.LISTS}
# Lists inside the rows of a top-level list (read after their row).
NESTED = {**support.NESTED}
TOP_KEYS = ("format", "organisation", *TOP_LISTS, *EXTRA_LISTS)


@dataclass
class Document:
    """A structurally checked file. List items that were not objects are None.

    `given` holds the top-level lists present in the file; nested lists left out (members,
    resources, legal_status) are None.
    """

    organisation: dict | None
    given: set = field(default_factory=set)
    programmes: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    landlords: list = field(default_factory=list)
    housing_units: list = field(default_factory=list)
    households: list = field(default_factory=list)
    stays: list = field(default_factory=list)
    eviction_procedures: list = field(default_factory=list)
    sub_leases: list = field(default_factory=list)
    rent_calls: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    repayment_plans: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    support_contracts: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    objectives: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)

    def rows(self, kind):
        """(index, row) of the valid objects of a top-level list."""
        return [(i, row) for i, row in enumerate(getattr(self, kind)) if row is not None]


def _rows(reader, rows, spec, path):
    """Each item of `rows` read as a row of `spec`; None for an item that is no object."""
    return [reader.object(obj, spec, (path, i)) for i, obj in enumerate(rows)]


def _parse_members(reader, members, path):
    """The members (all of them first), then each member's legal statuses."""
    members = _rows(reader, members, MEMBER, path)
    for j, member in enumerate(members):
        if member is not None and member["legal_status"] is not None:
            status_path = ((path, j), "legal_status")
            member["legal_status"] = _rows(
                reader, member["legal_status"], LEGAL_STATUS, status_path
            )
    return members


def _parse_household(reader, obj, path):
    """A household row, then its resources, then its members."""
    row = reader.object(obj, HOUSEHOLD, path)
    if row is None:
        return None
    if row["resources"] is not None:
        row["resources"] = _rows(reader, row["resources"], RESOURCES, (path, "resources"))
    if row["members"] is not None:
        row["members"] = _parse_members(reader, row["members"], (path, "members"))
    return row


def _format_error(data):
    """The error of a document that is no seuil-exchange/1 object, None for one that is."""
    if not isinstance(data, dict):
        return "", "le fichier doit contenir un objet JSON ({…}) au premier niveau"
    found = data.get("format")
    if found != FORMAT:
        shown = f"« {found} »" if isinstance(found, str) else "absent ou invalide"
        return "format", f"format {shown} : « {FORMAT} » attendu"
    return None


def _parse_organisation(reader, data):
    if data.get("organisation") is None:
        return reader.error("organisation", "champ obligatoire")
    return reader.object(data["organisation"], ORGANISATION, "organisation")


def _taken(rows, consume):
    """(index, item) of `rows`; with `consume`, each item leaves the list as it is given,
    so that it is freed once read."""
    for i, obj in enumerate(rows):
        if consume:
            rows[i] = None
        yield i, obj


def _parse_list(reader, document, data, name, consume):
    rows = data.get(name)
    if rows is None:
        return
    document.given.add(name)
    if List().read(rows, name, reader) is None:
        return
    # The programmes' raw rows are read again below (support.mark_programme).
    consume = consume and name != "programmes"
    if name == "households":
        parsed = [_parse_household(reader, obj, (name, i)) for i, obj in _taken(rows, consume)]
    elif name in EXTRA_LISTS:
        parsed = EXTRA_LISTS[name](reader, name, rows)
    else:
        spec = TOP_LISTS[name]
        parsed = [reader.object(obj, spec, (name, i)) for i, obj in _taken(rows, consume)]
        for i, row in enumerate(parsed):
            for nested, spec in NESTED.get(name, {}).items():
                if row is not None and row[nested] is not None:
                    row[nested] = _rows(reader, row[nested], spec, ((name, i), nested))
    if name == "programmes":
        for obj, row in zip(rows, parsed, strict=True):
            support.mark_programme(obj, row)
    setattr(document, name, parsed)


def parse_document(data, *, consume=False):
    """Check the structure of `data` (the decoded JSON); return (Document or None, errors).

    `consume`: the caller has no further use of `data`; each row of its lists is dropped
    from it once read, so that a large file is never held twice (as read and clean).
    """
    reader = Reader(blank_is_absent=True)  # "" is a value left out, like null
    wrong_format = _format_error(data)
    if wrong_format:
        reader.error(*wrong_format)
        return None, reader.errors
    reader.unknown_keys(data, TOP_KEYS, "")
    document = Document(organisation=_parse_organisation(reader, data))
    for name in (*TOP_LISTS, *EXTRA_LISTS):
        _parse_list(reader, document, data, name, consume)
    return document, reader.errors
