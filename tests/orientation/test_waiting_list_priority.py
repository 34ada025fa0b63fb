"""The waiting-list order: the documented formula, checked against a brute-force sort, its
breakdown for every household, and positions as of any day (with how they moved)."""

import datetime
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.core.models import AccessLog
from seuil.orientation import priority, waiting
from seuil.orientation.enums import PriorityCriterion
from seuil.orientation.models import PriorityWeights, default_weights
from seuil.orientation.services.requests import record_assessment
from seuil.orientation.services.waiting_lists import set_priority_weights
from tests.conftest import examples
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import ProgrammeFactory
from tests.orientation.factories import CoordinatorFactory, SiaoFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)
D0 = datetime.date(2024, 1, 1)
CRITERIA = PriorityCriterion.values

weights_strategy = st.builds(
    priority.Weights,
    points_per_month=st.integers(0, 5),
    max_waiting_points=st.one_of(st.none(), st.integers(0, 30)),
    criterion_points=st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 20)),
)
candidates_strategy = st.lists(
    st.tuples(
        st.integers(0, 900),  # received, days after D0
        st.sampled_from(["A", "B", "C", "D-1", "D-2", "Z"]),
        st.sets(st.sampled_from(CRITERIA)),
    ),
    max_size=12,
)


def documented_points(received_on, criteria, weights, day):
    """docs/orientation.md, written again: months of 30 days × points, capped, + criteria."""
    months = max(0, (day - received_on).days) // 30
    waiting_points = months * weights.points_per_month
    if weights.max_waiting_points is not None and waiting_points > weights.max_waiting_points:
        waiting_points = weights.max_waiting_points
    return waiting_points + sum(weights.criterion_points.get(c, 0) for c in set(criteria))


def goes_before(a, b, weights, day):
    """Does household `a` come before `b`? More points, else older request, else lower ref."""
    pa = documented_points(a.received_on, a.criteria, weights, day)
    pb = documented_points(b.received_on, b.criteria, weights, day)
    if pa != pb:
        return pa > pb
    if a.received_on != b.received_on:
        return a.received_on < b.received_on
    return a.ref < b.ref


def brute_force_order(candidates, weights, day):
    """Selection sort: repeatedly take the household that goes before every other."""
    left, order = list(candidates), []
    while left:
        first = left[0]
        for other in left[1:]:
            if goes_before(other, first, weights, day):
                first = other
        order.append(first)
        left.remove(first)
    return order


@settings(max_examples=examples(300), deadline=None)
@given(candidates_strategy, weights_strategy, st.integers(0, 1200))
def test_the_order_is_a_brute_force_sort_by_the_documented_formula(rows, weights, offset):
    day = D0 + offset * DAY
    candidates = [
        priority.Candidate(key=i, ref=f"{ref}-{i:02d}", received_on=D0 + r * DAY, criteria=tuple(c))
        for i, (r, ref, c) in enumerate(rows)
    ]
    ranked = priority.rank(candidates, weights, day)
    assert [c for _, c, _ in ranked] == brute_force_order(candidates, weights, day)
    assert [p for p, _, _ in ranked] == list(range(1, len(candidates) + 1))
    for _, candidate, points in ranked:
        expected = documented_points(candidate.received_on, candidate.criteria, weights, day)
        assert points.total == expected
        assert points.total == points.waiting_points + points.criteria_points


def test_the_breakdown_says_each_item_of_the_points():
    weights = priority.Weights(
        points_per_month=2, max_waiting_points=10, criterion_points={"safety": 10, "hosted": 3}
    )
    candidate = priority.Candidate(
        key=1, ref="D-1", received_on=D0, criteria=("safety", "young_child")
    )
    points = priority.breakdown(candidate, weights, D0 + 95 * DAY)
    assert points.waiting_days == 95
    assert points.waiting_months == 3
    assert points.waiting_points == 6
    assert points.criteria == (("safety", 10), ("young_child", 0))
    assert points.total == 16
    capped = priority.breakdown(candidate, weights, D0 + 400 * DAY)
    assert capped.waiting_points == 10  # 13 months × 2, capped at 10


def test_a_siao_without_weights_uses_the_documented_defaults():
    weights = default_weights()
    assert weights.points_per_month == 1
    assert weights.max_waiting_points == 24
    assert weights.criterion_points["no_shelter"] == 10


class TheDatabaseListFollowsTheFormula(TestCase):
    """The list built from the database (referrals, assessments, the SIAO's weights) is
    the brute-force order of the same facts."""

    @settings(
        max_examples=examples(12),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.tuples(st.integers(60, 500), st.sets(st.sampled_from(CRITERIA), max_size=3)),
            min_size=1,
            max_size=5,
        ),
        weights_strategy,
    )
    def test_positions_equal_the_brute_force_order(self, rows, weights):
        siao = SiaoFactory()
        coordinator = CoordinatorFactory(organisation=siao)
        programme = ProgrammeFactory()
        set_priority_weights(
            siao,
            points_per_month=weights.points_per_month,
            max_waiting_points=weights.max_waiting_points,
            criterion_points=weights.criterion_points,
            acting_user=coordinator,
        )
        for received, criteria in rows:
            admitted(
                HouseholdFactory(organisation=siao),
                siao=siao,
                programme=programme,
                coordinator=coordinator,
                received_on=today() - received * DAY,
                criteria=sorted(criteria),
                on=today() - 50 * DAY,
            )
        _, ranked = waiting.ranking(programme.pk, siao.pk, today())
        stored = PriorityWeights.weights_on(siao.pk, today())
        candidates = [
            priority.Candidate(
                key=r.pk,
                ref=r.request.ref,
                received_on=r.request.received_on,
                criteria=tuple(r.request.assessment_on(today()).priority_criteria),
            )
            for _, r, _ in ranked
        ]
        expected = brute_force_order(candidates, stored, today())
        assert [r.pk for _, r, _ in ranked] == [c.key for c in expected]


