"""A seeded generator of realistic, valid seuil-exchange/1 files, for benchmarks and tests.

    from benchmarks.generate import generate
    document = generate(households=10_000, seed=42)

About 3 persons and 1 stay per household. Units are reused by households one after the
other (stays of one unit never overlap), single adults go into rooms of shared flats, some
units are returned to the landlord (some by lease transfer to the household), some persons
go from asylum seeker to refugee, resources change over time, a few children are born
during the stay and a few eviction procedures are opened. Plain Python: no Django needed.

    python benchmarks/generate.py --households 1000 --seed 1 > file.json
"""

import argparse
import heapq
import json
import random
import sys
from datetime import date, timedelta

FORMAT = "seuil-exchange/1"
START = date(2018, 1, 1)
TODAY = date(2025, 6, 30)

FIRST_NAMES_F = ["Aïcha", "Éléonore", "Fatoumata", "Zeynep", "Mariam", "Hélène", "Nour", "Awa"]
FIRST_NAMES_M = ["Gökhan", "Mamadou", "Ahmad", "Jérôme", "Tesfaye", "Omar", "Idriss", "Loïc"]
# Last names from stems and endings (about 400), so that homonyms are as rare as in a real
# file: with eight names, every person of a national file would be a likely duplicate of
# hundreds of others.
LAST_NAME_STEMS = ["N'Di", "Haïd", "Öztür", "Traor", "Le G", "Abeb", "D'Alm", "Kon", "Diall"]
LAST_NAME_STEMS += ["Camar", "Sissok", "Benal", "Mart", "Dur", "Morv", "Lef", "Gauth", "Rou"]
LAST_NAME_STEMS += ["Ferr", "Mich", "Bertr", "Gir", "Bonn", "Merc", "Blanch", "Guér"]
LAST_NAME_ENDINGS = ["aye", "ari", "k", "é", "off", "e", "eida", "é", "o", "a", "in", "and"]
LAST_NAME_ENDINGS += ["ier", "ot", "ault", "eau"]
LAST_NAMES = [stem + ending for stem in LAST_NAME_STEMS for ending in LAST_NAME_ENDINGS]
STREETS = ["rue des Jacobins", "boulevard d'Alsace", "rue Saint-Leu", "place Gambetta"]
COMMUNES = ["80021", "80001", "80016", "80112", "80186", "80620"]
RESOURCE_COMBINATIONS = [
    ["rsa"],
    ["rsa", "family_benefits"],
    ["salary"],
    ["salary", "activity_bonus"],
    ["salary", "activity_bonus", "family_benefits"],
    ["unemployment_benefit"],
    ["training_pay"],
    ["aah"],
    ["asylum_allowance"],
    ["none"],
]
EXIT_DESTINATIONS = [
    "social_landlord",
    "private_landlord",
    "outside_department",
    "other_programme",
    "shelter",
    "end_of_support",
    "other",
]
TYPOLOGY_BY_SIZE = {1: "T1", 2: "T2", 3: "T3", 4: "T3", 5: "T4", 6: "T5"}
RENT_BY_TYPOLOGY = {"room": 280, "T1": 330, "T2": 390, "T3": 450, "T4": 520, "T5": 590}
SURFACE_BY_TYPOLOGY = {"room": 12, "T1": 28, "T2": 45, "T3": 62, "T4": 78, "T5": 92}


def _day(rng, start, end):
    """A random day in [start, end]."""
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _years_before(day, years, rng):
    return _day(
        rng,
        day - timedelta(days=int(365.25 * (years + 1))),
        day - timedelta(days=int(365.25 * years)),
    )


