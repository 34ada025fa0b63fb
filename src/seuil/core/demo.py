"""The demo: a realistic IML operator of the Somme over five years, and one user per role.

`load_demo()` plans everything in plain Python with a seeded `random.Random` (same seed and
same `today` give the same data), checks the plan against the rules of
`seuil.housing.invariants`, then writes it in one transaction. It loads once: when the demo
operator (ref `apremis`) already exists, only the missing organisations and users are added.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Prefetch

from seuil.households.models import (
    ClinicalNote,
    ClinicalReferral,
    Consent,
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing import invariants
from seuil.housing.models import EvictionProcedure, HousingUnit, Landlord, Programme, Sector, Stay

from .enums import OrganisationKind, Role
from .history import BulkRecorder
from .models import Organisation, User

DEMO_ORGANISATION_REF = "apremis"
DEMO_SEED = 80021
# Shown on screen by `seuil demo`: it passes the project's password validators.
DEMO_PASSWORD = "logement-d-abord-80"  # noqa: S105  # nosec B105

ORGANISATIONS = [
    # ref, name, kind, department
    ("apremis", "APREMIS – Intermédiation locative", OrganisationKind.OPERATOR, "80"),
    ("siao80", "SIAO de la Somme", OrganisationKind.SIAO, "80"),
    ("opac80", "OPAC de la Somme", OrganisationKind.LANDLORD, "80"),
    ("ddets80", "DDETS de la Somme", OrganisationKind.STATE, "80"),
    (
        "plateforme-nationale",
        "Plateforme nationale pour le logement des réfugiés",
        OrganisationKind.NATIONAL_PLATFORM,
        "",
    ),
]

DEMO_USERS = [
    # username, first name, last name, role, organisation ref
    ("travailleur-social", "Camille", "Dewailly", Role.SOCIAL_WORKER, "apremis"),
    ("regisseur", "Thomas", "Vasseur", Role.TENANCY_OFFICER, "apremis"),
    ("responsable", "Nadia", "Benkhelifa", Role.SERVICE_MANAGER, "apremis"),
    ("psychologue", "Hélène", "Macquart", Role.PSYCHOLOGIST, "apremis"),
    ("evaluateur-siao", "Julien", "Lecomte", Role.SIAO_EVALUATOR, "siao80"),
    ("coordinatrice-siao", "Amandine", "Froment", Role.SIAO_COORDINATOR, "siao80"),
    ("bailleur-opac", "Philippe", "Delplanque", Role.LANDLORD, "opac80"),
    ("ddets", "Claire", "Hennebert", Role.STATE, "ddets80"),
    ("plateforme", "Karim", "Ouali", Role.NATIONAL_PLATFORM, "plateforme-nationale"),
    ("administrateur", "Sébastien", "Dumont", Role.ADMINISTRATOR, "apremis"),
]

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

# Names of many origins: (male first names, female first names, last names).
NAMES = {
    "afghan": (
        ["Ahmad", "Mohammad", "Rahim", "Farid", "Jawad", "Hamid", "Sayed", "Zabihullah"],
        ["Zahra", "Fatima", "Maryam", "Shabnam", "Nargis", "Fereshta", "Parwana"],
        ["Ahmadi", "Rahimi", "Hashimi", "Karimi", "Noori", "Sultani", "Wardak", "Haidari"],
    ),
    "syrian": (
        ["Omar", "Khaled", "Mahmoud", "Yassin", "Rami", "Bassel", "Ammar"],
        ["Maryam", "Rania", "Nour", "Hala", "Lama", "Yasmine", "Rim"],
        ["Al-Hassan", "Al-Khatib", "Haddad", "Al-Ahmad", "Darwish", "Al-Masri", "Kassab"],
    ),
    "eritrean": (
        ["Tesfaye", "Yonas", "Dawit", "Filmon", "Semere", "Mehari"],
        ["Senait", "Helen", "Luwam", "Selam", "Rahel", "Feven"],
        ["Gebremedhin", "Tesfamariam", "Haile", "Ghebreyesus", "Kidane", "Tekle"],
    ),
    "sudanese": (
        ["Mohamed", "Abdelrahman", "Osman", "Musa", "Adam", "Ibrahim"],
        ["Amani", "Hawa", "Fatima", "Safa", "Mariam"],
        ["Abdallah", "Osman", "Ismail", "Yagoub", "Abakar", "El-Tayeb"],
    ),
    "guinean": (
        ["Mamadou", "Alpha", "Ibrahima", "Souleymane", "Thierno", "Oumar"],
        ["Aïssatou", "Mariama", "Fatoumata", "Kadiatou", "Hadja", "Ramatoulaye"],
        ["Diallo", "Barry", "Bah", "Camara", "Sow", "Condé", "Baldé"],
    ),
    "ivorian": (
        ["Koffi", "Yao", "Adama", "Serge", "Didier", "Moussa"],
        ["Aya", "Adjoua", "Affoué", "Awa", "Christelle"],
        ["Kouassi", "Konan", "Koné", "Traoré", "N'Guessan", "Ouattara", "Kouadio"],
    ),
    "mauritanian": (
        ["Cheikh", "Ousmane", "Abdoulaye", "Mamadou"],
        ["Aïcha", "Khadijetou", "Coumba", "Mariem"],
        ["N'Diaye", "Sy", "Fall", "Ba", "Sall"],
    ),
    "congolese": (
        ["Jean-Pierre", "Patrick", "Christian", "Trésor", "Glody", "Héritier"],
        ["Mireille", "Grâce", "Béatrice", "Chancelle", "Divine", "Nadège"],
        ["Mukendi", "Mbuyi", "Kalonji", "Tshimanga", "Nsimba", "Ilunga", "Lukusa"],
    ),
    "turkish": (
        ["Gökhan", "Serdar", "Mehmet", "Emre", "Rojhat"],
        ["Ayşe", "Zeynep", "Elif", "Gülsüm", "Berfin"],
        ["Yıldız", "Demir", "Şahin", "Aydın", "Çelik"],
    ),
    "ukrainian": (
        ["Oleksandr", "Andriy", "Dmytro", "Serhiy", "Mykola"],
        ["Olena", "Iryna", "Oksana", "Kateryna", "Nataliia", "Yuliia"],
        ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchuk"],
    ),
    "georgian": (
        ["Giorgi", "Davit", "Levan", "Irakli", "Zurab"],
        ["Nino", "Tamar", "Mariam", "Ketevan", "Natia"],
        ["Beridze", "Kapanadze", "Gelashvili", "Lomidze", "Tsiklauri"],
    ),
    "albanian": (
        ["Arben", "Besnik", "Erion", "Gentian", "Ilir"],
        ["Elira", "Mirela", "Anila", "Blerta", "Drita"],
        ["Hoxha", "Krasniqi", "Shehu", "Gashi", "Berisha", "Dervishi"],
    ),
    "maghreb": (
        ["Karim", "Rachid", "Yacine", "Mourad", "Sofiane"],
        ["Nour El-Houda", "Samira", "Naïma", "Soraya", "Leïla"],
        ["Benali", "El Amrani", "Bouzid", "Haddadi", "Aït Ahmed", "Ben Saïd"],
    ),
    "french": (
        ["Jérôme", "Kévin", "Stéphane", "Loïc", "Anthony", "Rémi", "Grégory"],
        ["Éléonore", "Céline", "Mélanie", "Laëtitia", "Sandrine", "Maëlle", "Océane"],
        ["Lefèvre", "Dubois", "Leroy", "Caron", "Duchêne", "Lemaître", "Delattre", "Boulanger"],
    ),
}
# Names of children born in France, whatever the family's origin.
BORN_HERE = (
    ["Adam", "Nathan", "Elias", "Noah", "Yanis", "Ibrahim", "Rayan", "Issa"],
    ["Inaya", "Lina", "Sara", "Maya", "Aya", "Inès", "Yasmine", "Maëlys"],
)
# The first head of each of these origins carries this name.
FEATURED = {
    "mauritanian": ("F", "Aïcha", "N'Diaye"),
    "turkish": ("M", "Gökhan", "Yıldız"),
    "syrian": ("F", "Maryam", "Al-Hassan"),
    "eritrean": ("M", "Tesfaye", "Gebremedhin"),
    "french": ("F", "Éléonore", "Lefèvre"),
    "maghreb": ("F", "Nour El-Houda", "Benali"),
}
ORIGINS = {
    # programme: (origin, weight)
    "iml-r": [
        ("afghan", 16), ("syrian", 12), ("eritrean", 12), ("sudanese", 12), ("guinean", 9),
        ("ivorian", 7), ("mauritanian", 5), ("congolese", 9), ("turkish", 6),
    ],
    "asg": [
        ("french", 40), ("maghreb", 15), ("ukrainian", 15), ("georgian", 10),
        ("albanian", 10), ("congolese", 10),
    ],
}  # fmt: skip
# Households per typology: (adults, children at entry), weighted.
COMPOSITIONS = {
    "room": [((1, 0), 1)],
    "T1": [((1, 0), 3), ((2, 0), 1)],
    "T2": [((1, 1), 4), ((2, 0), 3), ((2, 1), 3), ((1, 0), 1)],
    "T3": [((2, 1), 3), ((2, 2), 4), ((1, 2), 3), ((1, 3), 1)],
    "T4": [((2, 3), 4), ((1, 3), 2), ((2, 2), 2), ((1, 4), 1)],
    "T5": [((2, 4), 3), ((2, 5), 2), ((1, 5), 1)],
}
EXIT_DESTINATIONS = [
    ("social_landlord", 50),
    ("private_landlord", 12),
    ("other_programme", 12),
    ("outside_department", 12),
    ("end_of_support", 6),
    ("shelter", 4),
]
PRIOR_SITUATIONS = {
    "iml-r": [("specialised_shelter", 8), ("hosted_by_third_party", 1), ("general_shelter", 1)],
    "asg": [
        ("general_shelter", 3),
        ("street_or_115", 2),
        ("hosted_by_third_party", 2),
        ("adapted_housing", 1),
        ("own_housing", 1),
        ("specialised_shelter", 1),
    ],
}
WAITING_HOUSEHOLDS = 3
DAY = datetime.timedelta(days=1)


def _days(n):
    return datetime.timedelta(days=n)


def _plus_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Planner:
    """Plans units, stays and households as plain dicts (no database)."""

    def __init__(self, today, seed):
        self.today = today
        # Reproducible fake demo data, not a security use (bandit B311).
        self.rng = random.Random(seed)  # nosec B311
        self.start = today - _days(5 * 365 + 1)
        self.units = []
        self.households = []
        self.featured = dict(FEATURED)

    # Housing stock and stays -------------------------------------------------------

    def plan(self):
        for row in UNITS:
            self.units.append(self._unit(*row))
        for unit in self.units:
            if unit["ref"] not in {COLOCATION.get(u["ref"]) for u in self.units}:
                self._let(unit)
        for parent_ref in set(COLOCATION.values()):
            parent = self._unit_by_ref(parent_ref)
            rooms = [u for u in self.units if u["parent"] == parent_ref]
            returned = [r["returned_on"] for r in rooms]
            parent["returned_on"] = None if None in returned else max(returned)
        for _ in range(WAITING_HOUSEHOLDS):
            typology = self.rng.choice(["T2", "T3"])
            admitted = self.today - _days(self.rng.randint(10, 60))
            self.households.append(self._household(typology, "iml-r", admitted, None, waiting=True))
        self._ensure_a_member_leaves()
        self._add_eviction_procedure()
        self.households.sort(
            key=lambda h: h["stay"]["entered_on"] if h["stay"] else datetime.date.max
        )
        return self

    def _unit(self, ref, typology, address, commune, sector, landlord, rent, charges, m2,
              programme, captured, plan):  # fmt: skip
        captured_on = self.today + _days(captured) if captured < 0 else self.start + _days(captured)
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
            "plan": plan,
            "accessible": ref in ACCESSIBLE_UNITS,
            "management_mode": "mandate" if ref in MANDATE_UNITS else "sublease",
        }

    def _unit_by_ref(self, ref):
        return next(u for u in self.units if u["ref"] == ref)

    def _let(self, unit):
        """Successive stays in the unit, from its captation to today (or its return)."""
        rng, today = self.rng, self.today
        kind, last = unit["plan"] or (None, 0)
        entry = unit["captured_on"] + _days(rng.randint(12, 60))
        number = 0
        while entry <= today:
            number += 1
            longest = 400 if unit["typology"] in {"room", "T1"} else 640
            exit_on = entry + _days(rng.randint(183, longest))
            final = kind in {"transfer", "owner"} and number == last
            if kind == "vacant" and exit_on > today:
                exit_on = today - _days(rng.randint(8, 45))
                if (exit_on - entry).days < 183:
                    break
                final = True
            if exit_on > today:
                exit_on = None
            household = self._household(unit["typology"], unit["programme"], entry, exit_on)
            stay = household["stay"]
            stay["unit"] = unit["ref"]
            stay["programme"] = unit["programme"]
            if exit_on is not None:
                stay["exit_destination"] = _weighted(rng, EXIT_DESTINATIONS)
                if kind == "transfer" and final:
                    landlord_kind = next(lk for r, _, lk, _ in LANDLORDS if r == unit["landlord"])
                    stay["exit_destination"] = f"{landlord_kind}_landlord"
                    stay["lease_transferred"] = True
                    unit["returned_on"] = exit_on
                elif kind == "owner" and final:
                    returned = exit_on + _days(rng.randint(0, 30))
                    if returned <= today:
                        unit["returned_on"] = returned
                    else:
                        final = False
            self.households.append(household)
            if exit_on is None or final:
                break
            entry = exit_on + _days(rng.randint(7, 45))

    def _ensure_a_member_leaves(self):
        """At least one member leaves a household during a stay (a partner, if need be)."""
        if any(m["left_on"] for h in self.households for m in h["members"]):
            return
        for household in self.households:
            stay = household["stay"]
            partner = next(
                (m for m in household["members"] if m["role"] == "partner" and not m["joined_on"]),
                None,
            )
            if stay and partner:
                end = stay["exited_on"] - DAY if stay["exited_on"] else self.today
                if (end - stay["entered_on"]).days > 200:
                    partner["left_on"] = stay["entered_on"] + _days(
                        (end - stay["entered_on"]).days // 2
                    )
                    return

    def _add_eviction_procedure(self):
        """One household under an eviction procedure (present today when possible)."""
        rng, today = self.rng, self.today
        present = [
            h
            for h in self.households
            if h["stay"]
            and h["stay"]["unit"]
            and h["stay"]["exited_on"] is None
            and (today - h["stay"]["entered_on"]).days >= 300
        ]
        if present:
            stay = rng.choice(present)["stay"]
            started = max(today - _days(rng.randint(60, 150)), stay["entered_on"] + _days(180))
            stay["eviction"] = (started, None)
        else:
            past = [
                h
                for h in self.households
                if h["stay"] and h["stay"]["exited_on"] and h["stay"]["duration"] >= 300
            ]
            stay = rng.choice(past)["stay"]
            stay["eviction"] = (stay["exited_on"] - _days(200), stay["exited_on"])
        stay["support_intensity"] = "reinforced"

    # Households -------------------------------------------------------------------

    def _household(self, typology, programme, entered_on, exited_on, waiting=False):
        rng, today = self.rng, self.today
        # Events happen strictly after the entry and before the exit (or on/before today).
        horizon = exited_on - DAY if exited_on else today
        span = (horizon - entered_on).days
        featured_first = [o for o, _ in ORIGINS[programme] if o in self.featured]
        if featured_first and not waiting:
            origin = featured_first[0]
        else:
            origin = _weighted(rng, ORIGINS[programme])
        if origin == "ukrainian" and entered_on < datetime.date(2022, 5, 1):
            origin = "french"
        adults, children = _weighted(rng, COMPOSITIONS[typology])
        reunification = (
            not waiting
            and programme == "iml-r"
            and typology in {"T2", "T3", "T4", "T5"}
            and span > 240
            and rng.random() < 0.3
        )
        members = []
        head_sex = "F" if (adults == 1 and children) else "M"
        if adults == 1 and not children:
            head_sex = "M" if rng.random() < 0.6 else "F"
        elif adults == 2 and rng.random() < 0.2:
            head_sex = "F"
        featured = self.featured.pop(origin, None) if not waiting else None
        if reunification and adults == 1:
            adults = 2
        if reunification:
            head_sex = "M" if rng.random() < 0.7 else "F"
        if featured:
            head_sex = featured[0]
        head_age = rng.randint(19, 34) if typology == "room" else rng.randint(23, 46)
        births, born = [], entered_on - _days(rng.randint(30, 6 * 365))
        for _ in range(children):
            births.append(born)
            born -= _days(rng.randint(420, 1460))  # siblings 14 months to 4 years apart
        if births:
            head_age = max(head_age, (entered_on - births[-1]).days // 365 + rng.randint(19, 28))
        taken = set()
        head = self._person(origin, head_sex, entered_on, head_age, "head", taken)
        if featured:
            head["first_name"], head["last_name"] = featured[1], featured[2]
            taken.add(featured[1])
        members.append(head)
        if adults == 2:
            sex = "F" if head_sex == "M" else "M"
            age = max(19, head_age + rng.randint(-7, 3))
            partner = self._person(origin, sex, entered_on, age, "partner", taken)
            if rng.random() < 0.4 or origin in {"french", "ukrainian", "georgian", "albanian"}:
                partner["last_name"] = head["last_name"]
            members.append(partner)
        for birth in reversed(births):
            child = self._person(origin, rng.choice("FM"), entered_on, 0, "child", taken, birth)
            child["last_name"] = head["last_name"]
            members.append(child)
        if reunification:
            # The head came first; the partner and the younger children join later.
            joined = entered_on + _days(rng.randint(90, min(span - 1, 420)))
            for member in members[1:]:
                eldest_came_along = member is members[-children] and rng.random() < 0.4
                if member["role"] == "partner" or (children and not eldest_came_along):
                    member["joined_on"] = joined
                    member["joined_reason"] = "family_reunification"
        elif not waiting and span > 200 and rng.random() < 0.3:
            mother = next((m for m in members if m["sex"] == "F" and m["role"] != "child"), None)
            if mother and (entered_on - mother["birth_date"]).days < 40 * 365:
                born = entered_on + _days(rng.randint(100, span - 1))
                child = self._born(born, head["last_name"], taken)
                members.append(child)
        if not waiting:
            self._maybe_leave(members, entered_on, horizon)
        household = {
            "origin": origin,
            "prior_situation": _weighted(rng, PRIOR_SITUATIONS[programme]),
            "members": members,
            "resources": [],
            "stay": None,
        }
        self._legal_statuses(household, programme, entered_on, horizon, waiting)
        self._resources(household, programme, entered_on, horizon, waiting)
        if not waiting:
            household["stay"] = {
                "unit": None,
                "programme": programme,
                "entered_on": entered_on,
                "exited_on": exited_on,
                "duration": ((exited_on or today) - entered_on).days,
                "exit_destination": "",
                "lease_transferred": False,
                "support_intensity": "reinforced" if rng.random() < 0.2 else "standard",
                "eviction": None,
            }
        return household

    def _first_name(self, names, taken):
        """A first name nobody else in the household bears."""
        name = self.rng.choice([n for n in names if n not in taken] or names)
        taken.add(name)
        return name

    def _person(self, origin, sex, on, age, role, taken, birth=None):
        rng = self.rng
        males, females, last_names = NAMES[origin]
        birth = birth or on - _days(age * 365 + rng.randint(0, 364))
        return {
            "first_name": self._first_name(males if sex == "M" else females, taken),
            "last_name": rng.choice(last_names),
            "sex": sex,
            "birth_date": birth,
            "role": role,
            "joined_on": None,
            "joined_reason": "",
            "left_on": None,
            "statuses": [],
        }

    def _born(self, day, last_name, taken):
        sex = self.rng.choice("FM")
        return {
            "first_name": self._first_name(BORN_HERE[0] if sex == "M" else BORN_HERE[1], taken),
            "last_name": last_name,
            "sex": sex,
            "birth_date": day,
            "role": "child",
            "joined_on": day,
            "joined_reason": "birth",
            "left_on": None,
            "statuses": [],
        }

    def _maybe_leave(self, members, entered_on, horizon):
        """An adult child moves out, or (rarely) a partner leaves the household."""
        rng = self.rng
        for member in members:
            if member["role"] != "child" or member["joined_on"]:
                continue
            adult_on = max(_plus_years(member["birth_date"], 18), entered_on + _days(60))
            leaves = adult_on + _days(rng.randint(30, 150))
            if leaves <= horizon and rng.random() < 0.6:
                member["left_on"] = leaves
                return
        partner = next((m for m in members if m["role"] == "partner"), None)
        start = (partner and partner["joined_on"]) or entered_on
        if partner and (horizon - start).days > 240 and rng.random() < 0.06:
            partner["left_on"] = start + _days(rng.randint(120, (horizon - start).days))

    def _legal_statuses(self, household, programme, entered_on, horizon, waiting):
        rng = self.rng
        origin = household["origin"]
        arrival = entered_on - _days(rng.randint(400, 1100))
        if origin == "french":
            for m in household["members"]:
                m["statuses"] = [(m["birth_date"], "french_or_eu")]
            return
        if origin == "ukrainian":
            arrival = max(datetime.date(2022, 3, 1), entered_on - _days(rng.randint(60, 400)))
            steps = [(arrival, "other")]  # temporary protection
        elif origin == "maghreb":
            steps = [(entered_on - _days(rng.randint(200, 1500)), "regularised")]
        elif programme == "asg":
            # Still asylum seekers at entry; some are protected during the stay.
            steps = [(arrival, "asylum_seeker")]
            if not waiting and (horizon - entered_on).days > 120 and rng.random() < 0.6:
                decided = entered_on + _days(rng.randint(60, (horizon - entered_on).days))
                final = "refugee" if origin == "congolese" else "subsidiary_protection"
                steps.append((decided, final))
        else:
            protected = entered_on - _days(rng.randint(20, 300))
            final = "subsidiary_protection" if rng.random() < 0.3 else "refugee"
            if origin == "syrian" and rng.random() < 0.4:
                final = "subsidiary_protection"
            steps = [(arrival, "asylum_seeker"), (protected, final)]
        for m in household["members"]:
            if m["joined_reason"] == "family_reunification":
                # Family members come with a visa and get the same protection.
                m["statuses"] = [(m["joined_on"], steps[-1][1])]
                continue
            start = max(m["birth_date"], steps[0][0])
            at_start = [status for since, status in steps if since <= start] or [steps[0][1]]
            m["statuses"] = [(start, at_start[-1])] + [
                (since, status) for since, status in steps if since > start
            ]

    def _resources(self, household, programme, entered_on, horizon, waiting):
        """From the asylum allowance (ADA) to RSA, training, then a salary."""
        rng = self.rng
        members = household["members"]
        head = members[0]
        head_age = (entered_on - head["birth_date"]).days // 365

        def children_on(day):
            return any(
                m["role"] == "child"
                and (m["joined_on"] or entered_on) <= day
                and (m["left_on"] is None or m["left_on"] > day)
                for m in members
            )

        def types(base, day):
            extra = ["family_benefits"] if children_on(day) else []
            if base == ["none"]:
                return extra or ["none"]
            return sorted(set(base + extra))

        records = []
        first_status = head["statuses"][0][1] if head["statuses"] else ""
        if first_status == "asylum_seeker" and head["statuses"][0][0] < entered_on:
            records.append((head["statuses"][0][0], ["asylum_allowance"]))
        young_single = head_age < 25 and len(members) == 1
        if household["origin"] == "french" and rng.random() < 0.15:
            path = [["aah"]]
        elif first_status == "asylum_seeker" and programme == "asg":
            path = [["asylum_allowance"], ["rsa"], ["salary", "activity_bonus"]]
        elif young_single:
            path = [["none"], ["training_pay"], ["salary", "activity_bonus"]]
        else:
            path = [["rsa"], ["training_pay"], ["salary", "activity_bonus"]]
            if rng.random() < 0.3:
                path.insert(0, ["asylum_allowance"] if programme == "iml-r" else ["none"])
            if rng.random() < 0.2:
                path[-1] = ["unemployment_benefit"]
        if household["origin"] == "ukrainian":
            path = [["asylum_allowance"], ["rsa"], ["salary"]]
        day = entered_on
        for base in path:
            if day > horizon:
                break
            records.append((day, types(base, day)))
            day = day + _days(rng.randint(75, 320))
            if waiting:
                break
        household["resources"] = records


def plan_demo(today, seed=DEMO_SEED):
    """The demo as plain data: units and households with their dated facts."""
    return _Planner(today, seed).plan()


def check_plan(planner):
    """The invariants of `seuil.housing.invariants`, on the plan; returns French messages."""
    units = {u["ref"]: u for u in planner.units}
    errors = []
    stays = [h["stay"] for h in planner.households if h["stay"]]
    for key in ("unit", "household"):
        items = [
            (s["unit"] if key == "unit" else id(h), s["entered_on"], s["exited_on"], s["unit"])
            for h in planner.households
            if (s := h["stay"])
        ]
        errors += [f"{key}: {a} / {b}" for a, b in invariants.find_overlaps(items)]
    for s in stays:
        unit = units[s["unit"]]
        errors += invariants.stay_dates_errors(s["entered_on"], s["exited_on"])
        errors += invariants.stay_stock_errors(
            s["entered_on"], s["exited_on"], unit["captured_on"], unit["returned_on"]
        )
        if s["entered_on"] > planner.today:
            errors.append(f"{s['unit']}: entrée après aujourd'hui")
    for h in planner.households:
        for m in h["members"]:
            errors += invariants.membership_dates_errors(m["joined_on"], m["left_on"])
    return errors


@transaction.atomic
def load_demo(today=None, seed=DEMO_SEED):
    """Load the demo once; return its counts, or None when it was already loaded.

    The organisations and the demo users are created when missing, in both cases.
    """
    today = today or datetime.date.today()
    already_loaded = Organisation.objects.filter(ref=DEMO_ORGANISATION_REF).exists()
    organisations = ensure_demo_organisations()
    ensure_demo_users(organisations)
    if already_loaded:
        return None
    planner = plan_demo(today, seed)
    errors = check_plan(planner)
    if errors:
        raise RuntimeError("Plan de démonstration incohérent : " + "; ".join(errors))
    return _write(planner, organisations)


def ensure_demo_organisations():
    organisations = {}
    for ref, name, kind, department in ORGANISATIONS:
        organisations[ref], _ = Organisation.objects.get_or_create(
            ref=ref, defaults={"name": name, "kind": kind, "department": department}
        )
    return organisations


def ensure_demo_users(organisations):
    """One user per role; existing users are left as they are."""
    missing = [u for u in DEMO_USERS if not User.objects.filter(username=u[0]).exists()]
    if not missing:
        return
    password = make_password(DEMO_PASSWORD)
    for username, first_name, last_name, role, org_ref in missing:
        User.objects.create(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@demo.seuil.invalid",
            role=role,
            organisation=organisations[org_ref],
            password=password,
        )


def demo_logins():
    """Rows (username, role label, organisation, password) of the demo users."""
    users = {u.username: u for u in User.objects.select_related("organisation")}
    rows = []
    for username, *_ in DEMO_USERS:
        user = users.get(username)
        if user:
            organisation = user.organisation.name if user.organisation else ""
            rows.append((username, user.get_role_display(), organisation, DEMO_PASSWORD))
    return rows


def format_logins(rows):
    """The logins as a plain-text table, in French."""
    header = ("Identifiant", "Rôle", "Organisation", "Mot de passe")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _write(planner, organisations):
    operator = organisations[DEMO_ORGANISATION_REF]
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
    for u in planner.units:
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
    memberships, statuses, resources, evictions = [], [], [], []
    person_number = stay_number = 0
    for number, h in enumerate(planner.households, start=1):
        household = Household.objects.create(
            organisation=operator, ref=f"M{number:03d}", prior_situation=h["prior_situation"]
        )
        for m in h["members"]:
            person_number += 1
            person = Person.objects.create(
                organisation=operator,
                ref=f"P{person_number:04d}",
                first_name=m["first_name"],
                last_name=m["last_name"],
                sex=m["sex"],
                birth_date=m["birth_date"],
            )
            memberships.append(
                Membership(
                    household=household,
                    person=person,
                    role=m["role"],
                    joined_on=m["joined_on"],
                    joined_reason=m["joined_reason"],
                    left_on=m["left_on"],
                )
            )
            statuses += [
                LegalStatusRecord(person=person, since=since, status=status)
                for since, status in m["statuses"]
            ]
        resources += [
            ResourceRecord(household=household, on=on, types=sorted(types))
            for on, types in h["resources"]
        ]
        s = h["stay"]
        if s:
            stay_number += 1
            stay = Stay.objects.create(
                organisation=operator,
                ref=f"S{stay_number:03d}",
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
                evictions.append(
                    EvictionProcedure(stay=stay, started_on=started_on, ended_on=ended_on)
                )
    Membership.objects.bulk_create(memberships)
    LegalStatusRecord.objects.bulk_create(statuses)
    ResourceRecord.objects.bulk_create(resources)
    EvictionProcedure.objects.bulk_create(evictions)
    _write_sensitive_parts(planner.today, organisations)
    _record_demo_history(operator)
    # Orientation: requests at every stage, a commission, the waiting list, vacancies and
    # proposals (through the orientation services).
    from seuil.orientation.demo import write_orientation_demo

    write_orientation_demo(planner.today, organisations)
    from seuil.matching.demo import write_matching_demo

    write_matching_demo(planner.today, organisations)
    return {
        "units": len(units),
        "households": len(planner.households),
        "persons": person_number,
        "stays": stay_number,
        "present": Stay.objects.filter(organisation=operator).present_on(planner.today).count(),
        "vacant": HousingUnit.objects.filter(organisation=operator)
        .vacant_on(planner.today)
        .count(),
    }


def _record_demo_history(operator):
    """The demo's household files were written by this command: their creation goes in the
    change history (no user: a command), as an import's would."""
    recorder = BulkRecorder(organisation=operator)
    households = Household.objects.filter(organisation=operator).prefetch_related(
        "memberships__person__legal_status_records",
        "resource_records",
        Prefetch("stays", queryset=Stay.objects.select_related("unit", "programme")),
    )
    for household in households:
        parts = [household, *household.resource_records.all(), *household.stays.all()]
        for membership in household.memberships.all():
            parts += [membership.person, membership, *membership.person.legal_status_records.all()]
        for part in parts:
            recorder.add(part, household=household)
    recorder.write()


