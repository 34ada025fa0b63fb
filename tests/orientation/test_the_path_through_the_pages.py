"""The whole path through the pages (Django's test client): each page renders in French
and each form does what it says, from the request to the entry."""

import datetime
import re

import pytest
from django.urls import reverse

from seuil.housing.models import Stay
from seuil.orientation.enums import ProposalStatus, ReferralStatus, RequestStatus
from seuil.orientation.models import CommissionMeeting, Proposal, Referral, Request, Vacancy
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)


def iso(day):
    return day.isoformat()


def post(client, url, data, *, follow=True):
    response = client.post(url, data, follow=follow)
    assert response.status_code == 200, response.status_code
    errors = re.findall(r'class="error-summary".*?</div>', response.content.decode(), re.S)
    assert not errors, errors
    return response


@pytest.fixture
def with_resources(household):
    from tests.households.factories import ResourceRecordFactory

    ResourceRecordFactory(household=household, on=today() - 90 * DAY, types=["rsa"])
    return household


def test_a_household_goes_from_its_request_to_its_entry_through_the_pages(
    client, coordinator, manager, landlord_user, household, with_resources, unit, programme
):
    client.force_login(coordinator)
    page = client.get(reverse("orientation:index"))
    assert "Enregistrer une demande" in page.content.decode()

    post(
        client,
        reverse("orientation:request_create"),
        {
            "household": household.uuid,
            "siao": coordinator.organisation.uuid,
            "received_on": iso(today() - 60 * DAY),
            "origin": "shelter",
            "prescriber": "CADA de Montdidier",
        },
    )
    request = Request.objects.get()
    assert request.status == RequestStatus.RECEIVED
    page = client.get(reverse("orientation:request_detail", args=[request.uuid]))
    assert "n'est pas encore évaluée" in page.content.decode()

    page = client.get(reverse("orientation:assess", args=[request.uuid]))
    assert "RSA" in page.content.decode()  # the household's recorded resources
    post(
        client,
        reverse("orientation:assess", args=[request.uuid]),
        {
            "assessed_on": iso(today() - 50 * DAY),
            "support_level": "reinforced",
            "needs": ["rights", "french"],
            "territory_1": "80",
            "territory_2": "Grand Amiénois",
            "wished_typologies": ["T2"],
            "employment_profile": "training",
            "monthly_resources": "900",
            "housing_benefit": "250",
            "priority_criteria": ["shelter_exit"],
            "social_note": "Ménage autonome, projet de logement dans la Somme.",
            "household_version": household.version,
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSESSED
    assessment = request.assessments.get()
    assert assessment.bearable_rent == 520  # 250 + 30 % of 900
    assert assessment.wished_territories == ["80", "Grand Amiénois"]
    household.refresh_from_db()
    assert household.social_note.startswith("Ménage autonome")

    post(
        client,
        reverse("orientation:meeting_create"),
        {"held_on": iso(today() - 45 * DAY), "members_present": "Mme Froment (SIAO)"},
    )
    meeting = CommissionMeeting.objects.get()
    post(
        client,
        reverse("orientation:meeting_agenda", args=[meeting.uuid]),
        {"requests": [request.uuid]},
    )
    page = client.get(reverse("orientation:meeting_detail", args=[meeting.uuid]))
    assert "À décider" in page.content.decode()
    request.refresh_from_db()
    post(
        client,
        reverse("orientation:decide", args=[meeting.uuid, request.uuid]),
        {"outcome": "admitted", "programme": programme.uuid, "version": request.version},
    )
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.WAITING
    minutes = client.get(reverse("orientation:meeting_minutes", args=[meeting.uuid]))
    assert minutes["Content-Type"] == "application/pdf"
    assert minutes.content.startswith(b"%PDF")

    page = client.get(reverse("orientation:waiting_list", args=[programme.uuid]))
    html = page.content.decode()
    assert "DIALLO Aïcha" in html
    assert "Doit quitter son hébergement" in html
    assert page.context["lists"][0].entries[0].position == 1
    client.logout()

    client.force_login(landlord_user)
    page = client.get(reverse("orientation:vacancy_declare"))
    assert "L19" in page.content.decode()
    post(
        client,
        reverse("orientation:vacancy_declare"),
        {"unit": unit.uuid, "opened_on": iso(today() - 10 * DAY)},
    )
    vacancy = Vacancy.objects.get()
    assert vacancy.opening_reason == "landlord"
    client.logout()

    client.force_login(coordinator)
    page = client.get(reverse("orientation:vacancy_detail", args=[vacancy.uuid]))
    assert "Loyer supportable : oui" in page.content.decode()
    post(
        client,
        reverse("orientation:propose", args=[vacancy.uuid]),
        {"referral": referral.uuid, "proposed_on": iso(today() - 3 * DAY), "ask_landlord": "on"},
    )
    proposal = Proposal.objects.get()
    post(
        client,
        reverse("orientation:proposal_answer", args=[proposal.uuid]),
        {"party": "household", "accepted": "yes", "on": iso(today() - 2 * DAY), "version": 1},
    )
    client.logout()

    client.force_login(landlord_user)
    page = client.get(reverse("orientation:proposals"))
    assert proposal.ref in page.content.decode()
    detail = client.get(reverse("orientation:proposal_detail", args=[proposal.uuid]))
    assert "Ménage autonome" not in detail.content.decode()  # no consent: no social note
    # The landlord answers for itself only: no radio group of one button to tick.
    form = client.get(reverse("orientation:proposal_answer", args=[proposal.uuid]))
    html = form.content.decode()
    assert 'type="radio" name="party"' not in html
    assert '<input type="hidden" name="party" value="landlord"' in html
    assert "Vous enregistrez la réponse du bailleur." in html
    assert html.count('type="radio"') == 2  # accepts or refuses: a real choice
    post(
        client,
        reverse("orientation:proposal_answer", args=[proposal.uuid]),
        {"party": "landlord", "accepted": "yes", "on": iso(today() - DAY), "version": 2},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    client.logout()

    client.force_login(manager)
    page = client.get(reverse("orientation:proposal_detail", args=[proposal.uuid]))
    assert "Faire entrer" in page.content.decode()
    response = post(
        client,
        reverse("orientation:proposal_enter", args=[proposal.uuid]),
        {"entered_on": iso(today()), "support_intensity": "reinforced"},
    )
    assert "Entrée enregistrée" in response.content.decode()
    stay = Stay.objects.get()
    assert (stay.unit, stay.household, stay.organisation) == (unit, household, manager.organisation)
    assert stay.support_intensity == "reinforced"
    page = client.get(reverse("housing:detail", args=[unit.uuid]))
    section = page.content.decode().split("<h2>Vacance</h2>")[1].split("<h2>")[0]
    # In stock and empty from its captation 400 days ago until today's entry.
    assert "364 jours de vacance" in section  # the last 12 months (365 days, today occupied)
    assert "400 jours de vacance" in section  # since it was captured
    assert re.search(r"<td class=\"num\">10</td>", section)  # the vacancy record: 10 days
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.HOUSED
