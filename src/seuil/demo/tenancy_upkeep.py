"""The demo's dwellings as the tenancy officer keeps them: inspections room by room (with
meter readings, keys and the parties' signatures; photos left out), the repairs of the
units, and the households' home insurance certificates.

Inspections: every room of the unit (by its typology) is in good or new state at entry;
at exit, most rooms are as they were, some worn (with what was seen), and the meters have
run on. Repairs: work done in past years (contractor, cost, who paid), one cancelled, and
today some reported and not yet scheduled, one with an appointment to come, one whose
appointment is past and not closed yet. Insurance: each household present has its
certificate of the year (renewed on its entry's anniversary); one lets it lapse, others
renew within the month.

Drawn from a generator of its own (the demo's seed and a salt): the rest of the demo
stays as it was.
"""

import random
from decimal import Decimal

from seuil.core.refs import seeded_ref
from seuil.housing.enums import ManagementMode
from seuil.housing.models import Stay
from seuil.tenancy import upkeep
from seuil.tenancy.models import (
    Inspection,
    InspectionKeys,
    InspectionRoom,
    Insurance,
    MeterReading,
    Repair,
)

from .common import DAY, plus_years, weighted
from .plan import DEMO_SEED

ROOMS = {
    "room": ["Chambre"],
    "T1": ["Pièce principale", "Coin cuisine", "Salle d'eau et WC"],
    "T2": ["Entrée", "Séjour", "Cuisine", "Chambre", "Salle de bains", "WC"],
}
WEAR = [
    "Murs à repeindre",
    "Traces d'humidité au plafond",
    "Porte de placard abîmée",
    "Sol rayé",
    "Joint de la douche noirci",
    "Prise électrique descellée",
]
REMARKS_AT_ENTRY = ["Peinture refaite avant l'entrée", "Trou de cheville rebouché", "Sol neuf"]
KEYS = [("Porte d'entrée", 2), ("Boîte aux lettres", 1)]
CONTRACTORS = [
    "Plomberie du Val de Somme",
    "Électricité Picarde",
    "Menuiserie Martin",
    "Chauffage Service Amiénois",
    "Multiservices de l'Hallue",
]
WORKS = [
    ("Fuite sous l'évier de la cuisine", 0),
    ("Chauffe-eau en panne", 1),
    ("Volet roulant de la chambre bloqué", 2),
    ("Radiateur du séjour froid", 3),
    ("Serrure de la porte d'entrée à changer", 2),
    ("Moisissures dans la salle de bains : ventilation à reprendre", 4),
    ("Interrupteur de la cuisine hors service", 1),
    ("Chasse d'eau qui fuit", 0),
]
INSURERS = ["Mutuelle de la Somme", "Assurances du Nord", "Habitat Assur", "Picardie Mutuelle"]


def rooms_of(typology):
    """The rooms of a unit of `typology` (T3 and more: one bedroom per room beyond two)."""
    if typology in ROOMS:
        return ROOMS[typology]
    bedrooms = int(typology[1:]) - 1
    return [
        "Entrée",
        "Séjour",
        "Cuisine",
        *(f"Chambre {n}" for n in range(1, bedrooms + 1)),
        "Salle de bains",
        "WC",
    ]


def write_upkeep_demo(today, operator):
    """Write the parts of the operator's inspections, its repairs and the insurance
    certificates; returns the counts."""
    rng = random.Random(f"{DEMO_SEED}-tenancy-upkeep")  # nosec B311: demo data
    inspections = list(
        Inspection.objects.filter(organisation=operator)
        .select_related("unit")
        .order_by("done_on", "pk")
    )
    rooms, readings, keys = _inspection_parts(rng, inspections)
    InspectionRoom.objects.bulk_create(rooms)
    MeterReading.objects.bulk_create(readings)
    InspectionKeys.objects.bulk_create(keys)
    repairs = _repairs(rng, today, operator)
    insurances = _insurances(rng, today, operator)
    return {"rooms": len(rooms), "repairs": repairs, "insurances": insurances}


# ---------------------------------------------------------------- inspections


def _signed(inspection):
    inspection.signed_by_household_on = inspection.done_on
    inspection.signed_by_operator_on = inspection.done_on
    if inspection.kind != "pre_exit":
        inspection.signed_by_landlord_on = inspection.done_on


