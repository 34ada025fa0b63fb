"""`seuil.core.history`: snapshots, differences, encrypted fields, bulk records."""

import datetime
import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_field

from seuil.core import history
from seuil.core.models import ChangeRecord
from seuil.households.enums import Sex
from seuil.households.models import Household, LegalStatusRecord, Membership, Person
from seuil.households.services import update_household
from tests.conftest import examples
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import StayFactory


@pytest.fixture
def encrypted_prior_situation(monkeypatch):
    """`Household.prior_situation` pretending to be an encrypted field."""
    field = Household._meta.get_field("prior_situation")
    monkeypatch.setattr(field, "encrypted", True, raising=False)
    history._plan.cache_clear()
    yield field
    monkeypatch.undo()
    history._plan.cache_clear()


def test_a_snapshot_holds_json_values_and_leaves_out_the_bookkeeping(org_a):
    stay = StayFactory(
        household__organisation=org_a,
        household__ref="M-1",
        unit__ref="L-12",
        entered_on=datetime.date(2024, 3, 1),
    )
    values = history.snapshot(stay)
    assert values["entered_on"] == "2024-03-01"
    assert values["exited_on"] is None
    assert values["household"] == "M-1"
    assert values["unit"] == "L-12"
    assert values["support_intensity"] == "standard"
    assert not {"id", "uuid", "organisation", "version", "updated_at"} & set(values)
    assert json.loads(json.dumps(values)) == values


def test_a_difference_keeps_only_the_fields_that_changed():
    before = {"first_name": "Awa", "last_name": "Diallo", "birth_date": None}
    after = {"first_name": "Awa", "last_name": "Diallo-Sow", "birth_date": "1990-02-01"}
    assert history.diff(Person, before, after) == {
        "last_name": ["Diallo", "Diallo-Sow"],
        "birth_date": [None, "1990-02-01"],
    }
    assert history.diff(Person, before, before) == {}


def test_a_creation_keeps_the_values_that_are_filled_in():
    after = {"ref": "P1", "first_name": "Awa", "last_name": "", "sex": "F", "birth_date": None}
    assert history.diff(Person, None, after) == {
        "ref": [None, "P1"],
        "first_name": [None, "Awa"],
        "sex": [None, "F"],
    }


def test_an_encrypted_field_is_recorded_as_markers_never_its_text(org_a, encrypted_prior_situation):
    user = UserFactory(organisation=org_a, social_worker=True)
    household = HouseholdFactory(organisation=org_a, prior_situation="street_or_115")
    update_household(household, acting_user=user, prior_situation="specialised_shelter")
    record = ChangeRecord.objects.get()
    assert record.changes == {"prior_situation": ["(masqué)", "(modifié)"]}
    stored = json.dumps(list(ChangeRecord.objects.values_list("changes", flat=True)))
    assert "street_or_115" not in stored and "specialised_shelter" not in stored


def test_a_snapshot_of_an_encrypted_field_never_holds_its_text(encrypted_prior_situation):
    household = Household(ref="M-1", prior_situation="street_or_115")
    values = history.snapshot(household)
    assert values["prior_situation"] is not None
    assert "street_or_115" not in json.dumps(values)
    household.prior_situation = ""
    assert history.snapshot(household)["prior_situation"] is None


def test_an_encrypted_field_filled_in_then_emptied_says_so_without_its_text(
    encrypted_prior_situation,
):
    filled = history.snapshot(Household(ref="M-1", prior_situation="street_or_115"))
    empty = history.snapshot(Household(ref="M-1", prior_situation=""))
    assert history.diff(Household, empty, filled) == {"prior_situation": [None, "(renseigné)"]}
    assert history.diff(Household, filled, empty) == {"prior_situation": ["(masqué)", None]}


def test_the_real_encrypted_fields_of_a_household_are_masked_in_the_history(org_a):
    encrypted = [f for f in Household._meta.concrete_fields if history.is_encrypted(f)]
    assert encrypted
    field = encrypted[0]
    household = HouseholdFactory(organisation=org_a)
    before = history.snapshot(household)
    setattr(household, field.attname, "Violences conjugales signalées en 2023")
    after = history.snapshot(household)
    changes = history.diff(Household, before, after)
    assert changes == {field.name: [None, "(renseigné)"]}
    assert "Violences" not in json.dumps(after)


def test_a_bulk_recorder_writes_one_record_per_row_created_changed_or_deleted(org_a):
    household = HouseholdFactory(organisation=org_a, ref="M-7")
    person_uuid, membership_uuid, status_uuid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    recorder = history.BulkRecorder(organisation=org_a)
    recorder.created(
        Person,
        person_uuid,
        {"ref": "P-1", "first_name": "Awa", "last_name": "", "birth_date": None},
        household=household,
    )
    recorder.changed(
        Membership,
        membership_uuid,
        {"role": "head", "left_on": None},
        {"role": "head", "left_on": datetime.date(2024, 5, 31)},
        household=household.uuid,
    )
    recorder.changed(
        Membership, membership_uuid, {"role": "head"}, {"role": "head"}, household=None
    )
    recorder.deleted(
        LegalStatusRecord,
        status_uuid,
        {"person_id": 42, "since": datetime.date(2021, 6, 1), "status": "refugee"},
        household=household,
        related={"person_id": {42: "P-1"}},
    )
    assert recorder.write() == 3
    records = {r.object_uuid: r for r in ChangeRecord.objects.of_household(household.uuid)}
    assert records[person_uuid].action == "create"
    assert records[person_uuid].changes == {"ref": [None, "P-1"], "first_name": [None, "Awa"]}
    assert records[membership_uuid].changes == {"left_on": [None, "2024-05-31"]}
    assert records[status_uuid].action == "delete"
    assert records[status_uuid].changes == {
        "person": ["P-1", None],
        "since": ["2021-06-01", None],
        "status": ["refugee", None],
    }
    for record in records.values():
        assert (record.user, record.role, record.organisation) == (None, "", org_a)


def test_the_history_of_a_household_is_one_query_newest_first(org_a, django_assert_num_queries):
    membership = MembershipFactory(household__organisation=org_a)
    household = membership.household
    for minutes in (3, 1, 2):
        ChangeRecord.objects.create(
            at=datetime.datetime(2024, 1, 1, 12, minutes, tzinfo=datetime.UTC),
            action="change",
            object_type="person",
            object_uuid=membership.person.uuid,
            household_uuid=household.uuid,
            changes={"first_name": ["A", "B"]},
        )
    with django_assert_num_queries(1):
        minutes = [r.at.minute for r in ChangeRecord.objects.of_household(household.uuid)]
    assert minutes == [3, 2, 1]


names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30)
person_values = st.fixed_dictionaries(
    {
        "ref": st.from_regex(r"P-[0-9A-F]{4}", fullmatch=True),
        "first_name": names,
        "last_name": names,
        "sex": st.sampled_from(["", *Sex.values]),
        "birth_date": st.none() | from_field(Person._meta.get_field("birth_date")),
    }
)


@settings(max_examples=examples(200), deadline=None)
@given(person_values, person_values)
def test_applying_the_difference_of_two_snapshots_gives_the_second(first, second):
    before = history.snapshot(Person(**first))
    after = history.snapshot(Person(**second))
    changes = history.diff(Person, before, after)
    rebuilt = {**before, **{name: new for name, (_, new) in changes.items()}}
    assert rebuilt == after
    assert all(old != new for old, new in changes.values())
    assert json.loads(json.dumps(changes)) == changes
    assert history.diff(Person, after, after) == {}
