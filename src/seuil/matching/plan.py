"""What a run's page shows: every vacant unit with the household each plan gives it,
"pourquoi ce ménage pour ce logement" (the score's components, explained), the households
left without a home and why, the plans side by side and the fairness report. Written from
the run's instance and plans once, when it finishes (`store_page`), and read a page at a
time (`describe`)."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from seuil.core.wording import plural
from seuil.households.enums import MemberRole
from seuil.households.models import Membership
from seuil.orientation.models import Proposal, Referral, Vacancy

from .enums import (
    COMPONENT_LABELS,
    FAIRNESS_GROUPS,
    LEFT_OUT_LABELS,
    METHOD_LABELS,
    RULE_LABELS,
    UNASSIGNED_LABELS,
)
from .instance import DEFAULT_OCCUPANCY
from .models import RunRow
from .scoring import WAITING_FULL_DAYS

METHODS = ("optimal", "greedy", "serial")
UNITS_PER_PAGE = 50  # vacant units a page of a run shows
SHOWN = 200  # households left without a home (or left out) a run names, stored
UNASSIGNED_PER_PAGE = 50  # of those households left without a home, shown a page at a time


def _number(value, digits=2):
    return f"{value:.{digits}f}".replace(".", ",")


def _percent(rate):
    return "—" if rate is None else f"{_number(100 * rate, 1)} %"


def _persons(count):
    return plural(count, "personne")


@dataclass
class Pair:
    household: dict
    referral: Referral | None
    score: int
    reasons: list = field(default_factory=list)  # [(label, points, explanation)]
    proposal: Proposal | None = None
    unit_ref: str = ""

    @property
    def token(self):
        return f"{self.household['ref']}|{self.unit_ref}"


@dataclass
class UnitRow:
    unit: dict
    vacancy: Vacancy | None
    pairs: dict  # method → Pair or None


def explain(household, unit, components, context):
    """[(label, points, explanation)] of a pair's score, component by component."""
    wishes, territory = household.get("wishes", []), unit["territory"]
    if not wishes:
        wish = "Aucun territoire souhaité : la moitié des points"
    elif territory in wishes:
        rank = wishes.index(territory) + 1
        wish = f"{rank}{'er' if rank == 1 else 'e'} souhait sur {len(wishes)} ({territory})"
    else:
        wish = f"Hors des territoires souhaités ({territory})"
    employment = context["employment"].get(territory)
    if territory in household.get("employment", {}):
        employment_text = f"Emploi ou promesse d'embauche du ménage dans le {territory}"
    elif employment is not None:
        employment_text = f"Perspectives d'emploi du {territory} : {_number(employment)}"
    else:
        employment_text = f"Pas de donnée d'emploi pour le {territory}"
    persons = household["adults"] + household["children"]
    largest = context["occupancy"].get(unit["typology"], DEFAULT_OCCUPANCY["T6"])[1]
    texts = {
        "wish": wish,
        "employment": employment_text,
        "priority": f"{household['priority_points']} points de priorité "
        f"(le plus haut de l'appariement : {context['max_priority']})",
        "waiting": f"{household['waiting_days']} jours d'attente "
        f"(tous les points à {WAITING_FULL_DAYS} jours)",
        "size_fit": f"{_persons(persons)} pour un logement {unit['typology']} "
        f"(jusqu'à {largest} personnes)",
    }
    return [(COMPONENT_LABELS[k], components.get(k, 0), texts[k]) for k in COMPONENT_LABELS]


def _context(instance):
    return {
        "employment": {t["code"]: t["employment_score"] for t in instance.get("territories", [])},
        "occupancy": instance.get("rules", {}).get("occupancy", DEFAULT_OCCUPANCY),
        "max_priority": max((h["priority_points"] for h in instance["households"]), default=0),
    }


def _summary(results):
    best = results["optimal"]["objective"]
    households = len(results["optimal"]["assignments"]) + len(
        results["optimal"]["unassigned_households"]
    )
    rows = []
    for method in METHODS:
        result = results[method]
        placed = len(result["assignments"])
        rows.append(
            {
                "method": method,
                "label": METHOD_LABELS[method],
                "placed": placed,
                "households": households,
                "rate": round(100 * placed / households, 1) if households else None,
                "objective": result["objective"],
                "share": round(100 * result["objective"] / best, 1) if best else None,
                "mean_score": round(result["objective"] / placed) if placed else None,
            }
        )
    return rows


def _fairness(results):
    tables = []
    for key, (title, labels, unit) in FAIRNESS_GROUPS.items():
        groups = results["optimal"]["fairness"][key]
        rows = []
        for name, optimal in groups.items():
            label = labels.get(name) or (plural(name, unit) if unit else name)
            rows.append(
                {
                    "label": label,
                    "households": optimal["households"],
                    "rates": [
                        _percent(results[m]["fairness"][key][name]["placement_rate"])
                        for m in METHODS
                    ],
                    "mean_wish_rank": optimal["mean_wish_rank"],
                    "mean_score": optimal["mean_score"],
                }
            )
        tables.append({"title": title, "rows": rows})
    return tables


