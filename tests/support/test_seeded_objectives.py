"""Objectives proposed from the SIAO's assessment: at the entry the referent is asked, the
household file proposes them, and only those the worker ticks are set."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.housing.services import enter_household
from seuil.notifications.models import Notification
from seuil.orientation.enums import SupportNeed
from seuil.support import needs
from seuil.support.enums import ObjectiveDomain
from seuil.support.models import Objective
from seuil.support.services import assign_referent, set_objective
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory
from tests.orientation.factories import AssessmentFactory, RequestFactory

D = datetime.date


def test_every_need_of_the_assessment_maps_to_a_domain_or_is_left_out_on_purpose():
    for need in SupportNeed:
        assert (need in needs.NEED_DOMAINS) != (need in needs.LEFT_OUT), need
    assert set(needs.NEED_DOMAINS.values()) <= set(ObjectiveDomain)
    # Each left out need says why.
    assert all(reason for reason in needs.LEFT_OUT.values())


@pytest.fixture
def assessed(org_a, today):
    household = HouseholdFactory(organisation=org_a, ref="M-EVAL")
    MembershipFactory(household=household, role="head", person__first_name="Awa")
    request = RequestFactory(household=household)
    # An older assessment, then the last one: its needs are the ones proposed.
    AssessmentFactory(request=request, assessed_on=D(2024, 1, 15), needs=["mobility"])
    AssessmentFactory(
        request=request,
        assessed_on=D(2024, 3, 1),
        needs=["rights", "french", "budget", "housing_skills"],
    )
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    assign_referent(household, worker, since=D(2024, 1, 1), by=worker)
    return household, worker


def test_the_entry_asks_the_referent_to_confirm_and_sets_nothing(org_a, assessed, today):
    household, worker = assessed
    entering = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    unit = HousingUnitFactory(organisation=org_a, programme=ProgrammeFactory(organisation=org_a))
    enter_household(household, unit, entered_on=today, acting_user=entering)
    assert not Objective.objects.filter(household=household).exists()
    notice = Notification.objects.get(recipient=worker, kind="objectives_to_propose")
    assert "M-EVAL" in notice.message and "4 objectifs" in notice.message
    assert "Awa" not in notice.message
    assert notice.url == reverse("support:objectives_propose", args=[household.uuid])


def test_the_worker_ticks_the_objectives_to_set(client, assessed, today):
    household, worker = assessed
    # Budget is already in progress: not proposed again.
    set_objective(household, domain="budget", set_on=D(2025, 1, 1), by=worker)
    client.force_login(worker)
    html = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Confirmer les objectifs proposés" in html
    url = reverse("support:objectives_propose", args=[household.uuid])
    page = client.get(url).content.decode()
    assert "Évaluation du 01/03/2024" in page
    assert "Démarches administratives" in page and "Apprentissage du français" in page
    assert 'value="budget"' not in page and 'value="mobility"' not in page
    response = client.post(
        url, {"domains": ["administrative", "french"], "set_on": "2025-06-15", "due_on": ""}
    )
    assert response.status_code == 302
    set_now = Objective.objects.filter(household=household, set_on=D(2025, 6, 15))
    assert sorted(set_now.values_list("domain", flat=True)) == ["administrative", "french"]
    assert "01/03/2024" in set_now.get(domain="french").actions
    for objective in set_now:
        assert ChangeRecord.objects.filter(object_uuid=objective.uuid).exists()
        assert AccessLog.objects.filter(object_uuid=objective.uuid, action="create").exists()
    # What is left: housing (« savoir habiter »), still proposed, not set.
    left = [p.domain for p in needs.to_propose(household)]
    assert left == ["housing"]


def test_nothing_ticked_sets_nothing(client, assessed):
    household, worker = assessed
    client.force_login(worker)
    url = reverse("support:objectives_propose", args=[household.uuid])
    response = client.post(url, {"set_on": "2025-06-15"})
    assert response.status_code == 200
    assert not Objective.objects.filter(household=household).exists()


def test_a_household_without_assessment_has_nothing_proposed(client, org_a, today):
    household = HouseholdFactory(organisation=org_a)
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    client.force_login(worker)
    response = client.get(reverse("support:objectives_propose", args=[household.uuid]), follow=True)
    assert "rien à proposer" in response.content.decode()
    html = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Confirmer les objectifs proposés" not in html


def test_another_organisations_worker_cannot_reach_the_proposals(client, assessed, org_b):
    household, _ = assessed
    client.force_login(UserFactory(organisation=org_b, role=Role.SOCIAL_WORKER))
    url = reverse("support:objectives_propose", args=[household.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"domains": ["french"], "set_on": "2025-06-15"}).status_code == 404
    assert not Objective.objects.filter(household=household).exists()
