"""The demo's households: families of many origins, their members, legal statuses and
resources over five years, a few social notes, consents and a referral to the psychologist.

`plan_household` plans one household in plain data with the plan's seeded generator (the
same plan gives the same households); `write_households` writes them, and
`write_sensitive_parts` their notes and sharings.
"""

import datetime

from seuil.core.models import User
from seuil.core.refs import seeded_ref
from seuil.households.models import (
    ClinicalNote,
    ClinicalReferral,
    Consent,
    ContactDetails,
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.households.names import fold

from .common import DAY, days, plus_years, weighted
from .organisations import DEMO_ORGANISATION_REF

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
FAMILY_NAME_SHARED = {"french", "ukrainian", "georgian", "albanian"}


# ---- one household -------------------------------------------------------------------------


def plan_household(plan, typology, programme, entered_on, exited_on, waiting=False):
    """One household entering on `entered_on` (exiting on `exited_on`, None: still there), or
    waiting for a unit: its members, dated facts and stay, as plain dicts."""
    rng = plan.rng
    # Events happen strictly after the entry and before the exit (or on/before today).
    horizon = exited_on - DAY if exited_on else plan.today
    span = (horizon - entered_on).days
    origin = _origin(plan, programme, entered_on, waiting)
    adults, children = weighted(rng, COMPOSITIONS[typology])
    reunification = _reunification(rng, typology, programme, span, waiting)
    head_sex = _head_sex(rng, adults, children)
    featured = plan.featured.pop(origin, None) if not waiting else None
    if reunification and adults == 1:
        adults = 2
    if reunification:
        head_sex = "M" if rng.random() < 0.7 else "F"
    if featured:
        head_sex = featured[0]
    members, taken = _members(
        rng, origin, typology, entered_on, head_sex, adults, children, featured
    )
    if reunification:
        _reunite(rng, members, children, entered_on, span)
    elif not waiting and span > 200 and rng.random() < 0.3:
        _maybe_born_during_stay(rng, members, taken, entered_on, span)
    if not waiting:
        _maybe_leave(rng, members, entered_on, horizon)
    household = {
        "origin": origin,
        "prior_situation": weighted(rng, PRIOR_SITUATIONS[programme]),
        "members": members,
        "resources": [],
        "stay": None,
    }
    _legal_statuses(rng, household, programme, entered_on, horizon, waiting)
    _resources(rng, household, programme, entered_on, horizon, waiting)
    if not waiting:
        household["stay"] = _stay(rng, programme, entered_on, exited_on, plan.today)
    return household


def _origin(plan, programme, entered_on, waiting):
    """The first households of the programme carry the featured names of their origin."""
    featured_first = [o for o, _ in ORIGINS[programme] if o in plan.featured]
    if featured_first and not waiting:
        origin = featured_first[0]
    else:
        origin = weighted(plan.rng, ORIGINS[programme])
    if origin == "ukrainian" and entered_on < datetime.date(2022, 5, 1):
        origin = "french"
    return origin


def _reunification(rng, typology, programme, span, waiting):
    """Does the family join its head during the stay (family reunification)?"""
    return (
        not waiting
        and programme == "iml-r"
        and typology in {"T2", "T3", "T4", "T5"}
        and span > 240
        and rng.random() < 0.3
    )


def _head_sex(rng, adults, children):
    if adults == 1 and children:
        return "F"
    if adults == 1:
        return "M" if rng.random() < 0.6 else "F"
    if adults == 2 and rng.random() < 0.2:
        return "F"
    return "M"


def _members(rng, origin, typology, entered_on, head_sex, adults, children, featured):
    """The head, the partner (two adults) and the children, eldest first after the adults;
    and the first names taken in the household."""
    head_age = rng.randint(19, 34) if typology == "room" else rng.randint(23, 46)
    births = _births(rng, entered_on, children)
    if births:
        head_age = max(head_age, (entered_on - births[-1]).days // 365 + rng.randint(19, 28))
    taken = set()
    head = _person(rng, origin, head_sex, entered_on, head_age, "head", taken)
    if featured:
        head["first_name"], head["last_name"] = featured[1], featured[2]
        taken.add(featured[1])
    members = [head]
    if adults == 2:
        sex = "F" if head_sex == "M" else "M"
        age = max(19, head_age + rng.randint(-7, 3))
        partner = _person(rng, origin, sex, entered_on, age, "partner", taken)
        if rng.random() < 0.4 or origin in FAMILY_NAME_SHARED:
            partner["last_name"] = head["last_name"]
        members.append(partner)
    for birth in reversed(births):
        child = _person(rng, origin, rng.choice("FM"), entered_on, 0, "child", taken, birth)
        child["last_name"] = head["last_name"]
        members.append(child)
    return members, taken


def _births(rng, entered_on, children):
    """Birth dates of the children at entry, youngest first, 14 months to 4 years apart."""
    births, born = [], entered_on - days(rng.randint(30, 6 * 365))
    for _ in range(children):
        births.append(born)
        born -= days(rng.randint(420, 1460))
    return births


def _reunite(rng, members, children, entered_on, span):
    """The head came first; the partner and the younger children join later."""
    joined = entered_on + days(rng.randint(90, min(span - 1, 420)))
    for member in members[1:]:
        eldest_came_along = member is members[-children] and rng.random() < 0.4
        if member["role"] == "partner" or (children and not eldest_came_along):
            member["joined_on"] = joined
            member["joined_reason"] = "family_reunification"


def _maybe_born_during_stay(rng, members, taken, entered_on, span):
    """A child is born during the stay, to a mother under 40 at entry."""
    mother = next((m for m in members if m["sex"] == "F" and m["role"] != "child"), None)
    if mother and (entered_on - mother["birth_date"]).days < 40 * 365:
        born = entered_on + days(rng.randint(100, span - 1))
        members.append(_born(rng, born, members[0]["last_name"], taken))


def _stay(rng, programme, entered_on, exited_on, today):
    return {
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


def _first_name(rng, names, taken):
    """A first name nobody else in the household bears."""
    name = rng.choice([n for n in names if n not in taken] or names)
    taken.add(name)
    return name


def _person(rng, origin, sex, on, age, role, taken, birth=None):
    males, females, last_names = NAMES[origin]
    birth = birth or on - days(age * 365 + rng.randint(0, 364))
    return {
        "first_name": _first_name(rng, males if sex == "M" else females, taken),
        "last_name": rng.choice(last_names),
        "sex": sex,
        "birth_date": birth,
        "role": role,
        "joined_on": None,
        "joined_reason": "",
        "left_on": None,
        "statuses": [],
    }


def _born(rng, day, last_name, taken):
    sex = rng.choice("FM")
    return {
        "first_name": _first_name(rng, BORN_HERE[0] if sex == "M" else BORN_HERE[1], taken),
        "last_name": last_name,
        "sex": sex,
        "birth_date": day,
        "role": "child",
        "joined_on": day,
        "joined_reason": "birth",
        "left_on": None,
        "statuses": [],
    }


def _maybe_leave(rng, members, entered_on, horizon):
    """An adult child moves out, or (rarely) a partner leaves the household."""
    for member in members:
        if member["role"] != "child" or member["joined_on"]:
            continue
        adult_on = max(plus_years(member["birth_date"], 18), entered_on + days(60))
        leaves = adult_on + days(rng.randint(30, 150))
        if leaves <= horizon and rng.random() < 0.6:
            member["left_on"] = leaves
            return
    partner = next((m for m in members if m["role"] == "partner"), None)
    start = (partner and partner["joined_on"]) or entered_on
    if partner and (horizon - start).days > 240 and rng.random() < 0.06:
        partner["left_on"] = start + days(rng.randint(120, (horizon - start).days))


def _legal_statuses(rng, household, programme, entered_on, horizon, waiting):
    origin = household["origin"]
    arrival = entered_on - days(rng.randint(400, 1100))
    if origin == "french":
        for m in household["members"]:
            m["statuses"] = [(m["birth_date"], "french_or_eu")]
        return
    if origin == "ukrainian":
        arrival = max(datetime.date(2022, 3, 1), entered_on - days(rng.randint(60, 400)))
        steps = [(arrival, "other")]  # temporary protection
    elif origin == "maghreb":
        steps = [(entered_on - days(rng.randint(200, 1500)), "regularised")]
    elif programme == "asg":
        # Still asylum seekers at entry; some are protected during the stay.
        steps = [(arrival, "asylum_seeker")]
        if not waiting and (horizon - entered_on).days > 120 and rng.random() < 0.6:
            decided = entered_on + days(rng.randint(60, (horizon - entered_on).days))
            final = "refugee" if origin == "congolese" else "subsidiary_protection"
            steps.append((decided, final))
    else:
        protected = entered_on - days(rng.randint(20, 300))
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


def _resources(rng, household, programme, entered_on, horizon, waiting):
    """From the asylum allowance (ADA) to RSA, training, then a salary."""
    members = household["members"]
    head = members[0]
    head_age = (entered_on - head["birth_date"]).days // 365
    records = []
    first_status = head["statuses"][0][1] if head["statuses"] else ""
    if first_status == "asylum_seeker" and head["statuses"][0][0] < entered_on:
        records.append((head["statuses"][0][0], ["asylum_allowance"]))
    young_single = head_age < 25 and len(members) == 1
    path = _resource_path(rng, household["origin"], programme, first_status, young_single)
    day = entered_on
    for base in path:
        if day > horizon:
            break
        records.append((day, _resource_types(members, entered_on, base, day)))
        day = day + days(rng.randint(75, 320))
        if waiting:
            break
    household["resources"] = records


def _resource_path(rng, origin, programme, first_status, young_single):
    """The successive resources of the household, before the family benefits."""
    if origin == "french" and rng.random() < 0.15:
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
    if origin == "ukrainian":
        path = [["asylum_allowance"], ["rsa"], ["salary"]]
    return path


def _resource_types(members, entered_on, base, day):
    """`base` on `day`, with the family benefits while a child lives in the household."""
    children = any(
        m["role"] == "child"
        and (m["joined_on"] or entered_on) <= day
        and (m["left_on"] is None or m["left_on"] > day)
        for m in members
    )
    extra = ["family_benefits"] if children else []
    if base == ["none"]:
        return extra or ["none"]
    return sorted(set(base + extra))


# ---- the whole plan ------------------------------------------------------------------------


def plan_waiting(plan):
    """Households admitted to the IML programme, waiting for a unit."""
    for _ in range(WAITING_HOUSEHOLDS):
        typology = plan.rng.choice(["T2", "T3"])
        admitted = plan.today - days(plan.rng.randint(10, 60))
        plan.households.append(plan_household(plan, typology, "iml-r", admitted, None, True))


def ensure_a_member_leaves(plan):
    """At least one member leaves a household during a stay (a partner, if need be)."""
    if any(m["left_on"] for h in plan.households for m in h["members"]):
        return
    for household in plan.households:
        stay = household["stay"]
        partner = next(
            (m for m in household["members"] if m["role"] == "partner" and not m["joined_on"]),
            None,
        )
        if stay and partner:
            end = stay["exited_on"] - DAY if stay["exited_on"] else plan.today
            if (end - stay["entered_on"]).days > 200:
                partner["left_on"] = stay["entered_on"] + days((end - stay["entered_on"]).days // 2)
                return


# ---- contact details ---------------------------------------------------------------------

# Languages spoken by the adults of each origin (French added for one adult in two).
ORIGIN_LANGUAGES = {
    "afghan": ["prs", "ps"],
    "syrian": ["ar"],
    "eritrean": ["ti"],
    "sudanese": ["ar"],
    "guinean": ["ff", "fr"],
    "ivorian": ["fr", "dyu"],
    "mauritanian": ["ar", "ff"],
    "congolese": ["fr", "ln"],
    "turkish": ["tr"],
    "ukrainian": ["uk", "ru"],
    "georgian": ["ka", "ru"],
    "albanian": ["sq"],
    "maghreb": ["ar", "fr"],
    "french": ["fr"],
}
ADULT_AGE = 18


def contact_details_of(plan, household, member, number):
    """The contact details of the `number`-th person of the demo, an adult of `household`
    (a plan's dicts), or None for a child: drawn from the number alone, so that the same
    demo gives the same details. Phones in the range kept for fiction (06 39 98 …), e-mails
    at example.org."""
    if plus_years(member["birth_date"], ADULT_AGE) > plan.today:
        return None
    languages = list(ORIGIN_LANGUAGES.get(household["origin"], ["fr"]))
    if "fr" not in languages and number % 2 == 0:
        languages.append("fr")
    email = ""
    if number % 3 == 0:
        local = ".".join(fold(member[name]) for name in ("first_name", "last_name"))
        email = "".join(c for c in local if c.isalnum() or c == ".") + "@example.org"
    address = ""
    if member["role"] == "head" and number % 2 == 1:
        address = f"Domiciliation CCAS d'Amiens\nBoîte {number:04d}\n80000 Amiens"
    first = min((on for on, _ in household["resources"]), default=plan.today)
    return {
        "since": max(first, plus_years(member["birth_date"], ADULT_AGE)),
        "phones": [f"+3363998{number:04d}"] if number % 4 else [],
        "email": email,
        "postal_address": address,
        "languages": languages,
        "interpreter_needed": "fr" not in languages,
    }


# ---- write ---------------------------------------------------------------------------------


def write_households(plan, operator):
    """The planned households with their members, legal statuses and resources, in the
    plan's order; returns (households, number of persons)."""
    households, memberships, statuses, resources = [], [], [], []
    person_number = 0
    for number, h in enumerate(plan.households, start=1):
        household = Household.objects.create(
            organisation=operator,
            ref=seeded_ref(Household, number),
            prior_situation=h["prior_situation"],
        )
        households.append(household)
        for m in h["members"]:
            person_number += 1
            person = Person.objects.create(
                organisation=operator,
                ref=seeded_ref(Person, person_number),
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
            contact = contact_details_of(plan, h, m, person_number)
            if contact:
                # One by one: `save` writes the digits a search by phone reads.
                ContactDetails(person=person, **contact).save()
        resources += [
            ResourceRecord(household=household, on=on, types=sorted(types))
            for on, types in h["resources"]
        ]
    Membership.objects.bulk_create(memberships)
    LegalStatusRecord.objects.bulk_create(statuses)
    ResourceRecord.objects.bulk_create(resources)
    return households, person_number


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


def write_sensitive_parts(today, organisations):
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
                given_on=today - days(30),
                expires_on=plus_years(today - days(30), 1),
                recorded_by=social_worker,
                comment="Consentement écrit signé, conservé au dossier.",
            ),
            Consent(
                household=households[1],
                scope="social_note",
                recipient=landlord,
                given_on=today - days(420),
                expires_on=plus_years(today - days(420), 1),
                recorded_by=social_worker,
            ),
            Consent(
                household=households[2],
                scope="mobility_file",
                recipient=platform,
                given_on=today - days(60),
                expires_on=plus_years(today - days(60), 1),
                recorded_by=social_worker,
            ),
        ]
    )
    psychologist = users.get("psychologue")
    if psychologist is None:
        return
    referred_on = today - days(90)
    ClinicalReferral.objects.create(
        household=households[3],
        psychologist=psychologist,
        referred_by=manager,
        referred_on=referred_on,
    )
    for ago, text in zip((80, 20), DEMO_CLINICAL_NOTES, strict=True):
        moment = datetime.datetime.combine(
            today - days(ago), datetime.time(10, 30), tzinfo=datetime.UTC
        )
        ClinicalNote.objects.create(
            household=households[3], author=psychologist, written_at=moment, text=text
        )
