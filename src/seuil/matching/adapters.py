"""From the database to a `seuil-matching-instance/1` document (EXCHANGE.md §3).

One instance per programme, as of a day: its waiting households against its vacant units.

- Households: the referrals waiting on the programme's list that day that the user may
  match (its own lists; for the national platform, the households whose mobility file they
  consented to share with it), without a proposal in progress. Each gives: `adults` (members
  present aged 18 or more, or of unknown age) and `children`, `head_sex` (the head's),
  `max_rent` (the bearable rent of the assessment in force, else housing benefit + 30 % of
  the other resources), `needs_accessible`, `accepts_shared`, `accepts_mixed_shared` (accepts
  a shared flat and does not refuse a mixed one), `wishes` (the wished territories that are
  département codes, in the household's order), `waiting_days` and `priority_points` (those
  of the waiting list: `orientation.priority`), `refused_units` (units of the instance the
  household or the landlord already refused in a proposal), and `employment` =
  {département: 1} when the assessment names the département of a job or a job offer
  (elsewhere the territory's score applies).
- Units: the vacancies of the programme's units open that day, without a proposal in
  progress. `territory` is the unit's département (from its commune's INSEE code, else its
  operator's département), `shared` for a room of a shared flat.
- Territories: the employment prospects the national platform maintains
  (`TerritoryEmployment`) in force that day.

A household or unit that lacks what the instance needs is left out and listed with why.
Instance refs are the referral's and the vacancy's references (no name, no birth date).
"""

from collections import defaultdict

from seuil.core.policy import Action, Scope, allows
from seuil.households.models import Household
from seuil.housing.enums import ProgrammeKind
from seuil.housing.models import Programme
from seuil.orientation import waiting
from seuil.orientation.costs import suggested_bearable_rent
from seuil.orientation.enums import OPEN_PROPOSAL_STATUSES, ProposalStatus
from seuil.orientation.forms.common import DEPARTMENT_CODE
from seuil.orientation.models import Proposal, Referral, Vacancy

from .instance import DEFAULT_OCCUPANCY, DEFAULT_WEIGHTS, FORMAT
from .models import TerritoryEmployment

ADULT_AGE = 18


def programmes_for(user):
    """Programmes whose waiting list `user` may match: those of its waiting lists; for the
    national platform, the national mobility programmes."""
    if not allows(user, Action.RUN_MATCHING):
        return Programme.objects.none()
    if allows(user, Action.VIEW_WAITING_LISTS):
        return waiting.programmes_with_lists(user)
    return Programme.objects.filter(kind=ProgrammeKind.MOBILITY).select_related("organisation")


def matchable_referrals(user, programme, day):
    if allows(user, Action.VIEW_WAITING_LISTS):
        referrals = Referral.objects.visible_to(user)
    else:
        consented = Household.objects.all().shared_with(user, Scope.CONSENTED, Action.RUN_MATCHING)
        referrals = Referral.objects.filter(household__in=consented)
    return referrals.waiting_on(day).filter(programme=programme)


def _free(queryset, path):
    held = Proposal.objects.filter(status__in=OPEN_PROPOSAL_STATUSES).values(path)
    return queryset.exclude(pk__in=held)


def _units(programme, day, left_out):
    vacancies = _free(
        Vacancy.objects.open_on(day).filter(unit__programme=programme), "vacancy_id"
    ).select_related("unit__organisation")
    units, links = [], {}
    for vacancy in vacancies.order_by("ref"):
        unit = vacancy.unit
        territory = unit.department
        reason = None
        if unit.rent is None:
            reason = "unit_no_rent"
        elif territory is None:
            reason = "unit_no_territory"
        if reason:
            left_out.append({"kind": "unit", "id": vacancy.pk, "reason": reason})
            continue
        units.append(
            {
                "ref": vacancy.ref,
                "typology": unit.typology,
                "territory": territory,
                "rent": float(unit.rent),
                "charges": float(unit.charges or 0),
                "accessible": unit.accessible,
                "shared": unit.parent_id is not None,
                "shared_gender": None,
            }
        )
        links[vacancy.ref] = vacancy.pk
    return units, links


