"""Hand-written cases whose numbers are known: boundaries of bands, birthdays, returns."""

import datetime

from seuil.reports.compute import (
    Facts,
    Household,
    LegalStatusRecord,
    Member,
    ResourceRecord,
    Stay,
    Unit,
    compute,
)

D = datetime.date
START, END = D(2023, 11, 1), D(2024, 10, 31)


def facts(**kwargs):
    return Facts(organisation="apremis", sectors=["nord"], **kwargs)


def test_exit_length_of_stay_bands_at_6_12_and_18_months():
    # 182 days = 5.98 months; 183 = 6.01; 365 = 11.99; 366 = 12.02; 547 = 17.97; 548 = 18.004
    lengths = [182, 183, 365, 366, 547, 548]
    exited = D(2024, 6, 1)
    stays = [
        Stay(i, i, 1, exited - datetime.timedelta(days), exited, "shelter")
        for i, days in enumerate(lengths, start=1)
    ]
    report = compute(facts(stays=stays), START, END)
    assert report["exits"]["length_of_stay"] == {
        "bands": {"<6": 1, "6-12": 2, "13-18": 2, ">18": 1},
        "mean_months": 12.0,  # 2191 / 6 days = 11.998 months
    }
    assert report["exits"]["destinations"]["shelter"]["households"] == 6


def test_present_length_of_stay_bands_at_6_and_12_months():
    stays = [
        Stay(1, 1, 1, END - datetime.timedelta(182)),
        Stay(2, 2, 1, END - datetime.timedelta(183)),
        Stay(3, 3, 1, END - datetime.timedelta(365)),
        Stay(4, 4, 1, END - datetime.timedelta(366)),
    ]
    report = compute(facts(stays=stays), START, END)
    assert report["present"]["length_of_stay"] == {
        "bands": {"<6": 1, "6-12": 2, ">12": 1},
        "mean_months": 9.0,  # 1096 / 4 = 274 days = 9.002 months
    }


def test_mean_of_length_of_stay_is_rounded_half_up():
    # 64 present stays totalling 487 days: a mean of exactly 0.25 month → 0.3 (half up;
    # Python's round() would give 0.2).
    stays = [Stay(i, i, 1, END - datetime.timedelta(8 if i <= 39 else 7)) for i in range(1, 65)]
    report = compute(facts(stays=stays), START, END)
    assert report["present"]["length_of_stay"]["mean_months"] == 0.3


def test_occupancy_rate_rounds_half_up_and_counts_a_unit_returned_the_last_day():
    # Unit 1: in stock all 366 days of the period; occupied 183 days → 0.5.
    # Unit 2: captured on the first day, returned on the last day: in stock 365 days,
    # not in stock at the end (neither vacant nor occupied), counted as returned.
    # Unit 3: captured on the last day: in stock 1 day, vacant at the end.
    units = [
        Unit(1, "T2", "nord", D(2020, 1, 1)),
        Unit(2, "T3", None, START, END),
        Unit(3, "room", "nord", END),
    ]
    stays = [Stay(1, 1, 1, D(2024, 5, 1))]  # 1 May → 31 Oct: 184 days occupied
    report = compute(facts(units=units, stays=stays), START, END)
    housing = report["housing"]
    assert housing["captured"]["units"] == 2
    assert housing["captured"]["by_typology"]["room"] == 1
    assert housing["returned"]["units"] == 1
    assert housing["returned"]["by_sector"] == {"nord": 0, "unknown": 1}
    assert housing["vacant_at_end"]["units"] == 1
    assert housing["vacant_at_end"]["by_typology"]["room"] == 1
    assert housing["occupied_at_end"]["units"] == 1
    # (184) / (366 + 365 + 1) = 0.251366… → 0.2514; average 732 / 366 = 2.0
    assert housing["occupancy_rate"] == 0.2514
    assert housing["average_units"] == 2.0


def test_exact_half_is_rounded_up():
    # 1 unit-day occupied out of 8: 0.125 → 2 decimals would be 0.13; the rate has 4
    # decimals so test average units: 8 unit-days... over 16 days = 0.5 → 0.5; and
    # 5 unit-days over 8 days is 0.625 → 0.63 (half up; Python's round gives 0.62).
    units = [Unit(1, "T1", "nord", D(2024, 1, 1), D(2024, 1, 6))]
    report = compute(facts(units=units), D(2024, 1, 1), D(2024, 1, 8))
    assert report["housing"]["average_units"] == 0.63
    assert report["housing"]["occupancy_rate"] == 0.0


def test_a_dwelling_split_into_rooms_is_not_itself_a_unit():
    units = [
        Unit(1, "T4", "nord", D(2020, 1, 1)),
        Unit(2, "room", "nord", D(2020, 1, 1), parent_id=1),
        Unit(3, "room", "nord", D(2020, 1, 1), parent_id=1),
    ]
    report = compute(facts(units=units, stays=[Stay(1, 1, 2, D(2024, 1, 1))]), START, END)
    assert report["housing"]["occupied_at_end"]["by_typology"]["room"] == 1
    assert report["housing"]["vacant_at_end"]["by_typology"] == {
        "room": 1,
        "T1": 0,
        "T2": 0,
        "T3": 0,
        "T4": 0,
        "T5": 0,
        "T6": 0,
        "unknown": 0,
    }


