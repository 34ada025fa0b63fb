"""The shape of a `seuil-exchange/1` file, and its structural check.

`parse_document(data)` checks types, required fields, codes, dates and numbers of every
row, without the database, and returns clean rows (Python dates, Decimals, "" for empty
text) with the list of (path, message) errors. Invalid values become None so that the
later checks (references, invariants) can go on with the rest of the file.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from seuil.core.enums import OrganisationKind
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

FORMAT = "seuil-exchange/1"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
COMMUNE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTMENT_RE = re.compile(r"^(\d{2,3}|2[AB])$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Field:
    """One field of a row: its kind (text, slug, ref, code, codes, date, amount, bool,
    commune, department, communes, list) and its constraints."""

    kind: str
    required: bool = False
    max_length: int = 100
    choices: tuple = ()
    max_value: Decimal = Decimal("9999999.99")


def codes(choices):
    return tuple(choices.values)


REF = Field("ref", required=True)
NAME = Field("text", required=True, max_length=200)

ORGANISATION = {
    "ref": Field("slug", required=True),
    "name": NAME,
    "kind": Field("code", choices=codes(OrganisationKind)),
    "department": Field("department"),
}
PROGRAMME = {"ref": REF, "name": NAME, "kind": Field("code", choices=codes(ProgrammeKind))}
SECTOR = {"ref": REF, "name": NAME, "communes": Field("communes")}
LANDLORD = {"ref": REF, "name": NAME, "kind": Field("code", choices=codes(LandlordKind))}
HOUSING_UNIT = {
    "ref": REF,
    "programme": Field("ref"),
    "typology": Field("code", required=True, choices=codes(Typology)),
    "parent": Field("ref"),
    "address": Field("text", max_length=300),
    "commune": Field("commune"),
    "sector": Field("ref"),
    "landlord": Field("ref"),
    "rent": Field("amount"),
    "charges": Field("amount"),
    "surface_m2": Field("amount", max_value=Decimal("99999.99")),
    "accessible": Field("bool"),
    "captured_on": Field("date", required=True),
    "returned_on": Field("date"),
}
LEGAL_STATUS = {
    "since": Field("date", required=True),
    "status": Field("code", required=True, choices=codes(LegalStatus)),
}
MEMBER = {
    "ref": REF,
    "role": Field("code", required=True, choices=codes(MemberRole)),
    "sex": Field("code", choices=codes(Sex)),
    "birth_date": Field("date"),
    "first_name": Field("text", max_length=150),
    "last_name": Field("text", max_length=150),
    "joined_on": Field("date"),
    "joined_reason": Field("code", choices=codes(JoinedReason)),
    "left_on": Field("date"),
    "legal_status": Field("list"),
}
RESOURCES = {
    "on": Field("date", required=True),
    "types": Field("codes", required=True, choices=codes(ResourceType)),
}
HOUSEHOLD = {
    "ref": REF,
    "prior_situation": Field("code", choices=codes(PriorSituation)),
    "resources": Field("list"),
    "members": Field("list"),
}
STAY = {
    "ref": REF,
    "household": Field("ref", required=True),
    "unit": Field("ref", required=True),
    "programme": Field("ref"),
    "entered_on": Field("date", required=True),
    "exited_on": Field("date"),
    "exit_destination": Field("code", choices=codes(ExitDestination)),
    "lease_transferred": Field("bool"),
    "support_intensity": Field("code", choices=codes(SupportIntensity)),
}
EVICTION = {
    "stay": Field("ref", required=True),
    "started_on": Field("date", required=True),
    "ended_on": Field("date"),
}
TOP_LISTS = {
    "programmes": PROGRAMME,
    "sectors": SECTOR,
    "landlords": LANDLORD,
    "housing_units": HOUSING_UNIT,
    "households": HOUSEHOLD,
    "stays": STAY,
    "eviction_procedures": EVICTION,
}
TOP_KEYS = ("format", "organisation", *TOP_LISTS)


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

    def rows(self, kind):
        """(index, row) of the valid objects of a top-level list."""
        return [(i, row) for i, row in enumerate(getattr(self, kind)) if row is not None]


class Errors(list):
    def add(self, path, message):
        self.append((path, message))


def _empty(value):
    return value is None or value == ""


def _parse_date(value, path, errors):
    if not isinstance(value, str) or not DATE_RE.match(value):
        errors.add(path, "date invalide (AAAA-MM-JJ attendu)")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(path, f"date inexistante « {value} »")
        return None


def _parse_amount(value, spec, path, errors):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        errors.add(path, "nombre attendu")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        errors.add(path, "nombre attendu")
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        errors.add(path, "nombre attendu")
        return None
    if not amount.is_finite():
        errors.add(path, "nombre attendu")
        return None
    if amount < 0:
        errors.add(path, "nombre négatif interdit")
        return None
    if amount > spec.max_value:
        errors.add(path, f"nombre trop grand (au plus {spec.max_value})")
        return None
    if amount != amount.quantize(CENT):
        errors.add(path, "deux décimales au plus")
        return None
    return amount


def _parse_text(value, spec, path, errors):
    if not isinstance(value, str):
        errors.add(path, "texte attendu")
        return None
    if len(value) > spec.max_length:
        errors.add(path, f"texte trop long ({len(value)} caractères, {spec.max_length} au plus)")
        return None
    if spec.kind in ("ref", "slug") and not value.strip():
        errors.add(path, "référence vide")
        return None
    if spec.kind == "slug" and not SLUG_RE.match(value):
        errors.add(path, "référence invalide (lettres sans accent, chiffres, « - » et « _ »)")
        return None
    if spec.kind == "commune" and not COMMUNE_RE.match(value):
        errors.add(path, f"code commune INSEE invalide « {value} » (5 caractères attendus)")
        return None
    if spec.kind == "department" and not DEPARTMENT_RE.match(value):
        errors.add(path, f"code de département invalide « {value} »")
        return None
    return value


def _check_code(value, spec, path, errors):
    if not isinstance(value, str):
        errors.add(path, "code attendu (texte)")
        return None
    if value not in spec.choices:
        errors.add(path, f"code inconnu « {value} » (attendu : {', '.join(spec.choices)})")
        return None
    return value


def _parse_value(value, spec, path, errors):
    kind = spec.kind
    if kind == "date":
        return _parse_date(value, path, errors)
    if kind == "amount":
        return _parse_amount(value, spec, path, errors)
    if kind == "bool":
        if not isinstance(value, bool):
            errors.add(path, "booléen attendu (true ou false)")
            return None
        return value
    if kind == "code":
        return _check_code(value, spec, path, errors)
    if kind == "codes":
        if not isinstance(value, list):
            errors.add(path, "liste de codes attendue")
            return None
        if not value:
            errors.add(path, "liste vide (indiquer « none » pour « aucune ressource »)")
            return None
        checked = [_check_code(v, spec, f"{path}[{i}]", errors) for i, v in enumerate(value)]
        if None in checked:
            return None
        if len(set(checked)) != len(checked):
            errors.add(path, "code en double dans la liste")
            return None
        return sorted(checked)
    if kind == "communes":
        if not isinstance(value, list):
            errors.add(path, "liste de codes communes attendue")
            return None
        spec = Field("commune")
        checked = [_parse_text(v, spec, f"{path}[{i}]", errors) for i, v in enumerate(value)]
        return None if None in checked else checked
    if kind == "list":
        if not isinstance(value, list):
            errors.add(path, "liste attendue")
            return None
        return value
    return _parse_text(value, spec, path, errors)


def parse_row(obj, spec, path, errors):
    """A clean dict with every field of `spec`; None when `obj` is not an object."""
    if not isinstance(obj, dict):
        errors.add(path, "objet attendu")
        return None
    for key in obj:
        if key not in spec:
            errors.add(f"{path}.{key}", "champ inconnu")
    row = {}
    for name, spec_field in spec.items():
        value = obj.get(name)
        if _empty(value) or (spec_field.kind == "communes" and value == []):
            if spec_field.required:
                errors.add(f"{path}.{name}", "champ obligatoire")
            row[name] = _default(spec_field)
        else:
            row[name] = _parse_value(value, spec_field, f"{path}.{name}", errors)
    return row


def _default(spec):
    if spec.kind in ("text", "commune", "department", "code"):
        return "" if not spec.required else None
    if spec.kind == "bool":
        return False
    if spec.kind == "communes":
        return []
    return None  # a list left out (None) is "not given": its records are left alone


def _parse_list(rows, spec, path, errors):
    return [parse_row(obj, spec, f"{path}[{i}]", errors) for i, obj in enumerate(rows)]


def _parse_household(obj, path, errors):
    row = parse_row(obj, HOUSEHOLD, path, errors)
    if row is None:
        return None
    if row["resources"] is not None:
        row["resources"] = _parse_list(row["resources"], RESOURCES, f"{path}.resources", errors)
    if row["members"] is not None:
        row["members"] = _parse_list(row["members"], MEMBER, f"{path}.members", errors)
        for j, member in enumerate(row["members"]):
            if member is not None and member["legal_status"] is not None:
                member["legal_status"] = _parse_list(
                    member["legal_status"],
                    LEGAL_STATUS,
                    f"{path}.members[{j}].legal_status",
                    errors,
                )
    return row


def parse_document(data):
    """Check the structure of `data` (the decoded JSON); return (Document or None, errors)."""
    errors = Errors()
    if not isinstance(data, dict):
        errors.add("", "le fichier doit contenir un objet JSON ({…}) au premier niveau")
        return None, errors
    if data.get("format") != FORMAT:
        found = data.get("format")
        shown = f"« {found} »" if isinstance(found, str) else "absent ou invalide"
        errors.add("format", f"format {shown} : « {FORMAT} » attendu")
        return None, errors
    for key in data:
        if key not in TOP_KEYS:
            errors.add(key, "champ inconnu")
    if data.get("organisation") is None:
        errors.add("organisation", "champ obligatoire")
        organisation = None
    else:
        organisation = parse_row(data["organisation"], ORGANISATION, "organisation", errors)
    document = Document(organisation=organisation)
    for name, spec in TOP_LISTS.items():
        rows = data.get(name)
        if rows is not None:
            document.given.add(name)
        if rows is not None and not isinstance(rows, list):
            errors.add(name, "liste attendue")
            continue
        if name == "households":
            parsed = [
                _parse_household(obj, f"households[{i}]", errors)
                for i, obj in enumerate(rows or [])
            ]
        else:
            parsed = _parse_list(rows or [], spec, name, errors)
        setattr(document, name, parsed)
    return document, errors