class _Generator:
    def __init__(self, households, seed, organisation):
        self.rng = random.Random(seed)
        self.n = households
        self.organisation = organisation
        self.units = []
        self.free = {}  # typology → heap of (free_from, number, unit) still in stock
        self.person_count = 0

    # ------------------------------------------------------------ reference data
    def reference_data(self):
        rng = self.rng
        self.programmes = [
            {"ref": "iml-r", "name": "IML Réfugiés", "kind": "iml"},
            {"ref": "mobilite", "name": "Mobilité nationale", "kind": "mobility"},
            {"ref": "pension", "name": "Pension de famille « L'Escale »", "kind": "boarding_house"},
        ]
        self.sectors = [
            {"ref": "grand-amienois", "name": "Grand Amiénois", "communes": ["80021", "80001"]},
            {"ref": "baie-de-somme", "name": "Baie de Somme", "communes": ["80016", "80112"]},
            {"ref": "haute-somme", "name": "Haute-Somme", "communes": ["80186", "80620"]},
        ]
        count = max(3, self.n // 400)
        self.landlords = [
            {
                "ref": f"B{i:03d}",
                "name": f"Bailleur {rng.choice(LAST_NAMES)} n°{i}",
                "kind": "social" if i % 3 else "private",
            }
            for i in range(1, count + 1)
        ]

    def new_unit(self, typology, captured_on, parent=None):
        rng = self.rng
        sector = rng.choice(self.sectors)
        rent = RENT_BY_TYPOLOGY[typology] + rng.randint(-40, 60) + rng.choice([0, 0.5, 0.25])
        unit = {
            "ref": f"L{len(self.units) + 1:06d}",
            "programme": rng.choice(["iml-r", "iml-r", "mobilite", "pension"]),
            "typology": typology,
            "parent": parent["ref"] if parent else None,
            "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "commune": rng.choice(sector["communes"]),
            "sector": sector["ref"],
            "landlord": rng.choice(self.landlords)["ref"],
            "rent": rent,
            "charges": float(rng.choice([40, 55, 60, 72.5])),
            "surface_m2": SURFACE_BY_TYPOLOGY[typology] + rng.randint(-4, 10),
            "accessible": rng.random() < 0.08,
            "captured_on": captured_on.isoformat(),
            "returned_on": None,
        }
        self.units.append(unit)
        return unit

    def unit_for(self, typology, planned):
        """A unit of `typology` free on `planned` (reused when possible), and its free date."""
        pool = self.free.setdefault(typology, [])
        if pool and pool[0][0] <= planned:
            _, _, unit = heapq.heappop(pool)
            return unit, planned
        captured_on = _day(self.rng, planned - timedelta(days=90), planned)
        if typology == "room":
            flat = self.new_unit("T4", captured_on)
            flat["programme"] = "iml-r"
            rooms = [self.new_unit("room", captured_on, parent=flat) for _ in range(3)]
            for room in rooms[1:]:
                self.release(room, captured_on)
            return rooms[0], planned
        return self.new_unit(typology, captured_on), planned

    def release(self, unit, free_from):
        heapq.heappush(self.free.setdefault(unit["typology"], []), (free_from, unit["ref"], unit))

    # ------------------------------------------------------------ households
    def person(self, sex, birth_date, role, **extra):
        self.person_count += 1
        names = FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M
        return {
            "ref": f"P{self.person_count:07d}",
            "role": role,
            "sex": sex,
            "birth_date": birth_date.isoformat() if birth_date else None,
            "first_name": self.rng.choice(names),
            "last_name": None,
            "joined_on": None,
            "joined_reason": None,
            "left_on": None,
            "legal_status": [],
            **extra,
        }

    def legal_status(self, entered_on, asylum):
        rng = self.rng
        if asylum:
            asked = _years_before(entered_on, rng.randint(1, 3), rng)
            granted = _day(rng, asked + timedelta(days=120), entered_on + timedelta(days=200))
            return [
                {"since": asked.isoformat(), "status": "asylum_seeker"},
                {"since": granted.isoformat(), "status": "refugee"},
            ]
        status = rng.choice(["refugee"] * 6 + ["subsidiary_protection"] * 3 + ["regularised"])
        return [
            {
                "since": _years_before(entered_on, rng.randint(0, 3), rng).isoformat(),
                "status": status,
            }
        ]

    def members(self, size, entered_on, exited_on, room):
        rng = self.rng
        head_sex = rng.choice("FM") if room or size == 1 else rng.choice("FFM")
        last_name = rng.choice(LAST_NAMES)
        asylum = rng.random() < 0.3
        status = self.legal_status(entered_on, asylum)
        head = self.person(head_sex, _years_before(entered_on, rng.randint(20, 55), rng), "head")
        members = [head]
        adults = 1
        if size >= 2 and rng.random() < 0.6:
            partner_sex = "M" if head_sex == "F" else "F"
            partner = self.person(
                partner_sex, _years_before(entered_on, rng.randint(20, 55), rng), "partner"
            )
            if rng.random() < 0.1:  # family reunification during the stay
                end = (exited_on or TODAY) - timedelta(days=1)
                partner["joined_on"] = _day(rng, entered_on + timedelta(days=1), end).isoformat()
                partner["joined_reason"] = "family_reunification"
            members.append(partner)
            adults = 2
        for _ in range(size - adults):
            child = self.person(
                rng.choice("FM"), _years_before(entered_on, rng.randint(0, 19), rng), "child"
            )
            if rng.random() < 0.03 and (exited_on or TODAY) > entered_on + timedelta(days=400):
                child["left_on"] = _day(
                    rng, entered_on + timedelta(days=200), entered_on + timedelta(days=380)
                ).isoformat()
            members.append(child)
        end = exited_on or TODAY
        if len(members) > 1 and rng.random() < 0.06 and end > entered_on + timedelta(days=60):
            born = _day(rng, entered_on + timedelta(days=1), end - timedelta(days=1))
            members.append(
                self.person(
                    rng.choice("FM"),
                    born,
                    "child",
                    joined_on=born.isoformat(),
                    joined_reason="birth",
                )
            )
        for member in members:
            member["last_name"] = last_name
            if member["joined_reason"] == "birth":
                member["legal_status"] = [{"since": member["birth_date"], "status": "other"}]
            else:
                member["legal_status"] = [dict(record) for record in status]
        return members, asylum

    def resources(self, entered_on, exited_on, asylum):
        rng = self.rng
        first = ["asylum_allowance"] if asylum else rng.choice(RESOURCE_COMBINATIONS)
        records = [{"on": entered_on.isoformat(), "types": sorted(first)}]
        end = exited_on or TODAY
        day = entered_on
        while rng.random() < 0.5 and end > day + timedelta(days=60):
            day = _day(rng, day + timedelta(days=30), end - timedelta(days=1))
            records.append(
                {"on": day.isoformat(), "types": sorted(rng.choice(RESOURCE_COMBINATIONS))}
            )
        return records

    def household_and_stay(self, number, planned):
        rng = self.rng
        size = rng.choices([1, 2, 3, 4, 5, 6], weights=[25, 15, 20, 20, 12, 8])[0]
        room = size == 1 and rng.random() < 0.4
        typology = "room" if room else TYPOLOGY_BY_SIZE[size]
        unit, entered_on = self.unit_for(typology, planned)
        months = rng.randint(3, 30)
        exited_on = entered_on + timedelta(days=int(months * 30.4))
        if exited_on > TODAY:
            exited_on = None
        members, asylum = self.members(size, entered_on, exited_on, room)
        household = {
            "ref": f"M{number:06d}",
            "prior_situation": rng.choice(
                ["specialised_shelter"] * 5
                + [
                    "general_shelter",
                    "hosted_by_third_party",
                    "street_or_115",
                    "adapted_housing",
                    "other",
                ]
            ),
            "resources": self.resources(entered_on, exited_on, asylum),
            "members": members,
        }
        stay = {
            "ref": f"S{number:06d}",
            "household": household["ref"],
            "unit": unit["ref"],
            "programme": unit["programme"],
            "entered_on": entered_on.isoformat(),
            "exited_on": exited_on.isoformat() if exited_on else None,
            "exit_destination": None,
            "lease_transferred": False,
            "support_intensity": "reinforced" if rng.random() < 0.15 else "standard",
        }
        if exited_on is not None:
            stay["exit_destination"] = rng.choice(EXIT_DESTINATIONS)
            if unit["parent"] is None and rng.random() < 0.12:
                stay["exit_destination"] = "social_landlord"
                stay["lease_transferred"] = True  # the dwelling leaves the stock with them
                unit["returned_on"] = exited_on.isoformat()
            elif rng.random() < 0.04:
                unit["returned_on"] = _day(
                    rng, exited_on, exited_on + timedelta(days=30)
                ).isoformat()
            else:
                self.release(unit, exited_on + timedelta(days=rng.randint(0, 45)))
        evictions = []
        if rng.random() < 0.02:
            started_on = _day(
                rng, entered_on + timedelta(days=30), entered_on + timedelta(days=300)
            )
            if started_on < (exited_on or TODAY):
                ended_on = exited_on.isoformat() if exited_on and rng.random() < 0.5 else None
                evictions.append(
                    {
                        "stay": stay["ref"],
                        "started_on": started_on.isoformat(),
                        "ended_on": ended_on,
                    }
                )
        return household, stay, evictions

    def document(self):
        self.reference_data()
        households, stays, evictions = [], [], []
        # Households come in the order of their planned entry, so that freed units are
        # taken again by later households.
        span = (TODAY - timedelta(days=30) - START).days
        planned_days = sorted(self.rng.randint(0, span) for _ in range(self.n))
        for number, offset in enumerate(planned_days, start=1):
            planned = START + timedelta(days=offset)
            household, stay, stay_evictions = self.household_and_stay(number, planned)
            households.append(household)
            stays.append(stay)
            evictions += stay_evictions
        return {
            "format": FORMAT,
            "organisation": {
                "ref": self.organisation,
                "name": "Association L'Étape (banc d'essai)",
                "kind": "operator",
                "department": "80",
            },
            "programmes": self.programmes,
            "sectors": self.sectors,
            "landlords": self.landlords,
            "housing_units": self.units,
            "households": households,
            "stays": stays,
            "eviction_procedures": evictions,
        }


def generate(households=1000, seed=0, organisation="banc-essai"):
    """A valid seuil-exchange/1 document with `households` households (same seed, same file)."""
    return _Generator(households, seed, organisation).document()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Génère un fichier seuil-exchange/1 réaliste.")
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--organisation", default="banc-essai")
    args = parser.parse_args(argv)
    json.dump(
        generate(args.households, args.seed, args.organisation), sys.stdout, ensure_ascii=False
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
