"""The landlord sees a proposed or housed household on the vacancy and unit pages, and
through the API, only as the household's consent allows: without a consent valid today
toward its organisation, by its size and composition only (the rule of the proposal pages,
`orientation.permissions.named_households`)."""

from django.urls import reverse
from rest_framework.test import APIClient

from seuil.core.models import ApiToken
from seuil.orientation.services.proposals import (
    answer_proposal,
    enter_from_proposal,
    make_proposal,
)
from seuil.orientation.services.vacancies import declare_vacancy
from tests.households.factories import ConsentFactory
from tests.orientation.flow import admitted, today
from tests.orientation.test_landlord_sees_proposals_without_names import (  # noqa: F401
    COMMENT,
    PRIVATE,
    proposal,
)


def html_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def vacancy_pages(client, user, proposal):  # noqa: F811
    vacancy = proposal.vacancy
    return (
        html_of(client, user, reverse("orientation:vacancy_detail", args=[vacancy.uuid])),
        html_of(client, user, reverse("orientation:vacancies")),
        html_of(client, user, reverse("housing:detail", args=[vacancy.unit.uuid])),
    )


def api_bodies(user):
    _, key = ApiToken.issue(user, name="bailleur")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    bodies = []
    for path in ("housing-units", "households", "persons", "stays"):
        response = api.get(f"/api/v1/{path}/")
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
    return bodies


def assert_nameless(texts):
    for text in texts:
        for private in PRIVATE:
            assert private not in text, private


def test_without_consent_the_vacancy_page_shows_size_and_composition_only(
    client,
    proposal,  # noqa: F811
    landlord_user,
):
    detail, listing, unit_page = vacancy_pages(client, landlord_user, proposal)
    assert_nameless([detail, listing, unit_page, *api_bodies(landlord_user)])
    assert proposal.ref in detail
    assert "Un ménage de 2 personnes : 1 adulte, 1 enfant" in detail
    assert "par le ménage" in detail and "localisation" not in detail  # not its reason


def test_with_a_valid_consent_the_vacancy_page_names_the_household(
    client,
    proposal,  # noqa: F811
    landlord_user,
    landlord_org,
    household,
):
    ConsentFactory(household=household, recipient=landlord_org)
    detail, _, _ = vacancy_pages(client, landlord_user, proposal)
    assert "DIALLO Aïcha" in detail and "localisation" in detail


def test_the_landlord_sees_its_own_refusal_reason(
    client, household, siao, programme, coordinator, unit, manager, landlord_user
):
    referral = admitted(
        household, siao=siao, programme=programme, coordinator=coordinator,
        received_on=today().replace(month=4),
    )  # fmt: skip
    vacancy = declare_vacancy(unit, opened_on=today(), acting_user=manager)
    made = make_proposal(vacancy, referral, proposed_on=today(), acting_user=coordinator)
    answer_proposal(
        made, party="landlord", accepted=False, on=today(), reason="rent", acting_user=landlord_user
    )
    detail, _, _ = vacancy_pages(client, landlord_user, made)
    assert "par le bailleur : " in detail
    assert_nameless([detail])


def test_a_housed_household_stays_nameless_on_the_unit_page_and_the_api(
    client, household, siao, programme, coordinator, unit, manager, landlord_user
):
    referral = admitted(
        household, siao=siao, programme=programme, coordinator=coordinator,
        received_on=today().replace(month=4),
    )  # fmt: skip
    vacancy = declare_vacancy(unit, opened_on=today(), acting_user=manager)
    made = make_proposal(vacancy, referral, proposed_on=today(), acting_user=coordinator)
    answer_proposal(made, party="household", accepted=True, on=today(), acting_user=coordinator)
    answer_proposal(made, party="landlord", accepted=True, on=today(), acting_user=landlord_user)
    enter_from_proposal(made, entered_on=today(), acting_user=manager)
    detail, listing, unit_page = vacancy_pages(client, landlord_user, made)
    assert "Occupé" in unit_page
    assert_nameless([detail, listing, unit_page, *api_bodies(landlord_user)])
    # The operator, who holds the stay, sees who lives there.
    assert "DIALLO Aïcha" in html_of(client, manager, reverse("housing:detail", args=[unit.uuid]))


def test_the_siao_still_sees_the_names_on_the_vacancy_page(
    client,
    proposal,  # noqa: F811
    coordinator,
):
    detail = html_of(
        client, coordinator, reverse("orientation:vacancy_detail", args=[proposal.vacancy.uuid])
    )
    assert "DIALLO Aïcha" in detail and "localisation" in detail
    assert COMMENT not in detail  # comments stay on the proposal page
