"""Random sequences of actions through the services never reach an illegal state: every
status change follows the transition tables, one open proposal per vacancy and per
household, a proposal expires only after its delay, a household leaves the list only by an
entry or a withdrawal, and a refused, expired or withdrawn proposal frees the unit."""

import datetime
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.core.enums import Role
from seuil.housing.models import Landlord, Stay
from seuil.orientation.enums import (
    OPEN_PROPOSAL_STATUSES,
    PROPOSAL_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    REQUEST_TRANSITIONS,
    Answer,
    ProposalStatus,
    ReferralStatus,
    RequestStatus,
    VacancyClosing,
)
from seuil.orientation.models import Proposal, Referral, Request, Vacancy
from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.proposals import (
    answer_proposal,
    enter_from_proposal,
    expire_proposals,
    make_proposal,
    withdraw_proposal,
)
from seuil.orientation.services.requests import record_assessment, record_request, withdraw_request
from seuil.orientation.services.vacancies import declare_vacancy
from tests.conftest import examples
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory
from tests.orientation.factories import CoordinatorFactory, SiaoFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)

proposal_actions = st.lists(
    st.tuples(
        st.sampled_from(["propose", "answer", "withdraw", "expire", "withdraw_request", "enter"]),
        st.integers(0, 1),  # which vacancy
        st.integers(0, 2),  # which household
        st.booleans(),  # accepted / ask the landlord
        st.sampled_from(["household", "landlord"]),
        st.integers(0, 6),  # days that pass before the action
    ),
    min_size=1,
    max_size=14,
)


def follows(table, statuses):
    """Does the sequence of statuses follow `table` (a repeated status: one party's answer)?"""
    return all(b in table[a] or (a == b and a in table[a]) for a, b in pairwise(statuses))


def logged(obj):
    return [t.to_status for t in obj.transitions.order_by("at", "id")]


def check_invariants():
    for vacancy in Vacancy.objects.all():
        assert vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).count() <= 1
        if vacancy.closed_on is not None:
            assert vacancy.closing_reason == VacancyClosing.FILLED
            assert Stay.objects.filter(unit=vacancy.unit, entered_on=vacancy.closed_on).exists()
    for proposal in Proposal.objects.select_related("referral", "vacancy", "stay"):
        status = proposal.status
        assert (proposal.closed_on is None) == (status == ProposalStatus.PROPOSED)
        if status == ProposalStatus.EXPIRED:
            assert proposal.closed_on == proposal.expires_on + DAY
        if status == ProposalStatus.ACCEPTED:
            assert proposal.household_answer == Answer.ACCEPTED
            assert proposal.landlord_answer in (Answer.ACCEPTED, Answer.NOT_REQUIRED)
        if status == ProposalStatus.REFUSED:
            assert proposal.refused_by and proposal.refusal_reason
        if proposal.stay_id:
            assert status == ProposalStatus.ACCEPTED
            assert proposal.referral.status == ReferralStatus.HOUSED
        elif status in OPEN_PROPOSAL_STATUSES:  # holds its unit for a waiting household
            assert proposal.referral.status == ReferralStatus.WAITING
            assert proposal.vacancy.closed_on is None
        statuses = logged(proposal)
        assert follows(PROPOSAL_TRANSITIONS, statuses), statuses
        assert statuses[-1] == status
    for referral in Referral.objects.select_related("request", "stay"):
        assert referral.proposals.filter(
            status__in=OPEN_PROPOSAL_STATUSES, stay__isnull=True
        ).count() <= (1 if referral.status == ReferralStatus.WAITING else 0)
        if referral.status == ReferralStatus.WAITING:
            assert referral.request.status == RequestStatus.ADMITTED
        elif referral.status == ReferralStatus.WITHDRAWN:
            assert referral.request.status == RequestStatus.WITHDRAWN
        else:
            assert referral.stay.household_id == referral.household_id
            assert referral.closed_on == referral.stay.entered_on
        statuses = logged(referral)
        assert follows(REFERRAL_TRANSITIONS, statuses) and statuses[-1] == referral.status
    for request in Request.objects.all():
        statuses = logged(request)
        assert follows(REQUEST_TRANSITIONS, statuses) and statuses[-1] == request.status


