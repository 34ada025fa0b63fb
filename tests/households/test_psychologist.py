"""A psychologist sees only the households referred to them, while the referral lasts, and
their clinical notes are read by nobody else: not the manager, not the team, not the API,
not the exports, not the activity report."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ApiToken
from seuil.core.permissions import can_view_clinical_notes
from seuil.core.policy import Action
from seuil.households import services
from seuil.households.models import ClinicalNote, Household, Person
from seuil.housing.models import Stay
from tests.conftest import TODAY
from tests.core.factories import UserFactory
from tests.households.factories import (
    ClinicalNoteFactory,
    ClinicalReferralFactory,
    HouseholdFactory,
    MembershipFactory,
)
from tests.housing.factories import StayFactory

CLINICAL = "Reviviscences traumatiques la nuit ; travail sur le sommeil engagé."

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def psychologist(org_a):
    return UserFactory(
        organisation=org_a, role=Role.PSYCHOLOGIST, first_name="Hélène", last_name="Macquart"
    )


@pytest.fixture
def referred(org_a, psychologist):
    household = HouseholdFactory(organisation=org_a, ref="M-SUIVI")
    MembershipFactory(household=household, person__first_name="Zénobie")
    StayFactory(household=household)
    ClinicalReferralFactory(household=household, psychologist=psychologist)
    ClinicalNoteFactory(household=household, author=psychologist, text=CLINICAL)
    return household


@pytest.fixture
def not_referred(org_a):
    return HouseholdFactory(organisation=org_a, ref="M-AUTRE")


def test_the_psychologist_sees_only_the_households_referred_to_them(
    client, psychologist, referred, not_referred
):
    assert list(Household.objects.visible_to(psychologist)) == [referred]
    assert list(Person.objects.visible_to(psychologist)) == [referred.memberships.get().person]
    assert list(Stay.objects.visible_to(psychologist)) == [referred.stays.get()]
    client.force_login(psychologist)
    listing = client.get(reverse("households:list")).content.decode()
    assert "Zénobie" in listing and "M-AUTRE" not in listing
    assert client.get(reverse("households:detail", args=[not_referred.uuid])).status_code == 404
    detail = client.get(reverse("households:detail", args=[referred.uuid])).content.decode()
    assert reverse("households:clinical_notes", args=[referred.uuid]) in detail


def test_the_psychologist_reads_and_writes_notes_and_each_is_logged(client, psychologist, referred):
    client.force_login(psychologist)
    url = reverse("households:clinical_notes", args=[referred.uuid])
    page = client.get(url)
    assert page.status_code == 200 and "Reviviscences" in page.content.decode()
    note = ClinicalNote.objects.get()
    logged = set(AccessLog.objects.filter(user=psychologist).values_list("action", "object_uuid"))
    assert {("view", note.uuid), ("view", referred.uuid)} <= logged
    response = client.post(url, {"text": "Deuxième entretien : mieux."})
    assert response.status_code == 302
    written = ClinicalNote.objects.exclude(pk=note.pk).get()
    assert written.author == psychologist
    assert AccessLog.objects.filter(
        user=psychologist, action="create", object_uuid=written.uuid
    ).exists()
    assert "mieux" in client.get(url).content.decode()


def test_an_empty_note_is_refused_in_french(client, psychologist, referred):
    client.force_login(psychologist)
    response = client.post(
        reverse("households:clinical_notes", args=[referred.uuid]), {"text": "  "}
    )
    assert response.status_code == 200
    assert "Écrivez la note" in response.content.decode()
    assert ClinicalNote.objects.count() == 1


def test_after_the_referral_ends_the_psychologist_sees_nothing(
    client, psychologist, referred, member_a
):
    referral = referred.clinical_referrals.get()
    client.force_login(member_a)
    url = reverse("households:end_clinical_referral", args=[referred.uuid, referral.uuid])
    assert "Mettre fin au suivi" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    referral.refresh_from_db()
    assert referral.ended_on == TODAY
    assert not Household.objects.visible_to(psychologist).exists()
    assert not ClinicalNote.objects.visible_to(psychologist).exists()
    client.force_login(psychologist)
    assert client.get(reverse("households:detail", args=[referred.uuid])).status_code == 404
    notes = reverse("households:clinical_notes", args=[referred.uuid])
    assert client.get(notes).status_code == 404
    assert client.post(notes, {"text": "encore"}).status_code == 404
    assert "M-SUIVI" not in client.get(reverse("households:list")).content.decode()


def test_another_psychologist_of_the_organisation_sees_nothing(client, org_a, referred):
    other = UserFactory(organisation=org_a, role=Role.PSYCHOLOGIST)
    assert not Household.objects.visible_to(other).exists()
    assert not can_view_clinical_notes(other, referred)
    client.force_login(other)
    notes = reverse("households:clinical_notes", args=[referred.uuid])
    assert client.get(notes).status_code == 404
    with pytest.raises(PermissionDenied):
        services.write_clinical_note(referred, acting_user=other, text="intrusion")


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.SOCIAL_WORKER])
def test_the_team_never_reads_clinical_notes(client, org_a, referred, role):
    user = UserFactory(organisation=org_a, role=role)
    assert not can_view_clinical_notes(user, referred)
    assert not ClinicalNote.objects.visible_to(user).exists()
    client.force_login(user)
    notes = reverse("households:clinical_notes", args=[referred.uuid])
    assert client.get(notes).status_code == 404
    assert client.post(notes, {"text": "x"}).status_code == 404
    detail = client.get(reverse("households:detail", args=[referred.uuid])).content.decode()
    assert "Reviviscences" not in detail and notes not in detail
    assert ClinicalNote.objects.count() == 1


def test_clinical_notes_are_not_in_the_api_the_export_nor_the_report(
    client, member_a, org_a, referred
):
    _, key = ApiToken.issue(member_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for url in ("/api/v1/households/", f"/api/v1/households/{referred.uuid}/"):
        response = api.get(url)
        assert response.status_code == 200
        assert "Reviviscences" not in response.content.decode()
    out = io.StringIO()
    call_command("export", "--organisation", org_a.ref, stdout=out, stderr=io.StringIO())
    assert "M-SUIVI" in out.getvalue() and "Reviviscences" not in out.getvalue()
    client.force_login(member_a)
    report = client.get(reverse("reports:download"), {"format": "json"})
    assert "Reviviscences" not in report.content.decode()


def test_the_manager_refers_a_household_to_a_psychologist_of_the_organisation_only(
    client, member_a, org_a, org_b, psychologist, not_referred
):
    outsider = UserFactory(organisation=org_b, role=Role.PSYCHOLOGIST, first_name="Ondine")
    client.force_login(member_a)
    url = reverse("households:refer_to_psychologist", args=[not_referred.uuid])
    page = client.get(url).content.decode()
    assert "Hélène Macquart" in page and "Ondine" not in page
    today = TODAY.isoformat()
    refused = client.post(url, {"psychologist": outsider.uuid, "referred_on": today})
    assert refused.status_code == 200 and not not_referred.clinical_referrals.exists()
    assert (
        client.post(url, {"psychologist": psychologist.uuid, "referred_on": today}).status_code
        == 302
    )
    assert Household.objects.visible_to(psychologist).get() == not_referred
    with pytest.raises(ValidationError, match="psychologue de l'organisation"):
        services.refer_to_psychologist(not_referred, acting_user=member_a, psychologist=outsider)
    with pytest.raises(ValidationError, match="déjà adressé"):
        services.refer_to_psychologist(
            not_referred, acting_user=member_a, psychologist=psychologist
        )


def test_only_the_manager_may_refer(client, org_a, not_referred):
    client.force_login(UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    url = reverse("households:refer_to_psychologist", args=[not_referred.uuid])
    assert client.get(url).status_code == 403


def test_a_psychologist_of_another_organisation_is_never_referred_a_household(org_b, referred):
    outsider = UserFactory(organisation=org_b, role=Role.PSYCHOLOGIST)
    referral = referred.clinical_referrals.get()
    referral.psychologist = outsider  # bypassing the service: scoping still refuses
    referral.save()
    assert not Household.objects.visible_to(outsider).exists()
    assert not Household.objects.visible_to(outsider, Action.VIEW_CLINICAL_NOTES).exists()
