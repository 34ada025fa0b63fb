"""Context kept from one step to the next: « Inscrire à une commission » is a form for
the request; the decision and proposal forms show the household, its assessment and its
place on the waiting list; proposing past households placed before asks for a reason,
kept and shown. And the assessment: in sections, composition checked, employment at
« Non renseigné » until someone says otherwise."""

import datetime
import re

import pytest
from django.urls import reverse

from seuil.orientation.models import Proposal, Request
from seuil.orientation.services.commission import schedule_meeting
from seuil.orientation.services.requests import record_assessment, record_request
from seuil.orientation.services.vacancies import declare_vacancy
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)


def text_of(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def waiting_household(siao, coordinator, programme, name, received_days_ago):
    household = HouseholdFactory(organisation=siao)
    MembershipFactory(household=household, person__last_name=name, person__organisation=siao)
    return admitted(
        household,
        siao=siao,
        programme=programme,
        coordinator=coordinator,
        received_on=today() - received_days_ago * DAY,
    )


@pytest.fixture
def assessed(household, siao, coordinator):
    request = record_request(
        household, siao=siao, received_on=today() - 30 * DAY, origin="shelter",
        acting_user=coordinator,
    )  # fmt: skip
    record_assessment(
        request,
        acting_user=coordinator,
        assessed_on=today() - 20 * DAY,
        support_level="standard",
        needs=["rights"],
        wished_territories=["80"],
        wished_typologies=["T2"],
        monthly_resources=900,
        housing_benefit=250,
    )
    return request


def test_inscrire_a_une_commission_opens_a_form_for_this_request(
    client, coordinator, assessed, siao
):
    meeting = schedule_meeting(siao, held_on=today() + 7 * DAY, acting_user=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("orientation:request_detail", args=[assessed.uuid]))
    url = reverse("orientation:request_schedule", args=[assessed.uuid])
    assert url in page.content.decode()
    form = client.get(url)
    assert f"Inscrire la demande {assessed.ref} à une commission" in text_of(form)
    response = client.post(url, {"meeting": str(meeting.uuid)})
    assert response.status_code == 302
    assert meeting.agenda_items.filter(request=assessed).exists()


def test_the_decision_form_shows_the_household_and_its_assessment(
    client, coordinator, assessed, siao
):
    meeting = schedule_meeting(siao, held_on=today(), acting_user=coordinator)
    client.force_login(coordinator)
    client.post(
        reverse("orientation:request_schedule", args=[assessed.uuid]),
        {"meeting": str(meeting.uuid)},
    )
    text = text_of(client.get(reverse("orientation:decide", args=[meeting.uuid, assessed.uuid])))
    assert "DIALLO Aïcha" in text and f"réf. {assessed.household.ref}" in text
    assert "Évaluation du" in text and "typologies souhaitées : T2" in text
    assert "Pas encore sur une liste d'attente" in text


@pytest.fixture
def waiting_three(siao, coordinator, programme):
    """Three households on the list, in this order."""
    return [
        waiting_household(siao, coordinator, programme, name, days)
        for name, days in (("Premier", 90), ("Deuxieme", 80), ("Troisieme", 70))
    ]


def test_choosing_the_third_over_the_first_two_asks_for_a_reason_kept_and_shown(
    client, coordinator, waiting_three, unit, manager
):
    vacancy = declare_vacancy(unit, opened_on=today() - 5 * DAY, acting_user=manager)
    client.force_login(coordinator)
    url = reverse("orientation:propose", args=[vacancy.uuid])
    page = text_of(client.get(url))
    # The form shows each household with its position and its assessment.
    assert "PREMIER" in page and "Évaluation du" in page
    third = waiting_three[2]
    data = {"referral": str(third.uuid), "proposed_on": today().isoformat()}
    refused = client.post(url, data)
    assert refused.status_code == 200
    message = refused.context["form"].errors["skip_reason"][0]
    assert "3e sur la liste d'attente : 2 ménages placés avant lui" in message
    assert not Proposal.objects.exists()
    reason = "Le logement est au rez-de-chaussée, seul ce ménage en a besoin."
    assert client.post(url, {**data, "skip_reason": reason}).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.waiting_position, proposal.skip_reason) == (3, reason)
    detail = text_of(client.get(reverse("orientation:proposal_detail", args=[proposal.uuid])))
    assert f"3e le jour de la proposition ; ordre de la liste non suivi : {reason}" in detail


def test_the_first_of_the_list_needs_no_reason(client, coordinator, waiting_three, unit, manager):
    vacancy = declare_vacancy(unit, opened_on=today() - 5 * DAY, acting_user=manager)
    client.force_login(coordinator)
    url = reverse("orientation:propose", args=[vacancy.uuid])
    data = {"referral": str(waiting_three[0].uuid), "proposed_on": today().isoformat()}
    assert client.post(url, data).status_code == 302
    assert Proposal.objects.get().skip_reason == ""


# ---- the assessment ---------------------------------------------------------------------


@pytest.fixture
def received(household, siao, coordinator):
    return record_request(
        household, siao=siao, received_on=today() - 30 * DAY, origin="shelter",
        acting_user=coordinator,
    )  # fmt: skip


def assessment_data(**fields):
    return {
        "assessed_on": today().isoformat(),
        "support_level": "standard",
        "employment_profile": "unknown",
        **fields,
    }


def test_the_assessment_starts_at_non_renseigne_for_employment(client, coordinator, received):
    client.force_login(coordinator)
    form = client.get(reverse("orientation:assess", args=[received.uuid])).context["form"]
    assert form["employment_profile"].value() == "unknown"
    assert form.fields["employment_profile"].choices[0] == ("unknown", "Non renseigné")


def test_a_single_parent_criterion_is_refused_for_a_one_person_household(
    client, coordinator, received
):
    client.force_login(coordinator)
    url = reverse("orientation:assess", args=[received.uuid])
    response = client.post(url, assessment_data(priority_criteria=["single_parent"]))
    assert response.status_code == 200
    errors = response.context["form"].errors["priority_criteria"]
    assert "« Famille monoparentale » : le ménage ne compte aucun enfant" in errors[0]
    assert not Request.objects.get().assessments.exists()
    MembershipFactory(household=received.household, role="child")
    assert client.post(url, assessment_data(priority_criteria=["single_parent"])).status_code == 302


def test_the_assessment_is_in_sections_and_its_errors_are_listed_by_section(
    client, coordinator, received
):
    client.force_login(coordinator)
    url = reverse("orientation:assess", args=[received.uuid])
    html = client.get(url).content.decode()
    for heading in ("Évaluation", "Logement souhaité", "Ressources et loyer", "Priorité"):
        assert f"<legend><h2>{heading}</h2></legend>" in html
    response = client.post(
        url, assessment_data(support_level="", territory_1="99", monthly_resources="-5")
    )
    summary = re.search(r'class="error-summary".*?</div>', response.content.decode(), re.S)
    headings = re.findall(r"<h3>(.*?)</h3>", summary.group())
    assert headings == ["Évaluation", "Logement souhaité", "Ressources et loyer"]