# Social notes of a few households present today (no names: the file has them).
DEMO_SOCIAL_NOTES = [
    "Ménage orienté par le SIAO après une prise en charge en CADA. Bonne autonomie dans "
    "les démarches administratives ; ouverture des droits CAF faite. Projet : accès à un "
    "logement social dans le Grand Amiénois, près de l'école des enfants.",
    "Personne isolée, en formation linguistique (niveau A2). Ressources stables depuis "
    "six mois ; loyer payé régulièrement. Glissement de bail envisageable sous un an.",
    "Famille arrivée par la mobilité nationale. Souhaite rester dans la Somme ; emploi en "
    "CDD dans la logistique. Accompagnement budgétaire en cours, sans impayé.",
    "Ménage suivi en accompagnement renforcé. Démarches de réunification familiale en "
    "cours ; besoin d'un T3 à l'arrivée des enfants.",
]
DEMO_SENSITIVE_DETAILS = (
    "Violences conjugales avant l'arrivée en France ; suivi par une association spécialisée. "
    "Ne pas communiquer l'adresse."
)
DEMO_CLINICAL_NOTES = [
    "Premier entretien. Troubles du sommeil depuis l'arrivée ; demande d'aide exprimée.",
    "Deuxième entretien. Sommeil amélioré ; travail sur le parcours d'exil engagé.",
]


