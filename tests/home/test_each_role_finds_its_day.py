"""Each role finds its own day on its home page (on the demo): the SIAO its requests to
assess, next commission, waiting lists and open vacancies — the same counts as its
orientation pages, never zeros; the landlord the proposals awaiting its answer; the social
worker its households and tasks; the psychologist the households referred to them."""

import re

import pytest
from django.urls import reverse

from seuil.core.models import User
from seuil.households.models import ClinicalReferral
from seuil.notifications.services import tasks_of
from seuil.orientation.enums import Answer, ProposalStatus, RequestStatus
from seuil.orientation.models import Proposal, Referral, Request, Vacancy
from seuil.support.models import Referent


def home_of(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return user, response.content.decode()


def stat(html, label):
    """The value of the figure labelled `label` on the page."""
    found = re.search(
        r'<span class="stat-value">\s*([\d\s\u202f]+)\s*</span>\s*<span class="stat-label">'
        + re.escape(label),
        html,
    )
    assert found, label
    return int(re.sub(r"\D", "", found.group(1)))


@pytest.mark.django_db
def test_the_siao_sees_its_requests_lists_and_vacancies_not_zeros(client, demo_loaded, today):
    user, html = home_of(client, "coordinatrice-siao")
    siao = user.organisation
    to_assess = Request.objects.filter(siao=siao, status=RequestStatus.RECEIVED).count()
    waiting = Referral.objects.filter(siao=siao).waiting_on(today).count()
    vacancies = Vacancy.objects.visible_to(user).filter(closed_on__isnull=True).count()
    assert waiting > 0 and vacancies > 0
    assert stat(html, "Demandes à évaluer") == to_assess
    assert stat(html, "Ménages en liste d'attente") == waiting
    assert stat(html, "Vacances ouvertes") == vacancies
    assert "Prochaine commission" in html
    assert "Ménages présents" not in html  # an operator's stock figures: none for a SIAO


@pytest.mark.django_db
def test_the_landlord_sees_the_proposals_awaiting_its_answer(client, demo_loaded):
    user, html = home_of(client, "bailleur-opac")
    awaiting = Proposal.objects.visible_to(user).filter(
        status=ProposalStatus.PROPOSED, landlord_answer=Answer.PENDING
    )
    assert "Propositions qui attendent votre réponse" in html
    for proposal in awaiting:
        assert proposal.ref in html
    if not awaiting:
        assert "Aucune proposition n'attend votre réponse." in html


@pytest.mark.django_db
def test_the_social_worker_sees_its_households_and_its_tasks(client, demo_loaded, today):
    user, html = home_of(client, "travailleur-social")
    mine = Referent.objects.filter(worker=user).on(today).select_related("household")
    assert mine
    for referent in mine:
        assert f"Ménage {referent.household.ref}" in html
    overdue, to_do = tasks_of(user, today)
    if overdue or to_do:
        assert "Mes tâches" in html and (overdue + to_do)[0].title in html


@pytest.mark.django_db
def test_the_psychologist_sees_the_households_referred_to_them(client, demo_loaded, today):
    user, html = home_of(client, "psychologue")
    referred = ClinicalReferral.objects.filter(psychologist=user).active_on(today)
    assert "Ménages qui vous sont adressés" in html
    for referral in referred:
        assert f"Ménage {referral.household.ref}" in html
