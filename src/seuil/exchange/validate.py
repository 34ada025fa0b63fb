"""Checks of a parsed file against itself and the database: duplicates, references and
the invariants of the final state (the organisation's rows merged with the file's).

Everything runs in memory on a `Snapshot` (a few bulk queries); each error carries the
path of the file row to correct.
"""

from dataclasses import dataclass
from datetime import date

from seuil.core.jsondoc import Errors
from seuil.housing import invariants

from . import outcomes, support, tenancy

KIND_LABELS = {
    "programmes": "dispositif",
    "sectors": "secteur",
    "landlords": "bailleur",
    "housing_units": "logement",
    "households": "ménage",
    "stays": "séjour",
}


@dataclass
class UnitState:
    parent: str | None
    captured_on: date | None
    returned_on: date | None
    index: int | None  # position in the file, None for a row only in the database


@dataclass
class StayState:
    household: str | None
    unit: str | None
    entered_on: date | None
    exited_on: date | None
    index: int | None


def check_duplicates(document, errors):
    for kind in KIND_LABELS:
        seen = {}
        for i, row in document.rows(kind):
            ref = row["ref"]
            if ref is None:
                continue
            if ref in seen:
                errors.add(
                    f"{kind}[{i}].ref",
                    f"référence « {ref} » en double (déjà en {kind}[{seen[ref]}])",
                )
            else:
                seen[ref] = i
    _check_record_duplicates(document, errors)
    seen = {}
    for i, row in document.rows("eviction_procedures"):
        key = (row["stay"], row["started_on"])
        if None in key:
            continue
        if key in seen:
            errors.add(
                f"eviction_procedures[{i}].started_on",
                f"procédure déjà déclarée à cette date pour ce séjour "
                f"(eviction_procedures[{seen[key]}])",
            )
        else:
            seen[key] = i


def _dated_duplicates(records, date_field, path, errors):
    seen = {}
    for k, record in enumerate(records):
        if record is None or record[date_field] is None:
            continue
        day = record[date_field]
        if day in seen:
            errors.add(
                f"{path}[{k}].{date_field}",
                f"date en double (déjà en {path}[{seen[day]}])",
            )
        else:
            seen[day] = k


def _person_facts(member):
    facts = {
        "first_name": member["first_name"],
        "last_name": member["last_name"],
        "sex": member["sex"],
        "birth_date": member["birth_date"],
    }
    if member["legal_status"] is not None:  # left out: not compared
        status = [(r["since"], r["status"]) for r in member["legal_status"] if r is not None]
        facts["legal_status"] = sorted(status, key=lambda s: (s[0] or date.min, s[1] or ""))
    return facts


def _check_record_duplicates(document, errors):
    """Resources, members, legal status; and one person described alike everywhere."""
    persons = {}
    for i, household in document.rows("households"):
        path = f"households[{i}]"
        _dated_duplicates(household["resources"] or [], "on", f"{path}.resources", errors)
        in_household = {}
        for j, member in enumerate(household["members"] or []):
            if member is None:
                continue
            member_path = f"{path}.members[{j}]"
            _dated_duplicates(
                member["legal_status"] or [], "since", f"{member_path}.legal_status", errors
            )
            ref = member["ref"]
            if ref is None:
                continue
            if ref in in_household:
                errors.add(
                    f"{member_path}.ref",
                    f"personne « {ref} » déjà membre de ce ménage "
                    f"({path}.members[{in_household[ref]}])",
                )
                continue
            in_household[ref] = j
            facts = _person_facts(member)
            if ref not in persons:
                persons[ref] = (member_path, facts)
                continue
            first_path, first_facts = persons[ref]
            for name, value in facts.items():
                if name in first_facts and value != first_facts[name]:
                    errors.add(
                        f"{member_path}.{name}",
                        f"la personne « {ref} » figure aussi en {first_path} avec une autre valeur",
                    )


