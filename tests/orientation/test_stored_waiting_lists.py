"""The order of a waiting list is computed once a day and kept: what is read is what the
formula gives from the records, after any change to them, and a page reads one page of it
whatever the list's length."""

import datetime
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.core.daily import daily_tasks
from seuil.core.enums import Role
from seuil.orientation import waiting
from seuil.orientation.enums import PriorityCriterion, ReferralStatus, WithdrawalReason
from seuil.orientation.models import PriorityWeights, RankedList, Referral, Request
from seuil.orientation.services.waiting_lists import close_referral
from tests.conftest import examples
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import ProgrammeFactory
from tests.orientation.factories import CoordinatorFactory, SiaoFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)
CRITERIA = st.sets(st.sampled_from(PriorityCriterion.values), max_size=3)
AGO = st.integers(0, 59)  # days before today: what changes and what is read

changes = st.one_of(
    st.tuples(st.just("admit"), st.integers(60, 400), CRITERIA, AGO),
    st.tuples(st.just("withdraw"), st.integers(0, 20), AGO),
    st.tuples(st.just("assess"), st.integers(0, 20), CRITERIA, AGO),
    st.tuples(
        st.just("weights"),
        st.integers(0, 4),
        st.one_of(st.none(), st.integers(0, 20)),
        st.dictionaries(st.sampled_from(PriorityCriterion.values), st.integers(0, 20)),
        AGO,
    ),
    st.tuples(st.just("received"), st.integers(0, 20), st.integers(1, 90)),
    st.tuples(st.just("read"), AGO),
)


class TheStoredOrderIsTheComputedOne(TestCase):
    def setUp(self):
        self.siao = SiaoFactory()
        self.coordinator = CoordinatorFactory(organisation=self.siao)
        self.programme = ProgrammeFactory()

    def admit(self, received_ago, criteria=(), admitted_ago=40):
        return admitted(
            HouseholdFactory(organisation=self.siao),
            siao=self.siao,
            programme=self.programme,
            coordinator=self.coordinator,
            received_on=today() - received_ago * DAY,
            criteria=sorted(criteria),
            on=today() - admitted_ago * DAY,
        )

    def apply(self, change, referrals):
        kind, *args = change
        picked = referrals[args[0] % len(referrals)] if referrals and kind != "admit" else None
        if kind == "admit":
            received_ago, criteria, admitted_ago = args
            referrals.append(self.admit(received_ago, criteria, min(admitted_ago, received_ago)))
        elif kind == "withdraw" and picked and picked.status == ReferralStatus.WAITING:
            close_referral(
                picked,
                ReferralStatus.WITHDRAWN,
                on=max(picked.admitted_on, today() - args[1] * DAY),
                acting_user=self.coordinator,
                reason=WithdrawalReason.HOUSEHOLD_WITHDREW,
            )
        elif kind == "assess" and picked:  # as a correction would (no longer by the pages)
            assessment = picked.request.assessments.first()
            assessment.pk, assessment.uuid = None, uuid.uuid4()
            assessment.assessed_on = max(picked.request.received_on, today() - args[2] * DAY)
            assessment.priority_criteria = sorted(args[1])
            assessment.save()
        elif kind == "weights":
            points_per_month, cap, points, ago = args
            PriorityWeights.objects.update_or_create(
                siao=self.siao,
                effective_from=today() - ago * DAY,
                defaults={
                    "points_per_month": points_per_month,
                    "max_waiting_points": cap,
                    "criterion_points": points,
                },
            )
        elif kind == "received" and picked:
            request = Request.objects.get(pk=picked.request_id)
            request.received_on -= args[1] * DAY
            request.save()
        elif kind == "read":
            waiting.ranked_ids(self.programme.pk, self.siao.pk, today() - args[0] * DAY)
        for referral in referrals:
            referral.refresh_from_db()

    def assert_stored_equals_computed(self):
        days = RankedList.objects.filter(siao=self.siao).values_list("day", flat=True)
        for day in [*days, today()]:
            stored = waiting.ranked_ids(self.programme.pk, self.siao.pk, day)
            assert stored == waiting.computed_ranking(self.programme.pk, self.siao.pk, day), day

    @settings(
        max_examples=examples(25),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(changes, min_size=1, max_size=12))
    def test_after_random_changes(self, steps):
        referrals = [self.admit(200), self.admit(90, ["hosted"], admitted_ago=59)]
        for day in range(0, 60, 7):  # the lists of the last weeks, as the days stored them
            waiting.ranked_ids(self.programme.pk, self.siao.pk, today() - day * DAY)
        for change in steps:
            self.apply(change, referrals)
        self.assert_stored_equals_computed()


