"""The `support` section of the activity report (DOMAIN.md §4 item 7): known cases, then
random exchange files imported and reported, compared with a brute-force reading of the
definitions written here from the DOMAIN text (and nothing of Seuil's own rules)."""

import calendar
import datetime
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.exchange.importer import import_exchange
from seuil.reports.facts import activity_report
from seuil.reports.support_figures import (
    ContactFact,
    ContractFact,
    ObjectiveFact,
    StayFact,
    SupportFacts,
    support_section,
)
from tests.conftest import examples

D = datetime.date
START, END = D(2024, 1, 1), D(2024, 12, 31)
KINDS = [
    "office_appointment",
    "home_visit",
    "joint_home_visit",
    "phone",
    "partner_meeting",
    "other",
]
DOMAINS = [
    "housing",
    "budget",
    "employment",
    "training",
    "french",
    "health",
    "parenting",
    "family_reunification",
    "administrative",
    "mobility",
    "other",
]
OUTCOMES = ["achieved", "partly_achieved", "not_achieved", "abandoned"]


# ---------------------------------------------------------------- known cases


def test_an_empty_period_lists_every_code_and_has_no_mean():
    section = support_section(SupportFacts(), START, END)
    assert section == {
        "contracts_signed": 0,
        "amendments_signed": 0,
        "mean_days_entry_to_contract": None,
        "contracts_signed_late": 0,
        "present_without_contract": 0,
        "contacts": dict.fromkeys(KINDS, 0),
        "households_visited_at_home": 0,
        "objectives": {"set": dict.fromkeys(DOMAINS, 0), "closed": dict.fromkeys(OUTCOMES, 0)},
    }


def test_contracts_amendments_delays_and_households_without_contract():
    stays = [
        StayFact(1, 10, D(2023, 11, 15)),  # present at end, contract amended in time
        StayFact(2, 20, D(2024, 3, 1)),  # present at end, amendment signed after the end
        StayFact(3, 30, D(2024, 2, 1), D(2024, 6, 1)),  # gone before the end
        StayFact(4, 40, D(2024, 12, 1)),  # present at end, contract signed after the end
    ]
    contracts = [
        ContractFact(
            1,
            D(2023, 12, 1),
            D(2023, 12, 1),
            D(2024, 5, 31),
            ((D(2024, 5, 20), D(2024, 11, 30)), (D(2024, 11, 15), D(2025, 5, 14))),
        ),
        ContractFact(
            2, D(2024, 4, 5), D(2024, 4, 5), D(2024, 10, 4), ((D(2025, 1, 2), D(2025, 4, 4)),)
        ),
        ContractFact(3, D(2024, 2, 11), D(2024, 2, 11), D(2024, 8, 10)),
        ContractFact(4, D(2025, 1, 5), D(2025, 1, 5), D(2025, 7, 4)),
    ]
    section = support_section(SupportFacts(stays=stays, contracts=contracts), START, END)
    assert section["contracts_signed"] == 2  # stays 2 and 3
    assert section["amendments_signed"] == 2  # both of stay 1; not the one of 2025
    # (35 days + 10 days) / 2
    assert section["mean_days_entry_to_contract"] == 22.5
    assert section["contracts_signed_late"] == 1
    # Stay 2: its end as known on 31/12 is 04/10/2024; stay 4: not signed yet.
    assert section["present_without_contract"] == 2


def test_contacts_count_on_days_of_presence_entry_day_yes_exit_day_no():
    stays = [StayFact(1, 10, D(2024, 3, 1), D(2024, 9, 1)), StayFact(2, 20, D(2023, 1, 1))]
    contacts = [
        ContactFact(10, D(2024, 3, 1), "home_visit"),  # entry day: counted
        ContactFact(10, D(2024, 8, 31), "joint_home_visit"),  # last day: counted
        ContactFact(10, D(2024, 9, 1), "home_visit"),  # exit day: not present
        ContactFact(10, D(2024, 2, 29), "phone"),  # before the entry
        ContactFact(20, D(2023, 12, 31), "phone"),  # before the period
        ContactFact(20, D(2024, 12, 31), "phone"),  # last day of the period
        ContactFact(99, D(2024, 6, 1), "phone"),  # a household without a stay in scope
    ]
    section = support_section(SupportFacts(stays=stays, contacts=contacts), START, END)
    assert section["contacts"] == {
        **dict.fromkeys(KINDS, 0),
        "home_visit": 1,
        "joint_home_visit": 1,
        "phone": 1,
    }
    assert section["households_visited_at_home"] == 1


