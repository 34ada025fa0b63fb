"""Handing a household's file over: the new holder takes the file, the former one keeps
what the law keeps with it (sensitive details, the social note without consent) and a link
for a while; everything in the history."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.history import ChangeRecord
from seuil.households.links import RETENTION, hand_over
from seuil.households.models import Handover, Household, LinkReason
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.orientation.factories import SiaoFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def siao(db):
    return SiaoFactory(name="SIAO de la Somme")


@pytest.fixture
def operator(org_b):
    return org_b


@pytest.fixture
def household(siao, operator, today):
    household = HouseholdFactory(
        organisation=siao,
        ref="M-TRANS",
        social_note="Souhaite rester à Amiens.",
        sensitive_details="Suivi pour violences conjugales.",
    )
    person = PersonFactory(organisation=siao, first_name="Awa", last_name="Diallo")
    MembershipFactory(household=household, person=person, role="head")
    # It enters a unit of the operator: the operator is linked to it by the stay.
    StayFactory(
        household=household,
        organisation=operator,
        unit=HousingUnitFactory(organisation=operator),
        entered_on=today - 10 * DAY,
    )
    return household


@pytest.fixture
def coordinator(siao):
    return UserFactory(organisation=siao, role=Role.SIAO_COORDINATOR)


def visible(user, household):
    return Household.objects.visible_to(user).filter(pk=household.pk).exists()


def test_the_new_holder_takes_the_file_and_the_former_keeps_the_sensitive_parts(
    household, siao, operator, coordinator, today
):
    hand_over(household, to=operator, on=today, by=coordinator, reason="Entrée en IML.")
    household.refresh_from_db()
    assert household.organisation == operator
    assert {m.person.organisation for m in household.memberships.all()} == {operator}
    assert household.social_note == "" and household.sensitive_details == ""
    kept = Handover.objects.get(household=household)
    assert kept.kept_social_note == "Souhaite rester à Amiens."
    assert kept.kept_sensitive_details == "Suivi pour violences conjugales."
    manager = UserFactory(organisation=operator, role=Role.SERVICE_MANAGER)
    assert Household.objects.visible_to(manager, "change_households").filter(pk=household.pk)
    # The former holder reads the file for a while, changes nothing, then loses it.
    assert visible(coordinator, household)
    assert not Household.objects.visible_to(coordinator, "change_households").exists()
    with time_machine.travel(today + RETENTION[LinkReason.HANDOVER], tick=False):
        assert not visible(coordinator, household)
    assert ChangeRecord.objects.of_household(household.uuid).filter(object_type="handover")


def test_with_the_households_consent_the_social_note_goes_too(
    household, operator, coordinator, today
):
    hand_over(
        household,
        to=operator,
        on=today,
        by=coordinator,
        reason="Entrée en IML.",
        social_note_transferred=True,
    )
    household.refresh_from_db()
    assert household.social_note == "Souhaite rester à Amiens."
    assert household.sensitive_details == ""
    assert Handover.objects.get(household=household).kept_social_note == ""


def test_a_reference_already_used_by_the_new_holder_is_refused(
    household, operator, coordinator, today
):
    HouseholdFactory(organisation=operator, ref="M-TRANS")
    with pytest.raises(ValidationError, match="existe déjà dans l'organisation destinataire"):
        hand_over(household, to=operator, on=today, by=coordinator, reason="Entrée en IML.")
    household.refresh_from_db()
    assert household.organisation != operator


def test_the_page_offers_the_linked_organisations_and_hands_over(
    client, household, siao, operator, coordinator, today
):
    client.force_login(coordinator)
    url = reverse("households:handover", args=[household.uuid])
    page = client.get(url).content.decode()
    assert f'value="{operator.uuid}"' in page and operator.name in page
    assert f'value="{siao.uuid}"' not in page
    response = client.post(
        url,
        {"to_organisation": operator.uuid, "on": today.isoformat(), "reason": "Entrée en IML."},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.organisation == operator
    detail = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Ce que votre organisation a gardé lors de la transmission" in detail
    assert "Suivi pour violences conjugales." in detail
    # The new holder sees neither what the former one kept nor a handover button of its.
    manager = UserFactory(organisation=operator, role=Role.SERVICE_MANAGER)
    client.force_login(manager)
    detail = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Suivi pour violences conjugales." not in detail
    assert "Transmettre le dossier" in detail
    history = client.get(reverse("households:history", args=[household.uuid])).content.decode()
    assert f"Transmission du dossier à {operator.name}" in history


def test_only_the_holder_may_hand_over(client, household, operator):
    manager = UserFactory(organisation=operator, role=Role.SERVICE_MANAGER)
    client.force_login(manager)
    url = reverse("households:handover", args=[household.uuid])
    assert client.get(url).status_code == 404
    response = client.post(url, {"to_organisation": operator.uuid, "reason": "Vol."})
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.organisation != operator