def _inspection_parts(rng, inspections):
    """Rooms, meters and keys of each inspection; the exit (or pre-exit) starts from the
    rooms of the entry of its stay, a few worn, the meters run on."""
    entries = {}  # stay pk → (states by room, meters, keys) at entry
    rooms, readings, keys = [], [], []
    for inspection in inspections:
        _signed(inspection)
        names = rooms_of(inspection.unit.typology)
        entry = entries.get(inspection.stay_id)
        if inspection.kind == "entry" or entry is None:
            states = {name: weighted(rng, [("new", 1), ("good", 5), ("fair", 2)]) for name in names}
            remarks = {
                name: rng.choice(REMARKS_AT_ENTRY) if rng.random() < 0.15 else "" for name in names
            }
            meters = {"electricity": Decimal(rng.randint(2_000, 40_000)), "water": None}
            meters["water"] = Decimal(rng.randint(100, 900))
            if rng.random() < 0.35:
                meters["gas"] = Decimal(rng.randint(1_000, 20_000))
            handed = [*KEYS, ("Badge de l'immeuble", 1)] if rng.random() < 0.5 else list(KEYS)
            entries[inspection.stay_id] = (states, meters, handed, inspection.done_on)
        else:
            entry_states, entry_meters, entry_keys, entered = entry
            states, remarks = {}, {}
            for name in names:
                state = entry_states[name]
                if rng.random() < 0.2 and state != "poor":
                    state = {"new": "good", "good": "fair", "fair": "poor"}[state]
                    remarks[name] = rng.choice(WEAR)
                else:
                    remarks[name] = ""
                states[name] = state
            years = Decimal((inspection.done_on - entered).days) / Decimal(365)
            meters = {
                "electricity": entry_meters["electricity"] + (Decimal(2_600) * years).quantize(1),
                "water": entry_meters["water"] + (Decimal(45) * years).quantize(1),
            }
            if "gas" in entry_meters:
                meters["gas"] = entry_meters["gas"] + (Decimal(4_000) * years).quantize(1)
            handed = list(entry_keys)
            if rng.random() < 0.15:  # a key not given back
                handed[0] = (handed[0][0], handed[0][1] - 1)
            if inspection.kind == "exit":
                inspection.remarks = (
                    "Logement rendu propre." if rng.random() < 0.7 else "Ménage à refaire."
                )
        rooms += [
            InspectionRoom(inspection=inspection, name=n, state=states[n], remarks=remarks[n])
            for n in names
        ]
        readings += [
            MeterReading(
                inspection=inspection, meter=meter, index=index, read_on=inspection.done_on
            )
            for meter, index in meters.items()
        ]
        keys += [InspectionKeys(inspection=inspection, kind=k, count=c) for k, c in handed if c]
    Inspection.objects.bulk_update(
        inspections,
        ["remarks", "signed_by_household_on", "signed_by_operator_on", "signed_by_landlord_on"],
    )
    return rooms, readings, keys


# ---------------------------------------------------------------- repairs


def _repairs(rng, today, operator):
    """Repairs through the tenancy's services (status log and history, as an officer's):
    done in the past, one cancelled, and those open today."""
    stays = list(
        Stay.objects.filter(organisation=operator)
        .exclude(unit__management_mode=ManagementMode.MANDATE)
        .select_related("unit", "household")
        .order_by("entered_on", "pk")
    )
    present = [s for s in stays if s.exited_on is None and s.entered_on <= today - DAY * 60]
    past = [s for s in stays if s.exited_on is not None and (s.exited_on - s.entered_on).days > 200]
    rng.shuffle(present)
    rng.shuffle(past)
    count = 0
    # Done in past years, or cancelled (the household repaired it itself).
    for number, stay in enumerate(past[:4] + present[:4]):
        end = min(stay.exited_on or today, today) - DAY * 40
        if end <= stay.entered_on:
            continue
        reported_on = stay.entered_on + DAY * rng.randint(0, (end - stay.entered_on).days)
        description, kind = WORKS[number % len(WORKS)]
        repair = _reported(rng, stay, reported_on, description)
        if number == 5:
            upkeep.move_repair(
                repair,
                "cancelled",
                on=reported_on + DAY * 3,
                by=None,
                comment="Réparé par le ménage.",
            )
        else:
            appointment_on = reported_on + DAY * rng.randint(3, 20)
            upkeep.move_repair(
                repair, "scheduled", on=reported_on + DAY, by=None, appointment_on=appointment_on
            )
            repair.cost = Decimal(rng.choice([85, 140, 230, 410, 760, 1_150]))
            repair.paid_by = ("landlord", "operator", "household", "landlord", "landlord")[kind]
            upkeep.save_repair(repair, by=None)
            upkeep.move_repair(repair, "done", on=appointment_on, by=None)
        count += 1
    # Open today: two reported, one with its appointment to come, one whose appointment is
    # past and that nobody has closed yet.
    for number, stay in enumerate(present[4:8]):
        reported_on = today - DAY * (3, 12, 9, 20)[number]
        description, _ = WORKS[(number + 4) % len(WORKS)]
        repair = _reported(rng, stay, reported_on, description, household=number % 2 == 0)
        if number >= 2:
            appointment_on = today + DAY * 4 if number == 2 else today - DAY * 2
            upkeep.move_repair(
                repair, "scheduled", on=reported_on + DAY, by=None, appointment_on=appointment_on
            )
        count += 1
    return count


def _reported(rng, stay, reported_on, description, household=True):
    repair = Repair(
        unit=stay.unit,
        stay=stay,
        ref=seeded_ref(Repair, f"{stay.ref}-{reported_on:%Y%m%d}"),
        reported_on=reported_on,
        reported_by="household" if household else "operator",
        description=description,
        contractor=rng.choice(CONTRACTORS),
    )
    return upkeep.save_repair(repair, by=None, on=reported_on)


# ---------------------------------------------------------------- insurance


def _insurances(rng, today, operator):
    """A certificate a year for each household present, from its entry's anniversary
    (the two last years); one household lets the last one lapse."""
    stays = list(
        Stay.objects.filter(organisation=operator)
        .present_on(today)
        .select_related("household")
        .order_by("entered_on", "pk")
    )
    lapsed = rng.choice(stays).pk if stays else None
    certificates = []
    for stay in stays:
        insurer = rng.choice(INSURERS)
        start = stay.entered_on
        while plus_years(start, 1) <= today:
            start = plus_years(start, 1)
        starts = [start]
        if plus_years(start, -1) >= stay.entered_on:
            starts.insert(0, plus_years(start, -1))
        if stay.pk == lapsed and len(starts) == 2:
            starts = starts[:1]  # not renewed: expired since the anniversary
        certificates += [
            Insurance(
                organisation=operator,
                household=stay.household,
                insurer=insurer,
                certificate_on=on,
                expires_on=plus_years(on, 1) - DAY,
            )
            for on in starts
        ]
    Insurance.objects.bulk_create(certificates)
    return len(certificates)
