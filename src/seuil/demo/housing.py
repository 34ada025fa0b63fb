"""The demo's housing: two programmes, three sectors, five landlords, twenty units (one
shared flat in three rooms) and five years of stays, leases transferred and units returned.

Planned in plain data (`plan_stock`, `add_eviction_procedure`), then written (`write_stock`,
`write_stays`) once the households are.
"""

from seuil.core.refs import seeded_ref
from seuil.housing.models import EvictionProcedure, HousingUnit, Landlord, Programme, Sector, Stay

from .common import days, weighted
from .households import plan_household

PROGRAMMES = [
    ("iml-r", "IML Réfugiés", "iml"),
    ("asg", "Accompagnement social global", "asg"),
]

SECTORS = [
    (
        "grand-amienois",
        "Grand Amiénois",
        # Amiens, Longueau, Camon, Rivery, Corbie, Doullens
        ["80021", "80489", "80164", "80674", "80212", "80253"],
    ),
    ("abbevillois", "Abbevillois", ["80001", "80721"]),  # Abbeville, Saint-Valery-sur-Somme
    (
        "santerre-haute-somme",
        "Santerre-Haute-Somme",
        # Péronne, Albert, Ham, Roye, Montdidier
        ["80620", "80016", "80410", "80685", "80561"],
    ),
]

LANDLORDS = [
    # ref, name, kind, account (organisation ref)
    ("opac80", "OPAC de la Somme", "social", "opac80"),
    ("amiens-habitat", "Amiens Habitat", "social", None),
    ("prive-dufour", "M. et Mme Dufour", "private", None),
    ("sci-hortillonnages", "SCI Les Hortillonnages", "private", None),
    ("prive-carpentier", "Mme Carpentier", "private", None),
]

# The housing stock. `captured` is in days after the start of the five years (negative:
# days before today). `plan`: ("transfer", n) the lease slides to the household of the n-th
# stay, the unit leaves the stock; ("owner", n) the owner takes the unit back after the
# n-th stay; ("vacant", 0) the unit is vacant today.
UNITS = [
    # ref, typology, address, commune, sector, landlord, rent, charges, m², programme,
    # captured, plan
    ("L01", "T3", "12 rue Jean-Moulin", "80021", "grand-amienois", "opac80",
     412, 65, 64, "iml-r", 0, ("transfer", 2)),
    ("L02", "T2", "4 allée des Tilleuls", "80021", "grand-amienois", "amiens-habitat",
     338, 52, 47, "iml-r", 0, None),
    ("L03", "T4", "27 rue Saint-Fuscien", "80021", "grand-amienois", "opac80",
     489, 78, 81, "iml-r", 10, None),
    ("L04", "T1", "8 rue des Trois-Cailloux", "80021", "grand-amienois", "prive-dufour",
     395, 35, 28, "iml-r", 20, ("owner", 2)),
    ("L05", "T3", "15 rue du Moulin-Quignon", "80001", "abbevillois", "opac80",
     398, 61, 66, "iml-r", 30, ("transfer", 1)),
    ("L06", "T2", "31 rue de la Hotoie", "80021", "grand-amienois", "sci-hortillonnages",
     455, 40, 45, "asg", 45, None),
    ("L07", "T5", "6 rue Béranger", "80620", "santerre-haute-somme", "opac80",
     545, 95, 98, "iml-r", 60, None),
    ("L08", "T4", "2 place Vogel", "80021", "grand-amienois", "amiens-habitat",
     690, 120, 84, "iml-r", 90, None),
    ("L08-A", "room", "2 place Vogel, chambre A", "80021", "grand-amienois", "amiens-habitat",
     230, 40, 12, "iml-r", 90, None),
    ("L08-B", "room", "2 place Vogel, chambre B", "80021", "grand-amienois", "amiens-habitat",
     230, 40, 11, "iml-r", 90, None),
    ("L08-C", "room", "2 place Vogel, chambre C", "80021", "grand-amienois", "amiens-habitat",
     230, 40, 13, "iml-r", 90, ("vacant", 0)),
    ("L09", "T2", "19 rue de Birmingham", "80016", "santerre-haute-somme", "opac80",
     322, 48, 49, "iml-r", 120, ("transfer", 1)),
    ("L10", "T3", "5 rue Jules-Ferry", "80489", "grand-amienois", "amiens-habitat",
     401, 63, 67, "asg", 200, None),
    ("L11", "T1", "3 rue des Capucins", "80001", "abbevillois", "prive-carpentier",
     360, 30, 31, "asg", 300, ("owner", 1)),
    ("L12", "T3", "11 rue du Général-Foy", "80410", "santerre-haute-somme", "opac80",
     379, 60, 68, "iml-r", 420, None),
    ("L13", "T2", "22 rue Roger-Salengro", "80164", "grand-amienois", "opac80",
     331, 50, 46, "iml-r", 540, ("transfer", 2)),
    ("L14", "T4", "9 rue Dejean", "80021", "grand-amienois", "amiens-habitat",
     472, 82, 79, "iml-r", 700, None),
    ("L15", "T3", "14 rue Saint-Pierre", "80685", "santerre-haute-somme", "opac80",
     385, 62, 65, "iml-r", 900, None),
    ("L17", "T5", "2 rue Ledien", "80001", "abbevillois", "opac80",
     532, 90, 95, "iml-r", 1300, None),
    ("L18", "T3", "7 rue Charles-de-Gaulle", "80212", "grand-amienois", "opac80",
     396, 64, 63, "asg", 1500, None),
    ("L19", "T2", "16 rue Vulfran-Warmé", "80021", "grand-amienois", "opac80",
     341, 52, 48, "iml-r", -25, ("vacant", 0)),
]  # fmt: skip
ACCESSIBLE_UNITS = {"L14"}
MANDATE_UNITS = {"L06"}
COLOCATION = {"L08-A": "L08", "L08-B": "L08", "L08-C": "L08"}
EXIT_DESTINATIONS = [
    ("social_landlord", 50),
    ("private_landlord", 12),
    ("other_programme", 12),
    ("outside_department", 12),
    ("end_of_support", 6),
    ("shelter", 4),
]