class ProposalsNeverReachAnIllegalState(TestCase):
    @settings(
        max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(proposal_actions)
    def test_random_actions_keep_every_invariant(self, actions):
        siao = SiaoFactory()
        coordinator = CoordinatorFactory(organisation=siao)
        operator = OrganisationFactory()
        manager = UserFactory(organisation=operator, role=Role.SERVICE_MANAGER)
        programme = ProgrammeFactory(organisation=operator)
        landlord = Landlord.objects.create(organisation=operator, ref="b", name="Bailleur")
        start = today() - 100 * DAY
        units = [
            HousingUnitFactory(
                organisation=operator, programme=programme, landlord=landlord, captured_on=start
            )
            for _ in range(2)
        ]
        vacancies = [declare_vacancy(unit, opened_on=start, acting_user=manager) for unit in units]
        referrals = [
            admitted(
                HouseholdFactory(organisation=siao),
                siao=siao,
                programme=programme,
                coordinator=coordinator,
                received_on=start - 30 * DAY,
                on=start - 20 * DAY,
            )
            for _ in range(3)
        ]
        clock = start
        for action, v, h, flag, party, wait in actions:
            clock = min(clock + wait * DAY, today())
            vacancy = Vacancy.objects.get(pk=vacancies[v].pk)
            current = vacancy.proposals.order_by("-pk").first()
            before = {p.pk: (p.status, p.expires_on) for p in Proposal.objects.all()}
            try:
                with transaction.atomic():
                    if action == "propose":
                        make_proposal(
                            vacancy,
                            referrals[h],
                            proposed_on=clock,
                            acting_user=coordinator,
                            ask_landlord=flag,
                        )
                    elif action == "answer" and current:
                        answer_proposal(
                            current,
                            party=party,
                            accepted=flag,
                            reason="" if flag else "location",
                            on=max(clock, current.proposed_on),
                            acting_user=coordinator,
                        )
                    elif action == "withdraw" and current:
                        withdraw_proposal(
                            current, on=max(clock, current.proposed_on), acting_user=coordinator
                        )
                    elif action == "expire":
                        expire_proposals(clock)
                    elif action == "withdraw_request":
                        request = Request.objects.get(pk=referrals[h].request_id)
                        withdraw_request(
                            request,
                            on=max(clock, request.status_since),
                            reason="household_withdrew",
                            acting_user=coordinator,
                        )
                    elif action == "enter" and current:
                        enter_from_proposal(
                            current, entered_on=max(clock, current.proposed_on), acting_user=manager
                        )
                event(f"{action}: done")
            except ValidationError:
                event(f"{action}: refused")
            if action == "expire":
                for proposal in Proposal.objects.all():
                    was, expires_on = before[proposal.pk]
                    if was == ProposalStatus.PROPOSED:
                        # Expired exactly when its delay is over, never before.
                        assert (proposal.status == ProposalStatus.EXPIRED) == (expires_on < clock)
            check_invariants()


request_actions = st.lists(
    st.tuples(
        st.sampled_from(["assess", "decide", "withdraw"]),
        st.sampled_from(["admitted", "refused", "postponed"]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=8,
)


class RequestsNeverReachAnIllegalState(TestCase):
    @settings(
        max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(request_actions)
    def test_random_decisions_follow_the_request_transitions(self, actions):
        siao = SiaoFactory()
        coordinator = CoordinatorFactory(organisation=siao)
        programme = ProgrammeFactory()
        clock = today() - 60 * DAY
        request = record_request(
            HouseholdFactory(organisation=siao),
            siao=siao,
            received_on=clock,
            origin="household",
            acting_user=coordinator,
        )
        for action, outcome, wait in actions:
            clock = min(clock + wait * DAY, today())
            request = Request.objects.get(pk=request.pk)
            try:
                with transaction.atomic():
                    if action == "assess":
                        record_assessment(
                            request,
                            acting_user=coordinator,
                            assessed_on=clock,
                            support_level="light",
                        )
                    elif action == "decide":
                        meeting = schedule_meeting(siao, held_on=clock, acting_user=coordinator)
                        add_to_agenda(meeting, [request], acting_user=coordinator)
                        decide(
                            meeting,
                            request,
                            outcome=outcome,
                            programme=programme,
                            refusal_reason="not_eligible",
                            acting_user=coordinator,
                        )
                    else:
                        withdraw_request(
                            request, on=clock, reason="housed_elsewhere", acting_user=coordinator
                        )
            except ValidationError:
                pass
            check_invariants()
        request.refresh_from_db()
        assert request.decisions.filter(outcome="admitted").count() <= 1
        assert (
            Referral.objects.filter(request=request).exists()
            == request.decisions.filter(outcome="admitted").exists()
        )
