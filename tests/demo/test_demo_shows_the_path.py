"""The demo shows the orientation path: requests at every stage, a commission with its
decisions, the waiting list, vacancies, a refused proposal and one awaiting the landlord."""

import pytest

from seuil.core.models import User
from seuil.housing.models import HousingUnit
from seuil.orientation.enums import ProposalStatus, RequestStatus
from seuil.orientation.models import CommissionMeeting, Proposal, Referral, Request, Vacancy
from tests.conftest import TODAY


@pytest.fixture
def loaded(demo_loaded):
    """The demo of TODAY (written once per run), the clock on TODAY."""


def test_the_demo_has_requests_at_every_stage_and_a_commission(loaded):
    statuses = set(Request.objects.values_list("status", flat=True))
    assert statuses == {
        RequestStatus.RECEIVED,
        RequestStatus.ASSESSED,
        RequestStatus.ADMITTED,
        RequestStatus.REFUSED,
        RequestStatus.POSTPONED,
    }
    held, upcoming = CommissionMeeting.objects.order_by("held_on")
    assert held.held_on < TODAY < upcoming.held_on
    assert set(held.decisions.values_list("outcome", flat=True)) == {
        "admitted",
        "refused",
        "postponed",
    }
    assert upcoming.agenda_items.count() == 1
    waiting = Referral.objects.filter(status="waiting")
    assert waiting.filter(programme__ref="iml-r").count() == 3
    assert waiting.filter(programme__ref="mobilite").count() == 5


def test_the_demo_landlord_has_a_proposal_to_answer_and_the_history_of_a_refusal(loaded):
    landlord = User.objects.get(username="bailleur-opac")
    proposals = Proposal.objects.visible_to(landlord)
    open_one = proposals.get(status=ProposalStatus.PROPOSED)
    assert (open_one.household_answer, open_one.landlord_answer) == ("accepted", "pending")
    refused = proposals.get(status=ProposalStatus.REFUSED)
    assert (refused.refused_by, refused.refusal_reason) == ("household", "location")
    vacant_today = HousingUnit.objects.vacant_on(TODAY)
    assert Vacancy.objects.filter(closed_on__isnull=True).count() == vacant_today.count() >= 2
    assert open_one.vacancy.unit.ref == "L19"


def test_every_orientation_table_has_rows_in_the_demo(loaded):
    from django.apps import apps

    empty = [
        m.__name__
        for m in apps.get_app_config("orientation").get_models()
        if not m.objects.exists()
    ]
    assert empty == []