class PositionsAsOfADay(TestCase):
    def setUp(self):
        self.siao = SiaoFactory()
        self.coordinator = CoordinatorFactory(organisation=self.siao)
        self.programme = ProgrammeFactory()

    def admit(self, received_days_ago, criteria=(), on_days_ago=40):
        return admitted(
            HouseholdFactory(organisation=self.siao),
            siao=self.siao,
            programme=self.programme,
            coordinator=self.coordinator,
            received_on=today() - received_days_ago * DAY,
            criteria=criteria,
            on=today() - on_days_ago * DAY,
        )

    def test_a_household_admitted_later_with_priority_passes_ahead_and_the_others_move(self):
        first = self.admit(200)
        second = self.admit(150)
        urgent = self.admit(41, criteria=["safety", "no_shelter"], on_days_ago=5)
        lists = waiting.waiting_lists(self.coordinator, self.programme, today(), today() - 10 * DAY)
        entries = {e.referral.pk: e for e in lists[0].entries}
        assert [e.referral.pk for e in lists[0].entries] == [urgent.pk, first.pk, second.pk]
        assert entries[urgent.pk].movement == "Nouveau sur la liste"
        assert entries[first.pk].movement == "Perd 1 place"
        assert entries[first.pk].previous_position == 1
        assert entries[second.pk].movement == "Perd 1 place"

    def test_new_weights_apply_from_today_and_the_list_of_a_past_day_keeps_the_old_ones(self):
        old = self.admit(300)
        hosted = self.admit(100, criteria=["hosted"])
        yesterday = today() - DAY
        assert waiting.position_of(old, yesterday) == 1  # 9 months vs 3 + 3 points
        set_priority_weights(
            self.siao,
            points_per_month=1,
            max_waiting_points=None,
            criterion_points={"hosted": 50},
            acting_user=self.coordinator,
        )
        assert waiting.position_of(hosted, today()) == 1
        assert waiting.position_of(old, yesterday) == 1

    def test_a_new_assessment_changes_today_s_position_not_a_past_one(self):
        old = self.admit(300)
        later = self.admit(100)
        record_assessment(
            later.request,
            acting_user=self.coordinator,
            assessed_on=today(),
            support_level="standard",
            priority_criteria=["safety", "no_shelter"],
        )
        assert waiting.position_of(later, today()) == 1
        assert waiting.position_of(old, today() - DAY) == 1

    def test_the_page_shows_every_household_s_breakdown_and_position(self):
        self.admit(95, criteria=["shelter_exit"])
        self.client.force_login(self.coordinator)
        html = self.client.get(
            reverse("orientation:waiting_list", args=[self.programme.uuid])
        ).content.decode()
        assert "Doit quitter son hébergement (fin de prise en charge) : 6" in html
        assert "3 mois" in html
        assert "<strong>9</strong>" in html  # 3 months + 6 points

    def test_another_siao_s_coordinator_gets_no_list(self):
        self.admit(95)
        outsider = UserFactory(organisation=SiaoFactory(), role="siao_coordinator")
        self.client.force_login(outsider)
        response = self.client.get(reverse("orientation:waiting_list", args=[self.programme.uuid]))
        assert response.status_code == 404


class AWaitingListPageCostsTheSameWhateverItsLength(TestCase):
    """A page of a waiting list reads and logs one page of households: the same queries for
    a list of two households as for one of several pages; the positions count them all."""

    def setUp(self):
        self.siao = SiaoFactory()
        self.coordinator = CoordinatorFactory(organisation=self.siao)
        self.programme = ProgrammeFactory()

    def admit(self, n):
        for days in range(n):
            admitted(
                HouseholdFactory(organisation=self.siao),
                siao=self.siao,
                programme=self.programme,
                coordinator=self.coordinator,
                received_on=today() - (100 + days) * DAY,
                criteria=["hosted"] if days % 2 else [],
                on=today() - 40 * DAY,
            )

    def page(self, number=1):
        url = reverse("orientation:waiting_list", args=[self.programme.uuid])
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, {"page": number})
        assert response.status_code == 200
        return response, len(queries)

    def test_the_queries_and_access_log_rows_do_not_grow_with_the_list(self):
        self.client.force_login(self.coordinator)
        self.admit(2)
        _, small = self.page()
        with mock.patch.object(waiting, "PAGE_SIZE", 3):
            self.admit(5)  # 7 households: pages of 3, 3 and 1
            logged = AccessLog.objects.count()
            response, large = self.page(2)
        assert AccessLog.objects.count() - logged == 3
        entries = response.context["lists"][0].entries
        assert [e.position for e in entries] == [4, 5, 6]
        assert response.context["lists"][0].size == 7
        assert "Page 2 sur 3" in response.content.decode()
        assert large <= small