def _final_units(document, snapshot):
    unit_refs = snapshot.refs_by_pk(snapshot.units)
    units = {
        ref: UnitState(
            unit_refs.get(row["parent_id"]), row["captured_on"], row["returned_on"], None
        )
        for ref, row in snapshot.units.items()
    }
    for i, row in document.rows("housing_units"):
        if row["ref"] is not None:
            units[row["ref"]] = UnitState(row["parent"], row["captured_on"], row["returned_on"], i)
    return units


def _final_stays(document, snapshot):
    household_refs = {pk: ref for ref, pk in snapshot.households.items()}
    unit_refs = snapshot.refs_by_pk(snapshot.units)
    stays = {
        ref: StayState(
            household_refs.get(row["household_id"]),
            unit_refs.get(row["unit_id"]),
            row["entered_on"],
            row["exited_on"],
            None,
        )
        for ref, row in snapshot.stays.items()
    }
    for i, row in document.rows("stays"):
        if row["ref"] is not None:
            stays[row["ref"]] = StayState(
                row["household"], row["unit"], row["entered_on"], row["exited_on"], i
            )
    return stays


def _check_reference(row, name, known, label, path, errors):
    ref = row[name]
    if ref is not None and ref not in known:
        errors.add(f"{path}.{name}", f"{label} « {ref} » inconnu (ni dans le fichier ni en base)")


def _known(document, snapshot, kind):
    return {row["ref"] for _, row in document.rows(kind)} | set(getattr(snapshot, kind))


def check_units(document, snapshot, units, errors):
    programmes = _known(document, snapshot, "programmes")
    sectors = _known(document, snapshot, "sectors")
    landlords = _known(document, snapshot, "landlords")
    for i, row in document.rows("housing_units"):
        path = f"housing_units[{i}]"
        _check_reference(row, "programme", programmes, "dispositif", path, errors)
        _check_reference(row, "sector", sectors, "secteur", path, errors)
        _check_reference(row, "landlord", landlords, "bailleur", path, errors)
        _check_reference(row, "parent", units, "logement", path, errors)
        if row["parent"] is not None and row["parent"] == row["ref"]:
            errors.add(f"{path}.parent", "un logement ne peut être sa propre chambre")
        captured_on, returned_on = row["captured_on"], row["returned_on"]
        if captured_on and returned_on and returned_on < captured_on:
            errors.add(f"{path}.returned_on", "la date de restitution précède la date de captation")
    # A room's parent must be a whole dwelling, not itself a room of another dwelling.
    for ref, unit in units.items():
        parent = units.get(unit.parent)
        if parent is None or parent.parent is None or unit.parent == ref:
            continue
        if unit.index is not None:
            errors.add(
                f"housing_units[{unit.index}].parent",
                f"le logement « {unit.parent} » est lui-même une chambre de « {parent.parent} » : "
                "une chambre ne peut avoir de chambres",
            )
        elif parent.index is not None:
            errors.add(
                f"housing_units[{parent.index}].parent",
                f"ce logement a des chambres (dont « {ref} ») : il ne peut être une chambre",
            )


def check_households(document, errors):
    for i, household in document.rows("households"):
        for j, member in enumerate(household["members"] or []):
            if member is None:
                continue
            for message in invariants.membership_dates_errors(
                member["joined_on"], member["left_on"]
            ):
                errors.add(f"households[{i}].members[{j}].left_on", message)


def check_stays(document, snapshot, units, stays, errors):
    households = _known(document, snapshot, "households")
    programmes = _known(document, snapshot, "programmes")
    for i, row in document.rows("stays"):
        path = f"stays[{i}]"
        _check_reference(row, "household", households, "ménage", path, errors)
        _check_reference(row, "unit", units, "logement", path, errors)
        _check_reference(row, "programme", programmes, "dispositif", path, errors)
        if row["entered_on"] and row["exited_on"]:
            for message in invariants.stay_dates_errors(row["entered_on"], row["exited_on"]):
                errors.add(f"{path}.exited_on", message)
    dated = {
        ref: stay
        for ref, stay in stays.items()
        if stay.entered_on is not None
        and not invariants.stay_dates_errors(stay.entered_on, stay.exited_on)
    }
    _check_stock(dated, units, errors)
    _check_rooms(dated, units, errors)
    _check_overlaps(dated, "unit", errors)
    _check_overlaps(dated, "household", errors)