def test_objectives_follow_the_presence_on_the_day_they_were_set():
    stays = [StayFact(1, 10, D(2023, 1, 1), D(2024, 2, 1))]
    objectives = [
        ObjectiveFact(10, "budget", D(2023, 5, 1), D(2024, 3, 1), "achieved"),  # closed in period
        ObjectiveFact(10, "french", D(2024, 1, 15)),  # set in the period
        ObjectiveFact(10, "housing", D(2024, 2, 1), D(2024, 4, 1), "abandoned"),  # exit day
        ObjectiveFact(10, "health", D(2022, 6, 1), D(2024, 5, 1), "achieved"),  # before entry
    ]
    section = support_section(SupportFacts(stays=stays, objectives=objectives), START, END)
    assert section["objectives"]["set"]["french"] == 1
    assert sum(section["objectives"]["set"].values()) == 1
    assert section["objectives"]["closed"] == {**dict.fromkeys(OUTCOMES, 0), "achieved": 1}


# ---------------------------------------------------------------- the reference


def reference_support(data, programmes, start, end):
    """The section read literally from DOMAIN.md §4 item 7, on the exchange file itself."""

    def in_period(day):
        return day is not None and start <= day <= end

    def present(stay, day):
        return stay["entered_on"] <= day and (stay["exited_on"] is None or stay["exited_on"] > day)

    stays = [s for s in data["stays"] if not programmes or s["programme"] in programmes]
    by_ref = {s["ref"]: s for s in stays}
    contracts = [c for c in data["support_contracts"] if c["stay"] in by_ref]

    signed = [c for c in contracts if in_period(c["signed_on"])]
    delays = [(c["signed_on"] - by_ref[c["stay"]]["entered_on"]).days for c in signed]

    def end_as_known(contract, day):
        known = [a for a in contract["amendments"] if a["signed_on"] <= day]
        if not known:
            return contract["ends_on"]
        # "its last amendment signed on or before D"; a later one moves the end later.
        return max(known, key=lambda a: (a["signed_on"], a["ends_on"]))["ends_on"]

    def in_force(contract, day):
        return contract["signed_on"] <= day and contract["starts_on"] <= day <= end_as_known(
            contract, day
        )

    without = set()
    for stay in stays:
        if present(stay, end) and not any(
            in_force(c, end) for c in contracts if c["stay"] == stay["ref"]
        ):
            without.add(stay["household"])

    def household_present(household, day):
        return any(s["household"] == household and present(s, day) for s in stays)

    counted = [
        k
        for k in data["contacts"]
        if in_period(k["on"]) and household_present(k["household"], k["on"])
    ]
    objectives = [o for o in data["objectives"] if household_present(o["household"], o["set_on"])]
    mean = None
    if delays:  # one decimal, a half away from zero
        mean = float(
            (Decimal(sum(delays)) / len(delays)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        )
    return {
        "contracts_signed": len(signed),
        "amendments_signed": sum(
            1 for c in contracts for a in c["amendments"] if in_period(a["signed_on"])
        ),
        "mean_days_entry_to_contract": mean,
        "contracts_signed_late": sum(1 for d in delays if d > 30),
        "present_without_contract": len(without),
        "contacts": {kind: sum(1 for k in counted if k["kind"] == kind) for kind in KINDS},
        "households_visited_at_home": len(
            {k["household"] for k in counted if k["kind"] in ("home_visit", "joint_home_visit")}
        ),
        "objectives": {
            "set": {
                domain: sum(
                    1 for o in objectives if o["domain"] == domain and in_period(o["set_on"])
                )
                for domain in DOMAINS
            },
            "closed": {
                outcome: sum(
                    1 for o in objectives if o["outcome"] == outcome and in_period(o["closed_on"])
                )
                for outcome in OUTCOMES
            },
        },
    }


# ---------------------------------------------------------------- random files

BASE = D(2021, 1, 1)
CAPS = {"p1": 18, "p2": None}


def add_months(day, months):
    """The M-month anniversary, the month's last day when the day does not exist."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@st.composite
def support_data(draw):
    """A valid file (stays dense around the period, contracts within the caps, contacts
    and objectives on entry and exit days and outside the stays) and a period."""
    start = BASE + timedelta(days=draw(st.integers(150, 700)))
    end = start + timedelta(days=draw(st.sampled_from([0, 30, 364, 365, 500])))
    stays, units, households = [], [], []
    contracts, contacts, objectives = [], [], []
    special = [start, end, start - timedelta(days=1), end + timedelta(days=1)]
    for h in range(draw(st.integers(1, 5))):
        households.append({"ref": f"H{h}", "members": [{"ref": f"P{h}", "role": "head"}]})
        cursor = BASE + timedelta(days=draw(st.integers(0, 400)))
        household_days = []
        for n in range(draw(st.integers(1, 3))):
            entered = cursor + timedelta(days=draw(st.integers(0, 150)))
            exited = None
            if n < 2 and draw(st.booleans()):
                exited = entered + timedelta(days=draw(st.integers(0, 500)))
            ref = f"S{h}-{n}"
            programme = draw(st.sampled_from(["p1", "p2"]))
            units.append({"ref": f"L{ref}", "typology": "T2", "captured_on": "2020-01-01"})
            stays.append(
                {
                    "ref": ref,
                    "household": f"H{h}",
                    "unit": f"L{ref}",
                    "programme": programme,
                    "entered_on": entered,
                    "exited_on": exited,
                }
            )
            household_days += [entered, entered - timedelta(days=1)]
            if exited:
                household_days += [exited, exited - timedelta(days=1)]
            cap = CAPS[programme]
            last = add_months(entered, cap) - timedelta(days=1) if cap else None
            for c in range(draw(st.integers(0, 2))):
                starts = entered + timedelta(days=draw(st.integers(0, 40)))
                ends = starts + timedelta(days=draw(st.integers(0, 250)))
                if last is not None:
                    if starts > last:
                        continue
                    ends = min(ends, last)
                signed = entered + timedelta(days=draw(st.integers(-10, 70)))
                amendments = []
                signed_amendment = signed
                for a in range(draw(st.integers(0, 3))):
                    signed_amendment += timedelta(days=draw(st.integers(0, 200)))
                    new_end = ends + timedelta(days=draw(st.integers(1, 200)))
                    if last is not None and new_end > last:
                        break
                    amendments.append(
                        {
                            "ref": f"A{ref}-{c}-{a}",
                            "signed_on": signed_amendment,
                            "ends_on": new_end,
                        }
                    )
                    ends = new_end
                own_end = ends if not amendments else None
                if own_end is None:
                    first = amendments[0]["ends_on"]
                    span = (first - starts).days - 1
                    own_end = starts + timedelta(days=draw(st.integers(0, max(span, 0))))
                contracts.append(
                    {
                        "ref": f"C{ref}-{c}",
                        "stay": ref,
                        "signed_on": signed,
                        "starts_on": starts,
                        "ends_on": own_end,
                        "amendments": amendments,
                    }
                )
            if exited is None:
                break
            cursor = exited
        days = st.one_of(
            st.sampled_from(household_days + special),
            st.integers(0, 1400).map(lambda d: BASE + timedelta(days=d)),
        )
        for k in range(draw(st.integers(0, 6))):
            contacts.append(
                {
                    "ref": f"K{h}-{k}",
                    "household": f"H{h}",
                    "on": draw(days),
                    "kind": draw(st.sampled_from(KINDS)),
                }
            )
        for o in range(draw(st.integers(0, 4))):
            set_on = draw(days)
            closed_on = None
            if draw(st.booleans()):
                closed_on = set_on + timedelta(days=draw(st.integers(0, 500)))
            objectives.append(
                {
                    "ref": f"O{h}-{o}",
                    "household": f"H{h}",
                    "domain": draw(st.sampled_from(DOMAINS)),
                    "set_on": set_on,
                    "closed_on": closed_on,
                    "outcome": draw(st.sampled_from(OUTCOMES)) if closed_on else None,
                }
            )
    data = {
        "stays": stays,
        "households": households,
        "housing_units": units,
        "support_contracts": contracts,
        "contacts": contacts,
        "objectives": objectives,
    }
    programmes = draw(st.sampled_from([[], ["p1"], ["p2"], ["p1", "p2"]]))
    return data, programmes, start, end


def as_file(data):
    """The exchange file of `data` (dates as ISO text)."""

    def iso(value):
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list):
            return [iso(v) for v in value]
        if isinstance(value, dict):
            return {k: iso(v) for k, v in value.items()}
        return value

    return {
        "format": "seuil-exchange/1",
        "organisation": {"ref": "hypo-support", "name": "Association"},
        "programmes": [
            {"ref": ref, "name": ref, "max_support_months": cap} for ref, cap in CAPS.items()
        ],
        **iso(data),
    }


@pytest.mark.django_db
@settings(
    max_examples=examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(support_data())
def test_the_section_equals_the_reference_on_random_files(case):
    from django.db import transaction

    data, programmes, start, end = case
    with transaction.atomic():
        import_exchange(as_file(data))
        report = activity_report("hypo-support", programmes, start, end)
        transaction.set_rollback(True)
    expected = reference_support(data, programmes, start, end)
    assert report["support"] == expected
    assert all(c["ok"] for c in report["checks"])