def _priorities(programme, referrals, day):
    """{referral id: breakdown} from each SIAO's waiting list."""
    points = {}
    for siao_id in sorted({r.siao_id for r in referrals}):
        for _, referral, breakdown in waiting.ranking(programme.pk, siao_id, day)[1]:
            points[referral.pk] = breakdown
    return points


def _composition(household, day):
    members = household.members_on(day)
    adults = sum(1 for m in members if (age := m.person.age_on(day)) is None or age >= ADULT_AGE)
    head = household.head_on(day)
    return adults, len(members) - adults, (head.person.sex or None) if head else None


def _household(referral, assessment, day, breakdown, refused):
    adults, children, head_sex = _composition(referral.household, day)
    max_rent = assessment.bearable_rent
    if max_rent is None:
        max_rent = suggested_bearable_rent(assessment.monthly_resources, assessment.housing_benefit)
    if adults + children == 0:
        return None, "no_members"
    if max_rent is None:
        return None, "no_rent"
    return {
        "ref": referral.ref,
        "adults": adults,
        "children": children,
        "head_sex": head_sex,
        "max_rent": float(max_rent),
        "needs_accessible": assessment.needs_accessible,
        "accepts_shared": assessment.accepts_shared,
        "accepts_mixed_shared": assessment.accepts_shared and not assessment.refuses_mixed_shared,
        "wishes": [t for t in assessment.wished_territories if DEPARTMENT_CODE.match(str(t))],
        "waiting_days": breakdown.waiting_days,
        "priority_points": breakdown.total,
        "refused_units": refused,
        **({"employment": {assessment.job_territory: 1.0}} if assessment.job_territory else {}),
    }, None


def _refused_units(referrals, unit_links):
    """{household id: [unit refs of the instance refused in an earlier proposal]}."""
    ref_of_vacancy = {vacancy_id: ref for ref, vacancy_id in unit_links.items()}
    ref_of_unit = {
        unit_id: ref_of_vacancy[pk]
        for pk, unit_id in Vacancy.objects.filter(pk__in=list(ref_of_vacancy)).values_list(
            "pk", "unit_id"
        )
    }
    refused = defaultdict(set)
    rows = Proposal.objects.filter(
        referral__household__in={r.household_id for r in referrals},
        status=ProposalStatus.REFUSED,
        vacancy__unit__in=list(ref_of_unit),
    ).values_list("referral__household_id", "vacancy__unit_id")
    for household_id, unit_id in rows:
        refused[household_id].add(ref_of_unit[unit_id])
    return {household_id: sorted(refs) for household_id, refs in refused.items()}


def build_instance(user, programme, day):
    """(instance, links, left_out) for `programme` on `day`, as `user` may see it."""
    left_out = []
    units, unit_links = _units(programme, day, left_out)
    held = set(
        Proposal.objects.filter(status__in=OPEN_PROPOSAL_STATUSES).values_list(
            "referral_id", flat=True
        )
    )
    referrals = list(waiting._with_file(matchable_referrals(user, programme, day)).order_by("ref"))
    priorities = _priorities(programme, referrals, day)
    refused = _refused_units(referrals, unit_links)
    households, household_links = [], {}
    for referral in referrals:
        assessment = referral.request.assessment_on(day)
        if referral.pk in held:
            reason = "open_proposal"
        elif assessment is None:
            reason = "no_assessment"
        else:
            household, reason = _household(
                referral,
                assessment,
                day,
                priorities[referral.pk],
                refused.get(referral.household_id, []),
            )
        if reason:
            left_out.append({"kind": "household", "id": referral.pk, "reason": reason})
            continue
        households.append(household)
        household_links[referral.ref] = referral.pk
    scores = TerritoryEmployment.scores_on(day)
    codes = {u["territory"] for u in units} | {t for h in households for t in h["wishes"]}
    instance = {
        "format": FORMAT,
        "households": households,
        "units": units,
        "territories": [
            {"code": code, "employment_score": scores[code]}
            for code in sorted(codes)
            if code in scores
        ],
        "rules": {
            "occupancy": {k: list(v) for k, v in DEFAULT_OCCUPANCY.items()},
            "wishes": "strict",
        },
        "weights": dict(DEFAULT_WEIGHTS),
    }
    return instance, {"households": household_links, "units": unit_links}, left_out