class AListComputedWhileAChangeIsSavedIsNotKept(TestCase):
    def test_the_household_admitted_during_the_computation_is_on_the_stored_list(self):
        siao = SiaoFactory()
        coordinator = CoordinatorFactory(organisation=siao)
        programme = ProgrammeFactory()

        def admit():
            return admitted(
                HouseholdFactory(organisation=siao),
                siao=siao,
                programme=programme,
                coordinator=coordinator,
                received_on=today() - 100 * DAY,
                on=today() - 90 * DAY,
            )

        first = admit()
        computed = waiting.computed_ranking
        late = []

        def computed_then_changed(*args):
            # Another request admits a household after this one read the records.
            result = computed(*args)
            if not late:
                late.append(admit())
            return result

        waiting.computed_ranking = computed_then_changed
        try:
            ids = waiting.ranked_ids(programme.pk, siao.pk, today())
        finally:
            waiting.computed_ranking = computed
        assert {pk for _, pk, _ in ids[1]} == {first.pk, late[0].pk}
        assert ids == computed(programme.pk, siao.pk, today())


class TheDailyRunStoresTodaysLists(TestCase):
    def test_seuil_daily_stores_today_s_order_and_forgets_the_old_ones(self):
        siao = SiaoFactory()
        coordinator = CoordinatorFactory(organisation=siao)
        programme = ProgrammeFactory()
        admitted(
            HouseholdFactory(organisation=siao),
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - 100 * DAY,
            on=today() - 90 * DAY,
        )
        waiting.ranked_ids(programme.pk, siao.pk, today() - 80 * DAY)  # older than kept
        task = next(t for t in daily_tasks() if t.__name__ == "store_waiting_lists_task")
        now = datetime.datetime.combine(today(), datetime.time(3), tzinfo=datetime.UTC)
        line = task(now)
        assert line == ("Listes d'attente : 1 ordre du jour calculé, 1 ancien ordre supprimé.")
        assert list(RankedList.objects.values_list("day", "size")) == [(today(), 1)]


class APageReadsOnePageOfTheStoredList(TestCase):
    def setUp(self):
        self.siao = SiaoFactory()
        self.coordinator = CoordinatorFactory(organisation=self.siao)
        self.programme = ProgrammeFactory()
        self.client.force_login(self.coordinator)

    def admit(self, count, holder=None):
        for n in range(count):
            admitted(
                HouseholdFactory(organisation=holder or self.siao),
                siao=self.siao,
                programme=self.programme,
                coordinator=self.coordinator,
                received_on=today() - (100 + n) * DAY,
                criteria=["hosted"] if n % 3 else [],
                on=today() - 40 * DAY,
            )

    def queries(self, page=1):
        url = reverse("orientation:waiting_list", args=[self.programme.uuid])
        self.client.get(url, {"page": page})  # stores today's list and the one compared
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, {"page": page})
        assert response.status_code == 200
        return len(queries), response

    def test_the_same_queries_for_one_household_as_for_a_page_of_a_long_list(self):
        self.admit(1)
        one, _ = self.queries()
        self.admit(waiting.PAGE_SIZE + 10)
        many, response = self.queries(2)
        assert many == one
        entries = response.context["lists"][0].entries
        assert [e.position for e in entries] == list(range(51, 62))
        assert response.context["lists"][0].size == waiting.PAGE_SIZE + 11

    def test_an_operator_sees_its_households_only_at_their_place_on_the_whole_list(self):
        operator = OrganisationFactory()
        self.admit(3)
        self.admit(2, holder=operator)
        self.client.force_login(UserFactory(organisation=operator, role=Role.SOCIAL_WORKER))
        _, response = self.queries()
        shown = response.context["lists"][0]
        whole = waiting.positions_on(self.programme.pk, self.siao.pk, today())
        theirs = Referral.objects.filter(household__organisation=operator)
        assert [e.position for e in shown.entries] == sorted(whole[r.pk] for r in theirs)
        assert len(shown.entries) == 2
        assert shown.size == 5
