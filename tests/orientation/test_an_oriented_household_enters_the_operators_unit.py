"""A household whose file the SIAO holds, admitted to operator X's programme, enters X's
unit: the stay belongs to X (the organisation running the unit), X follows the household,
and X's activity report and household list count it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seuil.households.models import Household
from seuil.housing import services as housing_services
from seuil.housing.models import Stay
from seuil.orientation.enums import ReferralStatus, VacancyClosing
from seuil.orientation.models import Vacancy
from seuil.orientation.services.proposals import answer_proposal, enter_from_proposal, make_proposal
from seuil.orientation.services.vacancies import declare_vacancy
from seuil.reports.facts import activity_report
from tests.households.factories import HouseholdFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def referral(household, siao, programme, coordinator):
    return admitted(
        household,
        siao=siao,
        programme=programme,
        coordinator=coordinator,
        received_on=today() - 40 * DAY,
    )


def accepted_proposal(unit, referral, coordinator, landlord_user):
    vacancy = declare_vacancy(unit, opened_on=today() - 10 * DAY, acting_user=landlord_user)
    proposal = make_proposal(
        vacancy, referral, proposed_on=today() - 5 * DAY, acting_user=coordinator
    )
    answer_proposal(
        proposal, party="household", accepted=True, on=today() - 4 * DAY, acting_user=coordinator
    )
    return answer_proposal(
        proposal, party="landlord", accepted=True, on=today() - 3 * DAY, acting_user=landlord_user
    )


def test_the_stay_belongs_to_the_operator_of_the_unit_and_the_household_leaves_the_list(
    unit, referral, coordinator, landlord_user, manager, household, operator
):
    proposal = accepted_proposal(unit, referral, coordinator, landlord_user)
    stay = enter_from_proposal(proposal, entered_on=today() - 2 * DAY, acting_user=manager)
    assert stay.organisation == operator
    assert household.organisation != operator  # the SIAO still holds the file
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on, referral.stay) == (
        ReferralStatus.HOUSED,
        today() - 2 * DAY,
        stay,
    )
    vacancy = Vacancy.objects.get(unit=unit)
    assert (vacancy.closed_on, vacancy.closing_reason) == (today() - 2 * DAY, VacancyClosing.FILLED)
    proposal.refresh_from_db()
    assert proposal.stay == stay


def test_the_operators_activity_report_counts_the_oriented_household(
    unit, referral, coordinator, landlord_user, manager, operator
):
    proposal = accepted_proposal(unit, referral, coordinator, landlord_user)
    enter_from_proposal(proposal, entered_on=today() - 2 * DAY, acting_user=manager)
    report = activity_report(operator.ref, [], today() - 30 * DAY, today())
    assert report["present"]["households"] == 1
    assert report["present"]["persons"] == 1
    assert report["entries"]["households"] == 1


def test_the_operators_household_list_shows_the_oriented_household(
    client, unit, referral, coordinator, landlord_user, manager, household
):
    proposal = accepted_proposal(unit, referral, coordinator, landlord_user)
    enter_from_proposal(proposal, entered_on=today() - 2 * DAY, acting_user=manager)
    client.force_login(manager)
    response = client.get(reverse("households:list"), {"presence": "present"})
    assert response.status_code == 200
    assert "DIALLO" in response.content.decode().upper()
    assert household in Household.objects.visible_to(manager)
    assert client.get(reverse("households:detail", args=[household.uuid])).status_code == 200


def test_the_operator_follows_the_household_as_soon_as_it_is_on_its_waiting_list(
    referral, manager, household
):
    assert Household.objects.visible_to(manager).filter(pk=household.pk).exists()


def test_a_household_neither_followed_nor_oriented_cannot_enter_the_operators_unit(
    unit, manager, siao
):
    stranger = HouseholdFactory(organisation=siao)
    with pytest.raises(ValidationError) as refused:
        housing_services.enter_household(stranger, unit, entered_on=today(), acting_user=manager)
    assert "ni orienté vers l'un de ses dispositifs" in " ".join(refused.value.messages)
    assert not Stay.objects.exists()


def test_an_entry_from_the_unit_page_also_takes_the_household_off_the_list(
    unit, referral, manager, household
):
    stay = housing_services.enter_household(
        household, unit, entered_on=today(), acting_user=manager, programme=unit.programme
    )
    referral.refresh_from_db()
    assert (referral.status, referral.stay) == (ReferralStatus.HOUSED, stay)


def test_an_entry_from_the_unit_page_after_an_accepted_proposal_links_the_proposal(
    unit, referral, coordinator, landlord_user, manager, household
):
    proposal = accepted_proposal(unit, referral, coordinator, landlord_user)
    stay = housing_services.enter_household(
        household, unit, entered_on=today(), acting_user=manager, programme=unit.programme
    )
    proposal.refresh_from_db()
    assert proposal.stay == stay
    assert Vacancy.objects.get().closing_reason == VacancyClosing.FILLED
