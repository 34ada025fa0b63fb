"""Without a consent of the household valid today toward its organisation, a landlord sees a
proposed household only by its size and composition: no name, no member, no refusal reason
of the household, no comment. With one, it sees them."""

import datetime

import pytest
from django.urls import reverse

from seuil.orientation.services.proposals import answer_proposal, make_proposal
from seuil.orientation.services.vacancies import declare_vacancy
from tests.households.factories import ConsentFactory, MembershipFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)
COMMENT = "Madame souhaite rester près de l'école de son fils à Amiens-Nord."
PRIVATE = ("Diallo", "DIALLO", "Aïcha", "Moussa", "Localisation", "école de son fils")


@pytest.fixture
def proposal(household, siao, programme, coordinator, unit, manager):
    MembershipFactory(
        household=household,
        role="child",
        person__first_name="Moussa",
        person__last_name="Diallo",
        person__birth_date=today() - 3000 * DAY,
        person__organisation=siao,
    )
    referral = admitted(
        household,
        siao=siao,
        programme=programme,
        coordinator=coordinator,
        received_on=today() - 60 * DAY,
    )
    vacancy = declare_vacancy(unit, opened_on=today() - 9 * DAY, acting_user=manager)
    proposal = make_proposal(
        vacancy, referral, proposed_on=today() - 2 * DAY, acting_user=coordinator
    )
    return answer_proposal(
        proposal,
        party="household",
        accepted=False,
        on=today(),
        reason="location",
        comment=COMMENT,
        acting_user=coordinator,
    )


def pages(client, user, proposal):
    client.force_login(user)
    detail = client.get(reverse("orientation:proposal_detail", args=[proposal.uuid]))
    listing = client.get(reverse("orientation:proposals"), {"statut": ""})
    assert detail.status_code == listing.status_code == 200
    return detail.content.decode(), listing.content.decode()


def test_without_consent_the_landlord_sees_size_and_composition_only(
    client, proposal, landlord_user
):
    detail, listing = pages(client, landlord_user, proposal)
    for html in (detail, listing):
        assert proposal.ref in html
        assert "2 personnes : 1 adulte, 1 enfant" in html
        for text in PRIVATE:
            assert text not in html, text
    assert "refusée" in detail  # the outcome, not the household's reason


def test_with_a_valid_consent_the_landlord_sees_what_the_siao_sees(
    client, proposal, landlord_user, landlord_org, household
):
    ConsentFactory(household=household, recipient=landlord_org)
    detail, listing = pages(client, landlord_user, proposal)
    assert "DIALLO Aïcha" in detail and "Moussa" in detail
    assert "localisation" in detail and COMMENT.replace("'", "&#x27;") in detail
    assert "DIALLO Aïcha" in listing


def test_a_consent_to_another_organisation_opens_nothing(
    client, proposal, landlord_user, household
):
    ConsentFactory(household=household)  # to another landlord
    detail, listing = pages(client, landlord_user, proposal)
    assert "Aïcha" not in detail and "Aïcha" not in listing


def test_the_siao_still_sees_the_names(client, proposal, coordinator):
    detail, listing = pages(client, coordinator, proposal)
    assert "DIALLO Aïcha" in detail and "Moussa" in detail and "DIALLO Aïcha" in listing
