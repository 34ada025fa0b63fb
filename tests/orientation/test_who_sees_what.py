"""Object-level scoping: another SIAO or operator sees nothing; the operator follows a
household from its admission to one of its programmes; the landlord sees the proposals of
its units, never the household file, and the social note only under a valid consent."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.permissions import can_view_social_note
from seuil.households.models import Household, Person
from seuil.housing.models import Landlord, Stay
from seuil.orientation.models import (
    Assessment,
    CommissionMeeting,
    Proposal,
    Referral,
    ReferralDecision,
    Request,
    Vacancy,
)
from seuil.orientation.services.proposals import answer_proposal, enter_from_proposal, make_proposal
from seuil.orientation.services.requests import withdraw_request
from seuil.orientation.services.vacancies import declare_vacancy
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import ConsentFactory
from tests.housing.factories import HousingUnitFactory
from tests.orientation.factories import SiaoFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)
MODELS = (Request, Assessment, CommissionMeeting, ReferralDecision, Referral, Vacancy, Proposal)


@pytest.fixture
def referral(household, siao, programme, coordinator):
    return admitted(
        household,
        siao=siao,
        programme=programme,
        coordinator=coordinator,
        received_on=today() - 60 * DAY,
    )


@pytest.fixture
def proposal(referral, unit, manager, coordinator):
    vacancy = declare_vacancy(unit, opened_on=today() - 9 * DAY, acting_user=manager)
    return make_proposal(vacancy, referral, proposed_on=today() - 2 * DAY, acting_user=coordinator)


def visible(user, model):
    return model.objects.visible_to(user).count()


def test_another_siao_sees_nothing_of_the_orientation(proposal, household):
    other_siao = SiaoFactory()
    for role in (Role.SIAO_COORDINATOR, Role.SIAO_EVALUATOR):
        outsider = UserFactory(organisation=other_siao, role=role)
        for model in MODELS:
            assert visible(outsider, model) == 0, (role, model)
        assert not Household.objects.visible_to(outsider).exists()
        assert not Person.objects.visible_to(outsider).exists()


def test_another_operator_sees_nothing_of_the_orientation(proposal, household):
    outsider = UserFactory(organisation=OrganisationFactory(), role=Role.SERVICE_MANAGER)
    for model in MODELS:
        assert visible(outsider, model) == 0, model
    assert not Household.objects.visible_to(outsider).exists()


def test_another_siao_gets_404_on_every_page_of_the_orientation(client, proposal):
    client.force_login(UserFactory(organisation=SiaoFactory(), role=Role.SIAO_COORDINATOR))
    meeting = proposal.referral.decision.meeting
    request = proposal.referral.request
    for url in (
        reverse("orientation:request_detail", args=[request.uuid]),
        reverse("orientation:assess", args=[request.uuid]),
        reverse("orientation:meeting_detail", args=[meeting.uuid]),
        reverse("orientation:decide", args=[meeting.uuid, request.uuid]),
        reverse("orientation:meeting_minutes", args=[meeting.uuid]),
        reverse("orientation:waiting_list", args=[proposal.referral.programme.uuid]),
        reverse("orientation:vacancy_detail", args=[proposal.vacancy.uuid]),
        reverse("orientation:proposal_detail", args=[proposal.uuid]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_siao_sees_the_vacancies_of_the_programmes_it_refers_to(proposal, coordinator):
    assert visible(coordinator, Vacancy) == 1
    assert visible(coordinator, Proposal) == 1


def test_the_operator_follows_the_household_from_its_admission_until_a_withdrawal(
    household, siao, programme, coordinator, manager
):
    assert not Household.objects.visible_to(manager).filter(pk=household.pk).exists()
    referral = admitted(
        household, siao=siao, programme=programme, coordinator=coordinator,
        received_on=today() - 60 * DAY,
    )  # fmt: skip
    assert Household.objects.visible_to(manager).filter(pk=household.pk).exists()
    assert visible(manager, Referral) == 1  # the admission that brought it
    assert visible(manager, Request) == 0  # the SIAO's and the holder's record, not its own
    request = Request.objects.get(pk=referral.request_id)
    withdraw_request(request, on=today(), reason="household_withdrew", acting_user=coordinator)
    assert not Household.objects.visible_to(manager).filter(pk=household.pk).exists()


def test_the_landlord_sees_the_proposals_of_its_units_only(proposal, landlord_user, operator):
    assert visible(landlord_user, Proposal) == 1
    assert visible(landlord_user, Vacancy) == 1
    assert not Household.objects.visible_to(landlord_user).exists()
    assert visible(landlord_user, Request) == 0
    assert visible(landlord_user, Referral) == 0
    other_landlord = UserFactory(organisation=OrganisationFactory(kind="landlord"), role="landlord")
    assert visible(other_landlord, Proposal) == 0
    assert visible(other_landlord, Vacancy) == 0


def test_the_landlord_reads_the_social_note_only_under_a_valid_consent(
    client, proposal, landlord_user, landlord_org, household
):
    household.social_note = "Projet : rester près de la crèche des enfants."
    household.save()
    client.force_login(landlord_user)
    url = reverse("orientation:proposal_detail", args=[proposal.uuid])
    html = client.get(url).content.decode()
    assert "rester près de la crèche" not in html
    assert "n'a pas donné son consentement" in html
    consent = ConsentFactory(household=household, recipient=landlord_org)
    assert can_view_social_note(landlord_user, household)
    assert "rester près de la crèche" in client.get(url).content.decode()
    consent.revoked_on = today()
    consent.save()
    assert "rester près de la crèche" not in client.get(url).content.decode()
    assert client.get(reverse("households:detail", args=[household.uuid])).status_code in (
        403,
        404,
    )


def test_the_landlord_answers_for_itself_only(client, proposal, landlord_user):
    client.force_login(landlord_user)
    url = reverse("orientation:proposal_answer", args=[proposal.uuid])
    page = client.get(url)
    assert [c[0] for c in page.context["form"].fields["party"].choices] == ["landlord"]
    response = client.post(
        url, {"party": "household", "accepted": "yes", "on": today().isoformat(), "version": 1}
    )
    assert response.status_code == 200
    assert "party" in response.context["form"].errors
    assert Proposal.objects.get().household_answer == "pending"
    client.post(
        url, {"party": "landlord", "accepted": "yes", "on": today().isoformat(), "version": 1}
    )
    assert Proposal.objects.get().landlord_answer == "accepted"


def test_the_landlord_declares_a_vacancy_for_its_own_units_only(
    client, landlord_user, unit, operator
):
    stranger_unit = HousingUnitFactory(
        organisation=operator,
        landlord=Landlord.objects.create(organisation=operator, ref="autre", name="Autre"),
    )
    client.force_login(landlord_user)
    page = client.get(reverse("orientation:vacancy_declare"))
    choices = [str(c[0]) for c in page.context["form"].fields["unit"].choices]
    assert str(unit.uuid) in choices and str(stranger_unit.uuid) not in choices
    client.post(
        reverse("orientation:vacancy_declare"),
        {"unit": stranger_unit.uuid, "opened_on": today().isoformat()},
    )
    assert not Vacancy.objects.exists()
    client.post(
        reverse("orientation:vacancy_declare"),
        {"unit": unit.uuid, "opened_on": today().isoformat()},
    )
    assert Vacancy.objects.get().opening_reason == "landlord"


def test_the_stay_of_an_oriented_household_is_seen_by_the_siao_and_the_operator(
    proposal, coordinator, manager, landlord_user
):
    answer_proposal(proposal, party="household", accepted=True, on=today(), acting_user=coordinator)
    answer_proposal(
        proposal, party="landlord", accepted=True, on=today(), acting_user=landlord_user
    )
    stay = enter_from_proposal(proposal, entered_on=today(), acting_user=manager)
    assert Stay.objects.visible_to(manager).filter(pk=stay.pk).exists()
    assert Stay.objects.visible_to(coordinator).filter(pk=stay.pk).exists()
    assert not Stay.objects.visible_to(landlord_user).exists()
