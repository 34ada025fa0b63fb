"""The exit inspection compared with the entry one, room by room (plain rules).

Rooms are matched by name (case, accents of spacing aside: « Séjour » and « séjour  » are
one room). A room is **degraded** when its state at exit is worse than at entry on the
scale `RoomState` (new, good, fair, poor); a room seen at entry and missing at exit is
listed as not inspected, a room new at exit has no state to compare with.
"""

from dataclasses import dataclass

from .enums import ROOM_STATE_RANK, InspectionKind, RoomState


def room_key(name):
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class RoomComparison:
    name: str
    entry: object  # InspectionRoom or None
    exit: object  # InspectionRoom or None

    @property
    def degraded(self):
        if self.entry is None or self.exit is None:
            return False
        return ROOM_STATE_RANK[self.exit.state] > ROOM_STATE_RANK[self.entry.state]

    @property
    def verdict(self):
        if self.entry is None:
            return "Pièce absente de l'état des lieux d'entrée"
        if self.exit is None:
            return "Pièce non vue à la sortie"
        if self.degraded:
            return (
                f"Dégradée : {RoomState(self.entry.state).label.lower()} à l'entrée, "
                f"{RoomState(self.exit.state).label.lower()} à la sortie"
            )
        return "Pas de dégradation"


@dataclass(frozen=True)
class MeterComparison:
    label: str
    entry: object  # MeterReading or None
    exit: object

    @property
    def consumed(self):
        if self.entry is None or self.exit is None:
            return None
        return self.exit.index - self.entry.index


def compare_rooms(entry_rooms, exit_rooms):
    """The rooms of the entry in their order, then those seen only at exit."""
    exits = {room_key(room.name): room for room in exit_rooms}
    rows = []
    for room in entry_rooms:
        rows.append(RoomComparison(room.name, room, exits.pop(room_key(room.name), None)))
    rows.extend(RoomComparison(room.name, None, room) for room in exits.values())
    return rows


def compare_meters(entry_readings, exit_readings):
    from .enums import Meter

    entries = {r.meter: r for r in entry_readings}
    exits = {r.meter: r for r in exit_readings}
    return [
        MeterComparison(label, entries.get(meter), exits.get(meter))
        for meter, label in Meter.choices
        if meter in entries or meter in exits
    ]


def entry_of(inspection):
    """The entry inspection an exit (or pre-exit) inspection compares with: the entry of
    the same stay, else the last entry of the unit before it; None when there is none."""
    from .models import Inspection

    entries = Inspection.objects.filter(
        unit=inspection.unit_id, kind=InspectionKind.ENTRY, done_on__lte=inspection.done_on
    ).order_by("-done_on", "-pk")
    if inspection.stay_id:
        same_stay = entries.filter(stay=inspection.stay_id).first()
        if same_stay is not None:
            return same_stay
    return entries.first()