def _constraint_cell(report):
    done = "respecté" if report["satisfied"] else "non respecté"
    if "band_placements" in report:
        logged = plural(report["placements"], "ménage logé,ménages logés")
        return f"{done} : {report['band_placements']} sur {logged}"
    return f"{done} : {plural(report['placements'], 'ménage logé,ménages logés')}"


def _constraints(results):
    """Rows (label, [cell per plan]) of the side constraints the run asked, and the optimal
    plan's certified gap to the best possible plan (None when exact)."""
    asked = results["optimal"].get("constraints")
    if not asked:
        return [], None
    rows = []
    share = asked.get("min_priority_share")
    if share:
        label = (
            f"Au moins {_number(100 * share['share'], 0)} % des ménages logés ont au moins "
            f"{_number(share['min_points'], 0)} points de priorité "
            f"({share['band_households']} ménages en attente)"
        )
        rows.append(
            (
                label,
                [
                    _constraint_cell(results[m]["constraints"]["min_priority_share"])
                    for m in METHODS
                ],
            )
        )
    for code, quota in asked.get("territory_quotas", {}).items():
        cells = [
            _constraint_cell(results[m]["constraints"]["territory_quotas"][code]) for m in METHODS
        ]
        most = plural(quota["max"], "ménage logé,ménages logés")
        rows.append((f"Au plus {most} dans le {code}", cells))
    gap = results["optimal"].get("gap") or None
    return rows, gap and f"{_number(100 * gap, 4)} %"


HOUSEHOLD_SHOWN = ("ref", "adults", "children", "max_rent")  # what a page says of a household


def _household(household):
    return {key: household[key] for key in HOUSEHOLD_SHOWN}


def store_page(run):
    """Write what the page of the finished `run` shows, from its instance and plans: its
    figures (`run.shown`, saved by the caller) and its rows (`RunRow`), each vacant unit
    with every plan's household and the optimal pair's score explained, and the first
    `SHOWN` households left without a home. Done once, when the run finishes."""
    instance, results = run.instance, run.results
    households = {h["ref"]: h for h in instance["households"]}
    referral_ids = run.links.get("households", {})
    unit_ids = run.links.get("units", {})
    optimal = results["optimal"]
    by_unit = {method: {} for method in METHODS}
    for method in METHODS:
        for assignment in results[method]["assignments"]:
            by_unit[method][assignment["unit"]] = assignment
    context = _context(instance)
    rows = []
    for position, unit in enumerate(instance["units"], start=1):
        pairs = {}
        for method in METHODS:
            assignment = by_unit[method].get(unit["ref"])
            if assignment is None:
                pairs[method] = None
                continue
            household = households[assignment["household"]]
            pairs[method] = {
                "household": _household(household),
                "referral_id": referral_ids.get(household["ref"]),
                "score": assignment["score"],
                "reasons": explain(household, unit, assignment["components"], context),
            }
        data = {"unit": unit, "vacancy_id": unit_ids.get(unit["ref"]), "pairs": pairs}
        rows.append(RunRow(run=run, kind=RunRow.UNIT, position=position, data=data))
    unassigned_refs = optimal["unassigned_households"]
    reason_of = optimal["unassigned_reasons"]
    for position, ref in enumerate(unassigned_refs[:SHOWN], start=1):
        data = {
            "household": _household(households[ref]),
            "referral_id": referral_ids.get(ref),
            "reason": UNASSIGNED_LABELS.get(reason_of.get(ref), "—"),
        }
        rows.append(RunRow(run=run, kind=RunRow.UNASSIGNED, position=position, data=data))
    RunRow.objects.filter(run=run).delete()
    RunRow.objects.bulk_create(rows, batch_size=1000)
    constraint_rows, gap = _constraints(results)
    reasons = Counter(UNASSIGNED_LABELS.get(reason_of.get(ref), "—") for ref in unassigned_refs)
    run.shown = {
        "unassigned_by_reason": sorted(reasons.items(), key=lambda pair: (-pair[1], pair[0])),
        "constraints": constraint_rows,
        "gap": gap,
        "unassigned_total": len(unassigned_refs),
        "left_out": run.left_out[:SHOWN],
        "left_out_total": len(run.left_out),
        "summary": _summary(results),
        "fairness": _fairness(results),
        "territories": optimal.get("territories", {}),
        "excluded": [
            (RULE_LABELS[rule], count) for rule, count in optimal["excluded_pairs_by_rule"].items()
        ],
        "eligible_pairs": optimal["eligible_pairs"],
    }