# ---- plan ----------------------------------------------------------------------------------


def plan_stock(plan):
    """The units, and the successive stays in each lettable one (households included)."""
    for row in UNITS:
        plan.units.append(_unit(plan, *row))
    parents = {COLOCATION.get(u["ref"]) for u in plan.units}
    for unit in plan.units:
        if unit["ref"] not in parents:
            _let(plan, unit)
    for parent_ref in set(COLOCATION.values()):
        parent = _unit_by_ref(plan, parent_ref)
        rooms = [u for u in plan.units if u["parent"] == parent_ref]
        returned = [r["returned_on"] for r in rooms]
        parent["returned_on"] = None if None in returned else max(returned)


def _unit(plan, ref, typology, address, commune, sector, landlord, rent, charges, m2,
          programme, captured, plan_of_unit):  # fmt: skip
    captured_on = plan.today + days(captured) if captured < 0 else plan.start + days(captured)
    return {
        "ref": ref,
        "typology": typology,
        "parent": COLOCATION.get(ref),
        "address": address,
        "commune": commune,
        "sector": sector,
        "landlord": landlord,
        "rent": rent,
        "charges": charges,
        "surface_m2": m2,
        "programme": programme,
        "captured_on": captured_on,
        "returned_on": None,
        "plan": plan_of_unit,
        "accessible": ref in ACCESSIBLE_UNITS,
        "management_mode": "mandate" if ref in MANDATE_UNITS else "sublease",
    }


def _unit_by_ref(plan, ref):
    return next(u for u in plan.units if u["ref"] == ref)


def _let(plan, unit):
    """Successive stays in the unit, from its captation to today (or its return)."""
    rng, today = plan.rng, plan.today
    kind, last = unit["plan"] or (None, 0)
    entry = unit["captured_on"] + days(rng.randint(12, 60))
    number = 0
    while entry <= today:
        number += 1
        exit_on = _exit_day(plan, unit, entry)
        final = kind in {"transfer", "owner"} and number == last
        if kind == "vacant" and exit_on > today:
            exit_on = today - days(rng.randint(8, 45))
            if (exit_on - entry).days < 183:
                break
            final = True
        if exit_on > today:
            exit_on = None
        household = plan_household(plan, unit["typology"], unit["programme"], entry, exit_on)
        stay = household["stay"]
        stay["unit"] = unit["ref"]
        stay["programme"] = unit["programme"]
        if exit_on is not None:
            final = _leave(plan, unit, stay, exit_on, final)
        plan.households.append(household)
        if exit_on is None or final:
            break
        entry = exit_on + days(rng.randint(7, 45))


