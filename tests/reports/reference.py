"""A deliberately simple, independent computation of the activity report, for tests.

Brute force on purpose: day-by-day loops, linear scans, ages counted birthday by birthday,
Fractions for months. It shares nothing with `seuil.reports.compute` but the input records
and the readings written at the top of that module (which it implements on its own).
"""

import datetime
from fractions import Fraction

DAY = datetime.timedelta(days=1)
MONTH = Fraction(304375, 10000)  # 30.4375 days

TYPOLOGY = ["room", "T1", "T2", "T3", "T4", "T5", "T6"]
COMPOSITION = [
    "single_woman",
    "single_man",
    "couple_without_children",
    "woman_with_children",
    "man_with_children",
    "couple_with_children",
    "other",
]
STATUS = [
    "refugee",
    "subsidiary_protection",
    "stateless",
    "regularised",
    "asylum_seeker",
    "french_or_eu",
    "other",
    "unknown",
]
BANDS = ["0-17", "18-24", "25-39", "40-59", "60+", "unknown"]
RESOURCE = [
    "salary",
    "rsa",
    "activity_bonus",
    "family_benefits",
    "aah",
    "aeeh",
    "unemployment_benefit",
    "training_pay",
    "asylum_allowance",
    "pension",
    "none",
    "other",
]
PRIOR = [
    "specialised_shelter",
    "general_shelter",
    "adapted_housing",
    "own_housing",
    "street_or_115",
    "hosted_by_third_party",
    "other",
    "unknown",
]
DESTINATION = [
    "social_landlord",
    "private_landlord",
    "outside_department",
    "other_programme",
    "shelter",
    "end_of_support",
    "other",
    "unknown",
]


def each_day(first, last):
    day = first
    while day <= last:
        yield day
        day += DAY


def half_up(value, places):
    """Round a non-negative Fraction half up, by integer arithmetic."""
    scaled = value * 10**places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return float(Fraction(whole, 10**places))


def age(birth, day):
    """Birthdays passed on or before `day`, counted one by one (29 Feb → 1 Mar)."""
    if birth is None:
        return None
    if birth > day:
        return -1
    years = 0
    while True:
        year = birth.year + years + 1
        try:
            birthday = birth.replace(year=year)
        except ValueError:
            birthday = datetime.date(year, 3, 1)
        if birthday > day:
            return years
        years += 1


def band(years):
    if years is None:
        return "unknown"
    for name, low, high in (
        ("0-17", -1000, 17),
        ("18-24", 18, 24),
        ("25-39", 25, 39),
        ("40-59", 40, 59),
    ):
        if low <= years <= high:
            return name
    return "60+"


def year_before(day):
    if day.month == 2 and day.day == 29:
        return datetime.date(day.year - 1, 2, 28)
    return datetime.date(day.year - 1, day.month, day.day)