def _write_sensitive_parts(today, organisations):
    """Social notes, consents (valid, expired, mobility) and one referral to the demo
    psychologist with two clinical notes (encrypted like any other)."""
    operator = organisations[DEMO_ORGANISATION_REF]
    households = list(
        Household.objects.filter(organisation=operator).present_on(today).order_by("ref")
    )[: len(DEMO_SOCIAL_NOTES)]
    for household, note in zip(households, DEMO_SOCIAL_NOTES, strict=False):
        household.social_note = note
    households[-1].sensitive_details = DEMO_SENSITIVE_DETAILS
    Household.objects.bulk_update(households, ["social_note", "sensitive_details"])
    users = {u.username: u for u in User.objects.filter(organisation=operator)}
    social_worker, manager = users.get("travailleur-social"), users.get("responsable")
    landlord, platform = organisations["opac80"], organisations["plateforme-nationale"]
    Consent.objects.bulk_create(
        [
            Consent(
                household=households[0],
                scope="social_note",
                recipient=landlord,
                given_on=today - _days(30),
                expires_on=_plus_years(today - _days(30), 1),
                recorded_by=social_worker,
                comment="Consentement écrit signé, conservé au dossier.",
            ),
            Consent(
                household=households[1],
                scope="social_note",
                recipient=landlord,
                given_on=today - _days(420),
                expires_on=_plus_years(today - _days(420), 1),
                recorded_by=social_worker,
            ),
            Consent(
                household=households[2],
                scope="mobility_file",
                recipient=platform,
                given_on=today - _days(60),
                expires_on=_plus_years(today - _days(60), 1),
                recorded_by=social_worker,
            ),
        ]
    )
    psychologist = users.get("psychologue")
    if psychologist is None:
        return
    referred_on = today - _days(90)
    ClinicalReferral.objects.create(
        household=households[3],
        psychologist=psychologist,
        referred_by=manager,
        referred_on=referred_on,
    )
    for days, text in zip((80, 20), DEMO_CLINICAL_NOTES, strict=True):
        moment = datetime.datetime.combine(
            today - _days(days), datetime.time(10, 30), tzinfo=datetime.UTC
        )
        ClinicalNote.objects.create(
            household=households[3], author=psychologist, written_at=moment, text=text
        )
