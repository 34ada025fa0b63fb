"""Writes of the dwelling's side of the tenancy, each atomic and audited: the parts of an
inspection (rooms, meter readings, keys, signatures), repairs (their status through
`core.transitions`) and the household's home insurance."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import audited_delete, audited_save
from seuil.core.history import snapshot
from seuil.core.refs import new_ref
from seuil.core.transitions import start, transition

from .enums import RepairStatus
from .models import InspectionRoom, Repair

CLOSED = {RepairStatus.DONE, RepairStatus.CANCELLED}


def _before(obj):
    return snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk is not None else None


@transaction.atomic
def save_inspection_part(part, *, by):
    """Save a room, a meter reading or keys of an inspection (new or corrected)."""
    return audited_save(part, _before(part), by=by, household=part.inspection.household)


@transaction.atomic
def delete_inspection_part(part, *, by):
    audited_delete(part, by=by, household=part.inspection.household)


@transaction.atomic
def copy_entry_rooms(inspection, entry, *, by):
    """Start an exit inspection with the rooms of the entry one (their names; state and
    remarks of the entry, to be corrected room by room). Returns how many rooms."""
    if inspection.rooms.exists():
        raise ValidationError("Cet état des lieux a déjà ses pièces.")
    count = 0
    for room in entry.rooms.all():
        copy = InspectionRoom(
            inspection=inspection, name=room.name, state=room.state, remarks=room.remarks
        )
        save_inspection_part(copy, by=by)
        count += 1
    return count


@transaction.atomic
def save_repair(repair, *, by, on=None):
    """Record a new repair (status « Signalée ») or correct one (its status aside)."""
    repair.organisation_id = repair.unit.organisation_id
    repair.ref = repair.ref or new_ref(Repair)
    if repair.pk is None:
        return start(repair, on=on or repair.reported_on, by=by)
    return audited_save(repair, _before(repair), by=by, household=repair.household)


def move_repair(repair, to, *, on, by, appointment_on=None, comment=""):
    """Move a repair to `to` (programmée, faite, annulée): refused in French when its
    table forbids it. Scheduling needs the appointment date."""
    changes = {"closed_on": on if to in CLOSED else None}
    if to == RepairStatus.SCHEDULED:
        if appointment_on is None:
            raise ValidationError("Indiquez la date du rendez-vous.")
        changes["appointment_on"] = appointment_on
    return transition(repair, to, on=on, by=by, changes=changes, comment=comment)


@transaction.atomic
def save_insurance(insurance, *, by):
    """Record or correct the household's home insurance certificate."""
    insurance.organisation_id = insurance.organisation_id or insurance.household.organisation_id
    return audited_save(insurance, _before(insurance), by=by, household=insurance.household)


__all__ = [
    "copy_entry_rooms",
    "delete_inspection_part",
    "move_repair",
    "save_insurance",
    "save_inspection_part",
    "save_repair",
]