def _exit_day(plan, unit, entry):
    longest = 400 if unit["typology"] in {"room", "T1"} else 640
    return entry + days(plan.rng.randint(183, longest))


def _leave(plan, unit, stay, exit_on, final):
    """The destination of an exit; the last stay may transfer the lease or give the unit
    back to its owner. Returns whether the unit leaves the stock after this stay."""
    rng, today = plan.rng, plan.today
    kind = (unit["plan"] or (None, 0))[0]
    stay["exit_destination"] = weighted(rng, EXIT_DESTINATIONS)
    if kind == "transfer" and final:
        landlord_kind = next(lk for r, _, lk, _ in LANDLORDS if r == unit["landlord"])
        stay["exit_destination"] = f"{landlord_kind}_landlord"
        stay["lease_transferred"] = True
        unit["returned_on"] = exit_on
    elif kind == "owner" and final:
        returned = exit_on + days(rng.randint(0, 30))
        if returned <= today:
            unit["returned_on"] = returned
        else:
            final = False
    return final


def add_eviction_procedure(plan):
    """One household under an eviction procedure (present today when possible)."""
    rng, today = plan.rng, plan.today
    present = [
        h
        for h in plan.households
        if h["stay"]
        and h["stay"]["unit"]
        and h["stay"]["exited_on"] is None
        and (today - h["stay"]["entered_on"]).days >= 300
    ]
    if present:
        stay = rng.choice(present)["stay"]
        started = max(today - days(rng.randint(60, 150)), stay["entered_on"] + days(180))
        stay["eviction"] = (started, None)
    else:
        past = [
            h
            for h in plan.households
            if h["stay"] and h["stay"]["exited_on"] and h["stay"]["duration"] >= 300
        ]
        stay = rng.choice(past)["stay"]
        stay["eviction"] = (stay["exited_on"] - days(200), stay["exited_on"])
    stay["support_intensity"] = "reinforced"


# ---- write ---------------------------------------------------------------------------------


def write_stock(plan, operator, organisations):
    """Programmes, sectors, landlords and units of the operator: (programmes, units) by ref."""
    programmes = {
        ref: Programme.objects.create(organisation=operator, ref=ref, name=name, kind=kind)
        for ref, name, kind in PROGRAMMES
    }
    sectors = {
        ref: Sector.objects.create(organisation=operator, ref=ref, name=name, communes=communes)
        for ref, name, communes in SECTORS
    }
    landlords = {
        ref: Landlord.objects.create(
            organisation=operator,
            ref=ref,
            name=name,
            kind=kind,
            account=organisations.get(account) if account else None,
        )
        for ref, name, kind, account in LANDLORDS
    }
    units = {}
    for u in plan.units:
        units[u["ref"]] = HousingUnit.objects.create(
            organisation=operator,
            ref=u["ref"],
            programme=programmes[u["programme"]],
            typology=u["typology"],
            parent=units[u["parent"]] if u["parent"] else None,
            address=u["address"],
            commune=u["commune"],
            sector=sectors[u["sector"]],
            landlord=landlords[u["landlord"]],
            rent=u["rent"],
            charges=u["charges"],
            surface_m2=u["surface_m2"],
            accessible=u["accessible"],
            management_mode=u["management_mode"],
            captured_on=u["captured_on"],
            returned_on=u["returned_on"],
        )
    return programmes, units


def write_stays(plan, operator, households, programmes, units):
    """The stays of the planned households (`households`: their rows, in the plan's order)
    and their eviction procedures; returns the number of stays."""
    evictions = []
    stay_number = 0
    for planned, household in zip(plan.households, households, strict=True):
        s = planned["stay"]
        if not s:
            continue
        stay_number += 1
        stay = Stay.objects.create(
            organisation=operator,
            ref=seeded_ref(Stay, stay_number),
            household=household,
            unit=units[s["unit"]],
            programme=programmes[s["programme"]],
            entered_on=s["entered_on"],
            exited_on=s["exited_on"],
            exit_destination=s["exit_destination"],
            lease_transferred=s["lease_transferred"],
            support_intensity=s["support_intensity"],
        )
        if s["eviction"]:
            started_on, ended_on = s["eviction"]
            evictions.append(EvictionProcedure(stay=stay, started_on=started_on, ended_on=ended_on))
    EvictionProcedure.objects.bulk_create(evictions)
    return stay_number