def test_age_on_the_birthday_and_for_a_29_february_birth():
    def members(*births):
        return [
            Member(1, i, "head" if i == 1 else "child", "F", birth)
            for i, birth in enumerate(births, start=1)
        ]

    stays = [Stay(1, 1, 1, D(2020, 1, 1))]
    # 18 on the reference date itself; 18 tomorrow; born 29 Feb 2008: 18 on 1 March 2026.
    born = members(D(1990, 1, 1), D(2006, 10, 31), D(2006, 11, 1))
    report = compute(facts(stays=stays, members=born), START, END)
    assert report["present"]["adult_children"] == 1
    assert report["present"]["age_bands"]["18-24"] == {"persons": 1, "adult_children": 1}
    assert report["present"]["age_bands"]["0-17"] == {"persons": 1, "adult_children": 0}
    leap = members(D(1990, 1, 1), D(2008, 2, 29))
    on_28 = compute(facts(stays=stays, members=leap), D(2025, 3, 1), D(2026, 2, 28))
    on_1 = compute(facts(stays=stays, members=leap), D(2025, 3, 2), D(2026, 3, 1))
    assert on_28["present"]["adult_children"] == 0
    assert on_1["present"]["adult_children"] == 1
    # Born 28 February 2006: 18 on 28 February 2024 (a leap year), not on the 29th.
    on_28_leap = compute(
        facts(stays=stays, members=members(D(1990, 1, 1), D(2006, 2, 28))),
        D(2023, 3, 1),
        D(2024, 2, 28),
    )
    assert on_28_leap["present"]["age_bands"]["18-24"]["adult_children"] == 1


def test_composition_legal_status_and_resources_of_a_known_household():
    members = [
        Member(1, 1, "head", "F", D(1985, 5, 5)),
        Member(
            1,
            2,
            "partner",
            "M",
            D(1983, 3, 3),
            joined_on=D(2024, 3, 1),
            joined_reason="family_reunification",
        ),
        Member(1, 3, "child", "", None, joined_on=D(2024, 6, 1), joined_reason="birth"),
        Member(1, 4, "child", "F", D(2010, 1, 1), left_on=D(2024, 9, 1)),
    ]
    statuses = [
        LegalStatusRecord(1, D(2022, 1, 1), "asylum_seeker"),
        LegalStatusRecord(1, D(2024, 10, 31), "refugee"),
    ]
    resources = [
        ResourceRecord(1, D(2023, 1, 1), ("rsa",)),
        ResourceRecord(1, D(2024, 11, 1), ("salary",)),
    ]
    report = compute(
        facts(
            stays=[Stay(1, 1, 1, D(2023, 12, 1), reinforced=True)],
            households=[Household(1, "street_or_115")],
            members=members,
            legal_statuses=statuses,
            resources=resources,
        ),
        START,
        END,
    )
    present, entries = report["present"], report["entries"]
    assert (present["households"], present["persons"], present["adults"], present["children"]) == (
        1,
        3,
        2,
        1,
    )
    assert present["composition"]["couple_with_children"] == {
        "households": 1,
        "children": 1,
        "adult_children": 0,
        "reinforced_support": 1,
    }
    assert present["legal_status"]["refugee"] == {"households": 1, "persons": 1}
    assert present["legal_status"]["unknown"] == {"households": 0, "persons": 2}
    assert present["resources"] == {
        "combinations": {"rsa": 1},
        "by_type": {t: int(t == "rsa") for t in present["resources"]["by_type"]},
        "unknown": 0,
    }
    # At entry (1 Dec 2023): the head and the older child, a woman with children.
    assert entries["composition"]["woman_with_children"]["households"] == 1
    assert entries["legal_status"]["asylum_seeker"] == {"households": 1, "persons": 1}
    assert (entries["persons_at_entry"], entries["persons_joined"], entries["births"]) == (2, 2, 1)
    assert entries["persons"] == 4
    assert entries["age_bands"]["unknown"]["persons"] == 1
    assert report["missing"] == {
        "sex": 1,
        "birth_date": 1,
        "legal_status": 3,
        "resources": 0,
        "prior_situation": 0,
    }
    assert all(check["ok"] for check in report["checks"])


def test_no_stay_gives_null_means_and_zero_tables():
    report = compute(facts(), START, END)
    assert report["present"]["length_of_stay"]["mean_months"] is None
    assert report["exits"]["length_of_stay"]["mean_months"] is None
    assert report["housing"]["occupancy_rate"] is None
    assert report["housing"]["average_units"] == 0.0
    assert report["present"]["prior_situation"]["unknown"] == 0
    assert all(check["ok"] for check in report["checks"])
