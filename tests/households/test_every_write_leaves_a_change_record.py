"""Every service that writes a household's file leaves exactly the expected ChangeRecord:
who, in which role and organisation, which object, which fields before and after."""

import datetime
import json

import pytest

from seuil.core.models import ChangeRecord
from seuil.households import services
from seuil.households.models import Household
from seuil.housing import services as housing_services
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory


@pytest.fixture
def worker(org_a):
    return UserFactory(organisation=org_a, social_worker=True, first_name="Inès", last_name="Roy")


@pytest.fixture
def head(org_a):
    return MembershipFactory(
        household__organisation=org_a,
        household__prior_situation="street_or_115",
        person__first_name="Awa",
        person__last_name="Diallo",
    )


def only_record():
    return ChangeRecord.objects.get()


def test_changing_a_household_records_the_field_before_and_after(worker, head):
    household = head.household
    services.update_household(household, acting_user=worker, prior_situation="specialised_shelter")
    record = only_record()
    assert (record.user, record.role, record.organisation) == (
        worker,
        "social_worker",
        worker.organisation,
    )
    assert (record.action, record.object_type, record.object_uuid) == (
        "change",
        "household",
        household.uuid,
    )
    assert record.household_uuid == household.uuid
    assert record.changes == {"prior_situation": ["street_or_115", "specialised_shelter"]}


def test_saving_a_household_unchanged_records_nothing(worker, head):
    services.update_household(head.household, acting_user=worker, prior_situation="street_or_115")
    assert not ChangeRecord.objects.exists()


def test_creating_a_household_records_its_creation(worker, org_a):
    household = services.create_household(
        organisation=org_a, acting_user=worker, prior_situation="general_shelter", ref="M-9"
    )
    record = only_record()
    assert (record.action, record.object_uuid, record.household_uuid) == (
        "create",
        household.uuid,
        household.uuid,
    )
    assert record.changes == {"ref": [None, "M-9"], "prior_situation": [None, "general_shelter"]}


def test_adding_a_member_records_the_person_and_the_membership(worker, head):
    household = head.household
    membership = services.add_member(
        household,
        acting_user=worker,
        person_fields={"first_name": "Moussa", "last_name": "Diallo", "sex": "M"},
        role="child",
        joined_on=datetime.date(2024, 3, 12),
        joined_reason="birth",
    )
    records = {r.object_type: r for r in ChangeRecord.objects.all()}
    assert set(records) == {"person", "membership"}
    assert {r.household_uuid for r in records.values()} == {household.uuid}
    assert records["person"].object_uuid == membership.person.uuid
    assert records["person"].changes["first_name"] == [None, "Moussa"]
    assert records["membership"].changes == {
        "household": [None, household.ref],
        "person": [None, membership.person.ref],
        "role": [None, "child"],
        "joined_on": [None, "2024-03-12"],
        "joined_reason": [None, "birth"],
    }


def test_changing_a_member_records_the_person_and_the_membership_changes(worker, head):
    services.update_member(
        head,
        acting_user=worker,
        person_fields={"last_name": "Diallo-Sow"},
        left_on=datetime.date(2024, 6, 30),
    )
    records = {r.object_type: r.changes for r in ChangeRecord.objects.all()}
    assert records == {
        "person": {"last_name": ["Diallo", "Diallo-Sow"]},
        "membership": {"left_on": [None, "2024-06-30"]},
    }


def test_a_legal_status_is_filed_under_the_household_of_the_person(worker, head):
    record = services.record_legal_status(
        head.person, acting_user=worker, since=datetime.date(2024, 1, 5), status="refugee"
    )
    change = only_record()
    assert (change.object_type, change.object_uuid) == ("legalstatusrecord", record.uuid)
    assert change.household_uuid == head.household.uuid
    assert change.changes == {
        "person": [None, head.person.ref],
        "since": [None, "2024-01-05"],
        "status": [None, "refugee"],
    }


def test_recording_resources_records_their_types(worker, head):
    services.record_resources(
        head.household, acting_user=worker, on=datetime.date(2024, 2, 1), types=["salary", "rsa"]
    )
    assert only_record().changes == {
        "household": [None, head.household.ref],
        "on": [None, "2024-02-01"],
        "types": [None, ["rsa", "salary"]],
    }


def test_an_entry_then_an_exit_record_the_stay_created_then_its_exit(worker, head, org_a):
    unit = HousingUnitFactory(organisation=org_a, ref="L-12")
    stay = housing_services.enter_household(
        head.household, unit, entered_on=datetime.date(2024, 1, 2), acting_user=worker
    )
    housing_services.record_exit(
        stay,
        exited_on=datetime.date(2024, 9, 30),
        destination="social_landlord",
        lease_transferred=True,
        acting_user=worker,
    )
    created, exited = ChangeRecord.objects.order_by("pk")
    assert (created.action, created.object_uuid) == ("create", stay.uuid)
    assert created.changes["unit"] == [None, "L-12"]
    assert created.changes["entered_on"] == [None, "2024-01-02"]
    assert exited.action == "change"
    assert exited.household_uuid == head.household.uuid
    assert exited.changes == {
        "exited_on": [None, "2024-09-30"],
        "exit_destination": ["", "social_landlord"],
        "lease_transferred": [False, True],
    }


def test_a_refused_write_leaves_no_change_record(worker, head, org_a):
    stay = StayFactory(household=head.household, entered_on=datetime.date(2024, 1, 2))
    with pytest.raises(Exception):  # noqa: B017 (any refusal: the point is what is left)
        housing_services.record_exit(
            stay,
            exited_on=datetime.date(2023, 1, 1),
            destination="social_landlord",
            acting_user=worker,
        )
    assert not ChangeRecord.objects.exists()


def test_writing_the_social_note_records_markers_never_the_text(worker, head):
    services.update_social_note(
        head.household,
        acting_user=worker,
        social_note="Suivi après des violences conjugales.",
        sensitive_details="Traitement en cours.",
    )
    record = only_record()
    stored = json.dumps(record.changes)
    assert "violences" not in stored and "Traitement" not in stored
    assert record.changes["social_note"] == [None, "(renseigné)"]
    services.update_social_note(
        Household.objects.get(pk=head.household.pk),
        acting_user=worker,
        social_note="Autre texte.",
    )
    latest = ChangeRecord.objects.order_by("-pk").first()
    assert latest.changes == {"social_note": ["(masqué)", "(modifié)"]}