class Reference:
    def __init__(self, facts):
        self.facts = facts

    # ------------------------------------------------------------- facts at a date
    def present(self, stay, day):
        return stay.entered_on <= day and (stay.exited_on is None or day < stay.exited_on)

    def members(self, household_id, day):
        return [
            m
            for m in self.facts.members
            if m.household_id == household_id
            and (m.joined_on is None or m.joined_on <= day)
            and (m.left_on is None or day < m.left_on)
        ]

    def status(self, person_id, day):
        best = None
        for record in self.facts.legal_statuses:
            if record.person_id == person_id and record.since <= day:
                if best is None or record.since >= best.since:
                    best = record
        if best is None or best.status not in STATUS:
            return "unknown"
        return best.status

    def resources(self, household_id, day):
        best = None
        for record in self.facts.resources:
            if record.household_id == household_id and record.on <= day:
                if best is None or record.on >= best.on:
                    best = record
        if best is None or len(best.types) == 0:
            return None
        return sorted(set(best.types))

    def prior(self, household_id):
        for household in self.facts.households:
            if household.id == household_id:
                return (
                    household.prior_situation if household.prior_situation in PRIOR else "unknown"
                )
        return "unknown"

    def composition(self, members):
        adults = [m for m in members if m.role != "child"]
        n_children = len([m for m in members if m.role == "child"])
        if len(adults) == 1 and adults[0].sex == "F":
            return "woman_with_children" if n_children > 0 else "single_woman"
        if len(adults) == 1 and adults[0].sex == "M":
            return "man_with_children" if n_children > 0 else "single_man"
        roles = sorted(m.role for m in adults)
        if roles == ["head", "partner"]:
            return "couple_without_children" if n_children == 0 else "couple_with_children"
        return "other"

    def scope_stays(self):
        return [s for s in self.facts.stays if s.in_scope]

    # ------------------------------------------------------------- housing
    def housing(self, start, end):
        parents = [u.parent_id for u in self.facts.units]
        units = [u for u in self.facts.units if u.in_scope and u.id not in parents]

        def in_stock(unit, day):
            return unit.captured_on <= day and (unit.returned_on is None or day < unit.returned_on)

        def occupied(unit, day):
            return in_stock(unit, day) and any(
                s.unit_id == unit.id and self.present(s, day) for s in self.facts.stays
            )

        def table(selected):
            by_typology = {t: 0 for t in TYPOLOGY + ["unknown"]}
            by_sector = {s: 0 for s in list(self.facts.sectors) + ["unknown"]}
            for unit in selected:
                typology = unit.typology if unit.typology in TYPOLOGY else "unknown"
                by_typology[typology] += 1
                sector = unit.sector if unit.sector in self.facts.sectors else "unknown"
                by_sector[sector] += 1
            return {"units": len(selected), "by_typology": by_typology, "by_sector": by_sector}

        captured = [u for u in units if start <= u.captured_on <= end]
        occupied_end = [u for u in units if occupied(u, end)]
        vacant_end = [u for u in units if in_stock(u, end) and not occupied(u, end)]
        returned = [u for u in units if u.returned_on is not None and start <= u.returned_on <= end]
        transferred = 0
        for unit in returned:
            for stay in self.facts.stays:
                if (
                    stay.unit_id == unit.id
                    and stay.lease_transferred
                    and stay.exited_on == unit.returned_on
                ):
                    transferred += 1
                    break
        stock_days = occupied_days = 0
        for day in each_day(start, end):
            for unit in units:
                stock_days += in_stock(unit, day)
                occupied_days += occupied(unit, day)
        returned_table = table(returned)
        days = len(list(each_day(start, end)))
        return {
            "captured": table(captured),
            "vacant_at_end": table(vacant_end),
            "occupied_at_end": table(occupied_end),
            "returned": {
                "units": returned_table["units"],
                "lease_transferred": transferred,
                "by_typology": returned_table["by_typology"],
                "by_sector": returned_table["by_sector"],
            },
            "occupancy_rate": half_up(Fraction(occupied_days, stock_days), 4)
            if stock_days
            else None,
            "average_units": half_up(Fraction(stock_days, days), 2),
        }

    # ------------------------------------------------------------- tables
    def tables(self, rows, joiners=()):
        """rows: (household_id, day, reinforced); joiners: memberships counted at joined_on."""
        out = {
            "households": 0,
            "persons": 0,
            "adults": 0,
            "children": 0,
            "adult_children": 0,
            "reinforced_support": 0,
            "composition": {
                c: {"households": 0, "children": 0, "adult_children": 0, "reinforced_support": 0}
                for c in COMPOSITION
            },
            "legal_status": {s: {"households": 0, "persons": 0} for s in STATUS},
            "age_bands": {b: {"persons": 0, "adult_children": 0} for b in BANDS},
            "resources": {"combinations": {}, "by_type": {t: 0 for t in RESOURCE}, "unknown": 0},
            "prior_situation": {p: 0 for p in PRIOR},
            "counted_persons": [],
            "unknown_status": [],
            "unknown_resources": [],
            "households_seen": [],
        }
        for household_id, day, reinforced in rows:
            members = self.members(household_id, day)
            out["households"] += 1
            out["households_seen"].append(household_id)
            out["persons"] += len(members)
            children = [m for m in members if m.role == "child"]
            adult_children = [
                m for m in children if m.birth_date is not None and age(m.birth_date, day) >= 18
            ]
            out["adults"] += len(members) - len(children)
            out["children"] += len(children)
            out["adult_children"] += len(adult_children)
            out["reinforced_support"] += 1 if reinforced else 0
            row = out["composition"][self.composition(members)]
            row["households"] += 1
            row["children"] += len(children)
            row["adult_children"] += len(adult_children)
            row["reinforced_support"] += 1 if reinforced else 0
            heads = [m for m in members if m.role == "head"]
            head_status = self.status(heads[0].person_id, day) if heads else "unknown"
            out["legal_status"][head_status]["households"] += 1
            for member in members:
                status = self.status(member.person_id, day)
                out["legal_status"][status]["persons"] += 1
                if status == "unknown":
                    out["unknown_status"].append(member.person_id)
                b = band(age(member.birth_date, day))
                out["age_bands"][b]["persons"] += 1
                if member in adult_children:
                    out["age_bands"][b]["adult_children"] += 1
                out["counted_persons"].append(member)
            types = self.resources(household_id, day)
            if types is None:
                out["resources"]["unknown"] += 1
                out["unknown_resources"].append(household_id)
            else:
                key = "+".join(types)
                combos = out["resources"]["combinations"]
                combos[key] = combos.get(key, 0) + 1
                for t in types:
                    if t in RESOURCE:
                        out["resources"]["by_type"][t] += 1
            out["prior_situation"][self.prior(household_id)] += 1
        for member in joiners:
            years = age(member.birth_date, member.joined_on)
            b = band(years)
            out["age_bands"][b]["persons"] += 1
            if member.role == "child" and years is not None and years >= 18:
                out["age_bands"][b]["adult_children"] += 1
            out["counted_persons"].append(member)
        out["resources"]["combinations"] = dict(sorted(out["resources"]["combinations"].items()))
        return out

    # ------------------------------------------------------------- sections
    def present_rows(self, day):
        by_household = {}
        for stay in self.scope_stays():
            if self.present(stay, day):
                by_household.setdefault(stay.household_id, []).append(stay)
        rows = []
        for household_id, stays in by_household.items():
            first = sorted(stays, key=lambda s: (s.entered_on, s.id))[0]
            reinforced = any(s.reinforced for s in stays)
            evicted = any(
                e.stay_id == s.id
                and e.started_on <= day
                and (e.ended_on is None or day < e.ended_on)
                for s in stays
                for e in self.facts.evictions
            )
            rows.append((household_id, first, reinforced, evicted))
        return rows

    def present_section(self, day):
        rows = self.present_rows(day)
        t = self.tables([(h, day, r) for h, _, r, _ in rows])
        bands = {"<6": 0, "6-12": 0, ">12": 0}
        months = []
        for _, stay, _, _ in rows:
            m = Fraction((day - stay.entered_on).days) / MONTH
            months.append(m)
            bands["<6" if m < 6 else "6-12" if m <= 12 else ">12"] += 1
        section = {
            "households": t["households"],
            "persons": t["persons"],
            "adults": t["adults"],
            "children": t["children"],
            "adult_children": t["adult_children"],
            "reinforced_support": t["reinforced_support"],
            "eviction_procedure": len([r for r in rows if r[3]]),
            "composition": t["composition"],
            "legal_status": t["legal_status"],
            "age_bands": t["age_bands"],
            "resources": t["resources"],
            "prior_situation": t["prior_situation"],
            "length_of_stay": {
                "bands": bands,
                "mean_months": half_up(sum(months) / len(months), 1) if months else None,
            },
        }
        return section, t

    def joiners(self, start, end):
        found = []
        for member in self.facts.members:
            if member.joined_on is None or not (start <= member.joined_on <= end):
                continue
            for stay in self.scope_stays():
                if (
                    stay.household_id == member.household_id
                    and stay.entered_on < member.joined_on
                    and self.present(stay, member.joined_on)
                ):
                    found.append(member)
                    break
        return found

    def entries_section(self, start, end):
        stays = [s for s in self.scope_stays() if start <= s.entered_on <= end]
        joiners = self.joiners(start, end)
        t = self.tables([(s.household_id, s.entered_on, s.reinforced) for s in stays], joiners)
        section = {
            "households": t["households"],
            "persons_at_entry": t["persons"],
            "persons_joined": len(joiners),
            "births": len([m for m in joiners if m.joined_reason == "birth"]),
            "persons": t["persons"] + len(joiners),
            "composition": t["composition"],
            "legal_status": t["legal_status"],
            "age_bands": t["age_bands"],
            "resources": t["resources"],
            "prior_situation": t["prior_situation"],
        }
        return section, t

    def exits_section(self, start, end):
        stays = [
            s for s in self.scope_stays() if s.exited_on is not None and start <= s.exited_on <= end
        ]
        t = self.tables([(s.household_id, s.exited_on - DAY, s.reinforced) for s in stays])
        bands = {"<6": 0, "6-12": 0, "13-18": 0, ">18": 0}
        months = []
        destinations = {
            d: {"households": 0, "lease_transferred": 0, "reinforced_support": 0}
            for d in DESTINATION
        }
        for stay in stays:
            m = Fraction((stay.exited_on - stay.entered_on).days) / MONTH
            months.append(m)
            if m < 6:
                bands["<6"] += 1
            elif m <= 12:
                bands["6-12"] += 1
            elif m <= 18:
                bands["13-18"] += 1
            else:
                bands[">18"] += 1
            code = stay.exit_destination if stay.exit_destination in DESTINATION else "unknown"
            destinations[code]["households"] += 1
            destinations[code]["lease_transferred"] += 1 if stay.lease_transferred else 0
            destinations[code]["reinforced_support"] += 1 if stay.reinforced else 0
        section = {
            "households": t["households"],
            "persons": t["persons"],
            "composition": t["composition"],
            "legal_status": t["legal_status"],
            "age_bands": t["age_bands"],
            "length_of_stay": {
                "bands": bands,
                "mean_months": half_up(sum(months) / len(months), 1) if months else None,
            },
            "destinations": destinations,
        }
        return section, t

    def report(self, start, end):
        present, t1 = self.present_section(end)
        entries, t2 = self.entries_section(start, end)
        exits, t3 = self.exits_section(start, end)
        previous_start, previous_end = year_before(start), year_before(end)
        previous_present, _ = self.present_section(previous_end)
        previous_entries, _ = self.entries_section(previous_start, previous_end)
        previous_exits, _ = self.exits_section(previous_start, previous_end)
        persons = {}
        for t in (t1, t2, t3):
            for member in t["counted_persons"]:
                persons[member.person_id] = member
        households = set(t1["households_seen"] + t2["households_seen"] + t3["households_seen"])
        missing = {
            "sex": len([m for m in persons.values() if m.sex not in ("F", "M", "X")]),
            "birth_date": len([m for m in persons.values() if m.birth_date is None]),
            "legal_status": len(
                set(t1["unknown_status"] + t2["unknown_status"] + t3["unknown_status"])
            ),
            "resources": len(
                set(t1["unknown_resources"] + t2["unknown_resources"] + t3["unknown_resources"])
            ),
            "prior_situation": len([h for h in households if self.prior(h) == "unknown"]),
        }
        return {
            "format": "seuil-activity-report/1",
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "scope": {
                "organisation": self.facts.organisation,
                "programmes": sorted(self.facts.programmes),
            },
            "housing": self.housing(start, end),
            "present": present,
            "entries": entries,
            "exits": exits,
            "previous": {
                "present": {
                    "households": previous_present["households"],
                    "persons": previous_present["persons"],
                },
                "entries": {
                    "households": previous_entries["households"],
                    "persons": previous_entries["persons"],
                },
                "exits": {
                    "households": previous_exits["households"],
                    "persons": previous_exits["persons"],
                },
            },
            "missing": missing,
        }


def reference_report(facts, start, end):
    return Reference(facts).report(start, end)
