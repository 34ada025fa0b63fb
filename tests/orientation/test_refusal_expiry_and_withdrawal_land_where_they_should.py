"""A refused, expired or withdrawn proposal puts the household back on the list at its
position and opens the unit again; a withdrawn request takes the household off the list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from seuil.core.models import ChangeRecord
from seuil.housing import services as housing_services
from seuil.orientation import waiting
from seuil.orientation.enums import ProposalStatus, ReferralStatus, RequestStatus
from seuil.orientation.models import Proposal, Vacancy
from seuil.orientation.services.proposals import (
    answer_proposal,
    expire_proposals,
    make_proposal,
    withdraw_proposal,
)
from seuil.orientation.services.requests import withdraw_request
from seuil.orientation.services.vacancies import close_vacancy, declare_vacancy
from seuil.orientation.tasks import expire_proposals_task
from tests.conftest import NOON
from tests.households.factories import HouseholdFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def referrals(siao, programme, coordinator):
    """Three households on the list, in this order (oldest request first)."""
    return [
        admitted(
            HouseholdFactory(organisation=siao),
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - days * DAY,
            on=today() - 30 * DAY,
        )
        for days in (200, 150, 100)
    ]


@pytest.fixture
def vacancy(unit, manager):
    return declare_vacancy(unit, opened_on=today() - 20 * DAY, acting_user=manager)


def propose(vacancy, referral, coordinator, days_ago=12):
    return make_proposal(
        vacancy,
        referral,
        proposed_on=today() - days_ago * DAY,
        acting_user=coordinator,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )


def positions(referrals):
    return [waiting.position_of(r, today()) for r in referrals]


def assert_unit_free_again(vacancy):
    vacancy.refresh_from_db()
    assert vacancy.closed_on is None
    assert not vacancy.proposals.filter(status__in=["proposed", "accepted"]).exists()


def test_a_proposal_refused_by_the_household_leaves_it_at_its_place_and_frees_the_unit(
    vacancy, referrals, coordinator
):
    before = positions(referrals)
    proposal = propose(vacancy, referrals[1], coordinator)
    assert positions(referrals) == before  # a proposal does not take the household off
    answer_proposal(
        proposal,
        party="household",
        accepted=False,
        reason="location",
        on=today() - 10 * DAY,
        acting_user=coordinator,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.refused_by, proposal.refusal_reason) == (
        ProposalStatus.REFUSED,
        "household",
        "location",
    )
    assert proposal.closed_on == today() - 10 * DAY
    assert positions(referrals) == before == [1, 2, 3]
    assert_unit_free_again(vacancy)
    again = propose(vacancy, referrals[2], coordinator, days_ago=9)
    assert again.status == ProposalStatus.PROPOSED


def test_a_proposal_refused_by_the_landlord_says_so(vacancy, referrals, coordinator, landlord_user):
    proposal = propose(vacancy, referrals[0], coordinator)
    assert proposal.landlord_answer == "pending"
    answer_proposal(
        proposal,
        party="landlord",
        accepted=False,
        reason="effort_rate",
        on=today() - 11 * DAY,
        acting_user=landlord_user,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.refused_by) == (ProposalStatus.REFUSED, "landlord")
    assert positions(referrals) == [1, 2, 3]
    assert_unit_free_again(vacancy)


def test_a_refusal_needs_its_reason(vacancy, referrals, coordinator):
    proposal = propose(vacancy, referrals[0], coordinator)
    with pytest.raises(ValidationError) as refused:
        answer_proposal(
            proposal,
            party="household",
            accepted=False,
            on=today() - 10 * DAY,
            acting_user=coordinator,
        )
    assert refused.value.message_dict == {"reason": ["Indiquez le motif du refus."]}
    assert Proposal.objects.get().status == ProposalStatus.PROPOSED


@override_settings(SEUIL_PROPOSAL_DELAY_DAYS=10)
def test_a_proposal_without_answer_expires_the_day_after_its_delay_only(
    vacancy, referrals, coordinator
):
    proposal = propose(vacancy, referrals[0], coordinator, days_ago=12)
    assert proposal.expires_on == today() - 2 * DAY
    assert expire_proposals(today() - 2 * DAY) == 0  # the last day to answer
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert expire_proposals(today()) == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXPIRED
    assert proposal.closed_on == today() - DAY  # the day after the delay, not the run's day
    assert positions(referrals) == [1, 2, 3]
    assert_unit_free_again(vacancy)
    record = ChangeRecord.objects.filter(object_uuid=proposal.uuid).first()
    assert record.changes["status"] == ["proposed", "expired"]
    assert record.household_uuid == referrals[0].household.uuid


def test_an_answer_after_the_delay_is_refused_in_french(vacancy, referrals, coordinator):
    proposal = propose(vacancy, referrals[0], coordinator, days_ago=12)
    with pytest.raises(ValidationError) as refused:
        answer_proposal(
            proposal, party="household", accepted=True, on=today(), acting_user=coordinator
        )
    assert "Le délai de réponse a pris fin le" in refused.value.messages[0]


def test_the_daily_task_expires_overdue_proposals_and_says_how_many(
    vacancy, referrals, coordinator
):
    propose(vacancy, referrals[0], coordinator, days_ago=15)
    assert expire_proposals_task(_now(), dry_run=True).startswith("1 proposition")
    assert Proposal.objects.get().status == ProposalStatus.PROPOSED
    assert expire_proposals_task(_now()) == (
        "1 proposition de logement expirée (sans réponse après 10 jours)."
    )
    assert Proposal.objects.get().status == ProposalStatus.EXPIRED


def test_seuil_daily_runs_the_orientation_tasks(vacancy, referrals, coordinator, capsys):
    propose(vacancy, referrals[0], coordinator, days_ago=15)
    call_command("daily")
    out = capsys.readouterr().out
    assert "1 proposition de logement expirée" in out
    assert "d'après le parc" in out


def test_a_withdrawn_proposal_leaves_the_household_at_its_place_and_frees_the_unit(
    vacancy, referrals, coordinator
):
    proposal = propose(vacancy, referrals[0], coordinator)
    answer_proposal(
        proposal, party="household", accepted=True, on=today() - 11 * DAY, acting_user=coordinator
    )
    withdraw_proposal(proposal, on=today() - 10 * DAY, acting_user=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert positions(referrals) == [1, 2, 3]
    assert_unit_free_again(vacancy)


def test_a_withdrawn_request_takes_the_household_off_the_list_with_its_proposal(
    vacancy, referrals, coordinator
):
    proposal = propose(vacancy, referrals[0], coordinator)
    request = referrals[0].request
    request.refresh_from_db()
    withdraw_request(
        request, on=today() - 5 * DAY, reason="housed_elsewhere", acting_user=coordinator
    )
    request.refresh_from_db()
    referrals[0].refresh_from_db()
    proposal.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert referrals[0].status == ReferralStatus.WITHDRAWN
    assert referrals[0].withdrawal_reason == "housed_elsewhere"
    assert referrals[0].closed_on == today() - 5 * DAY
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert positions(referrals) == [None, 1, 2]
    assert waiting.position_of(referrals[0], today() - 6 * DAY) == 1  # still there then
    assert_unit_free_again(vacancy)


def test_the_unit_is_held_while_a_proposal_is_open(vacancy, referrals, coordinator, manager):
    proposal = propose(vacancy, referrals[0], coordinator)
    with pytest.raises(ValidationError) as second:
        propose(vacancy, referrals[1], coordinator)
    assert "déjà réservé par la proposition" in " ".join(second.value.messages)
    with pytest.raises(ValidationError) as entry:
        housing_services.enter_household(
            referrals[1].household, vacancy.unit, entered_on=today(), acting_user=manager
        )
    assert f"réservé par la proposition {proposal.ref}" in " ".join(entry.value.messages)
    with pytest.raises(ValidationError):
        close_vacancy(vacancy, closed_on=today(), reason="other", acting_user=manager)


def test_the_database_refuses_a_second_open_proposal_for_the_vacancy(
    vacancy, referrals, coordinator
):
    first = propose(vacancy, referrals[0], coordinator)
    twin = Proposal(
        ref="P-TWIN",
        vacancy=vacancy,
        referral=referrals[1],
        proposed_on=first.proposed_on,
        expires_on=first.expires_on,
    )
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "Ce logement est déjà réservé par une proposition en cours." in str(refused.value)


def test_the_database_refuses_an_expiry_before_the_delay(vacancy, referrals, coordinator):
    proposal = propose(vacancy, referrals[0], coordinator)
    proposal.status, proposal.closed_on = ProposalStatus.EXPIRED, proposal.expires_on
    with pytest.raises(ValidationError) as refused:
        proposal.full_clean()
    assert "n'expire qu'une fois son délai de réponse passé" in str(refused.value)


def test_a_vacancy_is_free_after_a_refusal_even_when_the_other_answer_was_given(
    vacancy, referrals, coordinator, landlord_user
):
    proposal = propose(vacancy, referrals[0], coordinator)
    answer_proposal(
        proposal, party="landlord", accepted=True, on=today() - 11 * DAY, acting_user=landlord_user
    )
    answer_proposal(
        proposal,
        party="household",
        accepted=False,
        reason="waits_for_lasting",
        on=today() - 10 * DAY,
        acting_user=coordinator,
    )
    assert Vacancy.objects.get().closed_on is None
    assert Proposal.objects.get().status == ProposalStatus.REFUSED


def _now():
    return NOON