def describe(run, page=1, unassigned_page=1):
    """What the page of a finished run shows: page `page` of the vacant units (`UNITS_PER_PAGE`
    rows as `page_obj`), page `unassigned_page` of the first `SHOWN` households left without
    a home (`UNASSIGNED_PER_PAGE` as `unassigned_page`), the first `SHOWN` left out.

    Read from what `store_page` wrote when the run finished (written now for a run finished
    before): the run's figures and the rows of the page, then the records of what is shown
    (referrals, vacancies, the run's proposals): the same queries whatever the run's size,
    never its instance or plans."""
    if not run.shown:
        store_page(run)
        run.save(update_fields=["shown"])
    shown = run.shown
    # The page's units and households without a home, in one query; every unit of the
    # instance has its row (`MatchingRun.units_count`), the first `SHOWN` households theirs.
    page_obj = Paginator(range(run.units_count), UNITS_PER_PAGE).get_page(page)
    stored = min(shown["unassigned_total"], SHOWN)
    unassigned_obj = Paginator(range(stored), UNASSIGNED_PER_PAGE).get_page(unassigned_page)
    rows = RunRow.objects.filter(run=run).filter(
        Q(kind=RunRow.UNIT, position__range=(page_obj.start_index(), page_obj.end_index()))
        | Q(
            kind=RunRow.UNASSIGNED,
            position__range=(unassigned_obj.start_index(), unassigned_obj.end_index()),
        )
    )
    units, unassigned_rows = [], []
    for kind, data in rows.order_by("kind", "position").values_list("kind", "data"):
        (units if kind == RunRow.UNIT else unassigned_rows).append(data)
    left_out_items = shown["left_out"]
    wanted_referrals = [
        pair["referral_id"] for unit in units for pair in unit["pairs"].values() if pair
    ]
    wanted_referrals += [row["referral_id"] for row in unassigned_rows]
    wanted_referrals += [i["id"] for i in left_out_items if i["kind"] == "household"]
    referrals = _with_names(Referral.objects).in_bulk([pk for pk in wanted_referrals if pk])
    vacancies = Vacancy.objects.select_related("unit").in_bulk(
        [u["vacancy_id"] for u in units if u["vacancy_id"]]
        + [i["id"] for i in left_out_items if i["kind"] == "unit"]
    )
    proposals = {
        (p.referral_id, p.vacancy_id): p
        for p in Proposal.objects.filter(matching_run=run).order_by("proposed_on", "id")
    }
    page_rows = []
    for data in units:
        unit = data["unit"]
        vacancy = vacancies.get(data["vacancy_id"])
        pairs = {}
        for method in METHODS:
            pair = data["pairs"].get(method)
            if pair is None:
                pairs[method] = None
                continue
            referral = referrals.get(pair["referral_id"])
            key = (getattr(referral, "pk", None), getattr(vacancy, "pk", None))
            pairs[method] = Pair(
                household=pair["household"],
                referral=referral,
                score=pair["score"],
                reasons=pair["reasons"],
                proposal=proposals.get(key),
                unit_ref=unit["ref"],
            )
        page_rows.append(UnitRow(unit=unit, vacancy=vacancy, pairs=pairs))
    page_obj.object_list = page_rows
    unassigned_obj.object_list = [
        {
            "household": row["household"],
            "referral": referrals.get(row["referral_id"]),
            "reason": row["reason"],
        }
        for row in unassigned_rows
    ]
    left_out = [
        {
            "kind": item["kind"],
            "referral": referrals.get(item["id"]) if item["kind"] == "household" else None,
            "vacancy": vacancies.get(item["id"]) if item["kind"] == "unit" else None,
            "reason": LEFT_OUT_LABELS.get(item["reason"], item["reason"]),
        }
        for item in left_out_items
    ]
    return {
        "unassigned_by_reason": shown["unassigned_by_reason"],
        "constraints": shown["constraints"],
        "gap": shown["gap"],
        "rows": page_obj.paginator.count,
        "page_obj": page_obj,
        "unassigned": unassigned_obj.object_list,
        "unassigned_page": unassigned_obj,
        "unassigned_total": shown["unassigned_total"],
        "left_out": left_out,
        "left_out_total": shown["left_out_total"],
        "summary": shown["summary"],
        "fairness": shown["fairness"],
        "territories": shown["territories"],
        "excluded": shown["excluded"],
        "eligible_pairs": shown["eligible_pairs"],
        "proposals": list(proposals.values()),
        "method_labels": [METHOD_LABELS[m] for m in METHODS],
    }


def _with_names(referrals):
    """What `head_name` reads, in joins and reverse lookups only (Django 5.2 turns a
    prefetch of a forward relation into one OR per object, which SQLite refuses past about
    a thousand): the heads' memberships only, all `head_on` looks at."""
    heads = Membership.objects.filter(role=MemberRole.HEAD).select_related("person")
    return referrals.select_related("household").prefetch_related(
        Prefetch("household__memberships", queryset=heads)
    )
