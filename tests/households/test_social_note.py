"""The social note and the sensitive details: written by the team, read by who may."""

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.core.permissions import can_view_social_note
from seuil.households.models import Household
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory

NOTE = "Projet de relogement dans le Grand Amiénois, près de l'école."
SECRET = "Violences conjugales : adresse à ne jamais communiquer."


@pytest.fixture
def household(org_a):
    household = HouseholdFactory(organisation=org_a, social_note=NOTE, sensitive_details=SECRET)
    MembershipFactory(household=household)
    return household


def detail(client, user, household):
    client.force_login(user)
    response = client.get(reverse("households:detail", args=[household.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_tenancy_officer_never_sees_the_social_note(client, org_a, household):
    officer = UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)
    assert not can_view_social_note(officer, household)
    body = detail(client, officer, household)
    assert "Grand Amiénois" not in body and "Violences" not in body
    assert reverse("households:social_note", args=[household.uuid]) not in body
    page = client.get(reverse("households:social_note", args=[household.uuid]))
    assert page.status_code == 403


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SERVICE_MANAGER])
def test_the_team_reads_the_note_and_the_sensitive_details(client, org_a, household, role):
    body = detail(client, UserFactory(organisation=org_a, role=role), household)
    assert "Grand Amiénois" in body and "Violences conjugales" in body


def test_another_organisation_reads_nothing(client, member_b, household):
    client.force_login(member_b)
    assert client.get(reverse("households:detail", args=[household.uuid])).status_code == 404
    page = client.get(reverse("households:social_note", args=[household.uuid]))
    assert page.status_code == 404


def test_the_social_worker_writes_the_note_and_the_change_is_logged_without_its_text(
    client, org_a, household
):
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    client.force_login(worker)
    url = reverse("households:social_note", args=[household.uuid])
    form = client.get(url).content.decode()
    assert "Grand Amiénois" in form and "Violences" in form
    response = client.post(
        url,
        {"social_note": "Nouvelle évaluation.", "sensitive_details": "", "version": 1},
    )
    assert response.status_code == 302
    household = Household.objects.get(pk=household.pk)
    assert (household.social_note, household.sensitive_details) == ("Nouvelle évaluation.", "")
    assert household.version == 2
    assert AccessLog.objects.filter(user=worker, action="change").exists()
    for record in ChangeRecord.objects.filter(object_uuid=household.uuid):
        assert "évaluation" not in str(record.changes) and "Violences" not in str(record.changes)


def test_a_stale_edit_of_the_note_is_refused_and_nothing_is_lost(client, org_a, household):
    client.force_login(UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    url = reverse("households:social_note", args=[household.uuid])
    client.post(url, {"social_note": "Première version.", "version": 1})
    response = client.post(url, {"social_note": "Écrite sur une page ancienne.", "version": 1})
    assert response.status_code == 200
    body = response.content.decode()
    assert "a été modifié par quelqu" in body and "Écrite sur une page ancienne." in body
    assert Household.objects.get(pk=household.pk).social_note == "Première version."