def _check_stock(stays, units, errors):
    for ref, stay in stays.items():
        unit = units.get(stay.unit)
        if unit is None or unit.captured_on is None or (stay.index is None and unit.index is None):
            continue
        checks = (
            ("entered_on", "captured_on", (unit.captured_on, None)),
            ("exited_on", "returned_on", (date.min, unit.returned_on)),
        )
        for stay_field, unit_field, (captured_on, returned_on) in checks:
            for message in invariants.stay_stock_errors(
                stay.entered_on, stay.exited_on, captured_on, returned_on
            ):
                if stay.index is not None:
                    errors.add(f"stays[{stay.index}].{stay_field}", message)
                else:
                    errors.add(
                        f"housing_units[{unit.index}].{unit_field}", f"séjour « {ref} » : {message}"
                    )


def _check_rooms(stays, units, errors):
    """No stay in a dwelling that is split into rooms."""
    rooms_of = {}
    for ref, unit in units.items():
        if unit.parent is not None and unit.parent in units:
            rooms_of.setdefault(unit.parent, []).append(ref)
    for ref, stay in stays.items():
        rooms = rooms_of.get(stay.unit)
        if not rooms:
            continue
        if stay.index is not None:
            errors.add(
                f"stays[{stay.index}].unit",
                f"le logement « {stay.unit} » est partagé en chambres "
                f"({', '.join(sorted(rooms))}) : on entre dans une chambre, "
                "pas dans le logement entier",
            )
            continue
        for room in sorted(rooms):
            if units[room].index is not None:
                errors.add(
                    f"housing_units[{units[room].index}].parent",
                    f"le logement « {stay.unit} » est occupé en entier (séjour « {ref} ») : "
                    "il ne peut être partagé en chambres",
                )


def _check_overlaps(stays, key, errors):
    items = [
        (getattr(stay, key), stay.entered_on, stay.exited_on, ref)
        for ref, stay in stays.items()
        if getattr(stay, key) is not None
    ]
    for first, second in invariants.find_overlaps(items):
        a, b = stays[first], stays[second]
        if b.index is not None:
            index, other = b.index, first
        elif a.index is not None:
            index, other = a.index, second
        else:
            continue  # both only in the database: not this file's doing
        if key == "unit":
            message = (
                f"le logement « {a.unit} » est déjà occupé sur cette période (séjour « {other} »)"
            )
        else:
            message = (
                f"le ménage « {a.household} » est déjà logé sur cette période (séjour « {other} »)"
            )
        errors.add(f"stays[{index}].{key}", message)


def check_evictions(document, stays, errors):
    for i, row in document.rows("eviction_procedures"):
        path = f"eviction_procedures[{i}]"
        _check_reference(row, "stay", stays, "séjour", path, errors)
        started_on, ended_on = row["started_on"], row["ended_on"]
        if started_on and ended_on and ended_on < started_on:
            errors.add(f"{path}.ended_on", "la fin de la procédure précède son début")


def check_final_state(document, snapshot):
    """Every error of the file against itself and the database, as (path, message)."""
    errors = Errors()
    check_duplicates(document, errors)
    units = _final_units(document, snapshot)
    stays = _final_stays(document, snapshot)
    check_units(document, snapshot, units, errors)
    check_households(document, errors)
    check_stays(document, snapshot, units, stays, errors)
    check_evictions(document, stays, errors)
    tenancy.check(document, snapshot, stays, units, errors)
    support.check(document, snapshot, errors)
    outcomes.check(document, snapshot, stays, errors)
    return errors
