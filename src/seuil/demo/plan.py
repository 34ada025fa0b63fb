"""The demo planned in plain Python (no database), then checked against the rules of
`seuil.housing.invariants`: the same seed and the same `today` give the same plan."""

import datetime
import random

from seuil.housing import invariants

from . import households, housing
from .common import days
from .households import FEATURED

DEMO_SEED = 80021


class Plan:
    """Units, households and their stays as plain dicts, drawn from one seeded generator."""

    def __init__(self, today, seed):
        self.today = today
        # Reproducible fake demo data, not a security use (bandit B311).
        self.rng = random.Random(seed)  # nosec B311
        self.start = today - days(5 * 365 + 1)
        self.units = []
        self.households = []
        self.featured = dict(FEATURED)


def plan_demo(today, seed=DEMO_SEED):
    """The demo as plain data: units and households with their dated facts."""
    plan = Plan(today, seed)
    housing.plan_stock(plan)
    households.plan_waiting(plan)
    households.ensure_a_member_leaves(plan)
    housing.add_eviction_procedure(plan)
    plan.households.sort(key=lambda h: h["stay"]["entered_on"] if h["stay"] else datetime.date.max)
    return plan


def check_plan(plan):
    """The invariants of `seuil.housing.invariants`, on the plan; returns French messages."""
    units = {u["ref"]: u for u in plan.units}
    errors = []
    stays = [h["stay"] for h in plan.households if h["stay"]]
    for key in ("unit", "household"):
        items = [
            (s["unit"] if key == "unit" else id(h), s["entered_on"], s["exited_on"], s["unit"])
            for h in plan.households
            if (s := h["stay"])
        ]
        errors += [f"{key}: {a} / {b}" for a, b in invariants.find_overlaps(items)]
    for s in stays:
        unit = units[s["unit"]]
        errors += invariants.stay_dates_errors(s["entered_on"], s["exited_on"])
        errors += invariants.stay_stock_errors(
            s["entered_on"], s["exited_on"], unit["captured_on"], unit["returned_on"]
        )
        if s["entered_on"] > plan.today:
            errors.append(f"{s['unit']}: entrée après aujourd'hui")
    for h in plan.households:
        for m in h["members"]:
            errors += invariants.membership_dates_errors(m["joined_on"], m["left_on"])
    return errors
