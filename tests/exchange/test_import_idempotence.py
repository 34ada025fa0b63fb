"""Importing twice changes nothing; a changed file updates the objects with the same ref."""

import datetime
from decimal import Decimal

import pytest

from seuil.core.models import AccessLog, Organisation
from seuil.exchange.importer import import_exchange
from seuil.households.models import Household, LegalStatusRecord, Membership, Person
from seuil.housing.models import EvictionProcedure, HousingUnit, Stay
from tests.exchange.conftest import all_uuids, row_counts
from tests.exchange.samples import member, minimal, rich

pytestmark = pytest.mark.django_db


def test_importing_the_same_file_twice_changes_nothing():
    first = import_exchange(rich())
    counts, uuids = row_counts(), all_uuids()
    stamps = dict(Person.objects.values_list("ref", "updated_at"))
    second = import_exchange(rich())
    assert row_counts() == counts
    assert all_uuids() == uuids
    assert dict(Person.objects.values_list("ref", "updated_at")) == stamps
    assert first.changed and not second.changed
    assert second.counts["persons"].unchanged == 6
    assert AccessLog.objects.filter(action=AccessLog.Action.CHANGE).count() == 1


def test_a_changed_file_updates_the_objects_with_the_same_ref():
    import_exchange(rich())
    uuids = all_uuids()
    data = rich()
    data["organisation"]["name"] = "APREMIS (nouveau nom)"
    data["housing_units"][0]["rent"] = 455.9
    data["housing_units"][2]["parent"] = None  # the room becomes a unit on its own
    data["households"][1]["members"][0]["first_name"] = "Gökhan Emre"
    data["stays"][0]["exited_on"] = "2024-10-31"
    data["stays"][0]["exit_destination"] = "private_landlord"
    summary = import_exchange(data, rename_organisation=True)
    assert all_uuids() == uuids
    assert Organisation.objects.get(ref="apremis").name == "APREMIS (nouveau nom)"
    assert HousingUnit.objects.get(ref="L01").rent == Decimal("455.90")
    assert HousingUnit.objects.get(ref="L02-A").parent is None
    assert Person.objects.get(ref="P04").first_name == "Gökhan Emre"
    assert Stay.objects.get(ref="S01").exited_on == datetime.date(2024, 10, 31)
    assert summary.counts["housing_units"].updated == 2
    assert summary.counts["housing_units"].unchanged == 3
    assert summary.counts["persons"].updated == 1
    assert summary.counts["stays"].updated == 1
    assert summary.counts["organisation"].updated == 1


def test_new_units_may_be_rooms_of_new_units():
    data = minimal()
    data["housing_units"] = [
        {"ref": "R1", "typology": "room", "parent": "F1", "captured_on": "2022-01-01"},
        {"ref": "F1", "typology": "T4", "captured_on": "2022-01-01"},
    ]
    data["stays"][0]["unit"] = "R1"
    summary = import_exchange(data)
    assert HousingUnit.objects.get(ref="R1").parent.ref == "F1"
    assert summary.counts["housing_units"].created == 2
    assert import_exchange(data).counts["housing_units"].unchanged == 2


def test_dated_records_are_replaced_by_what_the_file_says():
    import_exchange(rich())
    kept = LegalStatusRecord.objects.get(person__ref="P01", since="2021-06-01").uuid
    data = rich()
    aicha = data["households"][0]["members"][0]
    aicha["legal_status"] = [
        {"since": "2021-06-01", "status": "subsidiary_protection"},
        {"since": "2024-09-01", "status": "french_or_eu"},
    ]
    data["households"][0]["resources"].pop()
    data["households"][2]["members"].pop()  # Jérôme is no longer listed in M03
    data["eviction_procedures"].pop(0)
    summary = import_exchange(data)
    records = LegalStatusRecord.objects.filter(person__ref="P01").order_by("since")
    assert [(str(r.since), r.status) for r in records] == [
        ("2021-06-01", "subsidiary_protection"),
        ("2024-09-01", "french_or_eu"),
    ]
    assert records[0].uuid == kept
    assert summary.counts["legal_status"].deleted == 1
    assert summary.counts["legal_status"].updated == 1
    assert summary.counts["legal_status"].created == 1
    assert Household.objects.get(ref="M01").resource_records.count() == 1
    assert not Membership.objects.filter(person__ref="P06").exists()
    assert Person.objects.filter(ref="P06").exists()  # the person stays, only the link goes
    assert not EvictionProcedure.objects.filter(stay__ref="S01").exists()


def test_objects_absent_from_the_file_are_left_alone():
    import_exchange(rich())
    counts = row_counts()
    data = {
        "format": "seuil-exchange/1",
        "organisation": rich()["organisation"],
        "households": [
            {
                "ref": "M02",
                "prior_situation": "street_or_115",
                "members": [member("P04", "head", sex="M", first_name="Gökhan")],
            }
        ],
    }
    summary = import_exchange(data)
    assert row_counts() == counts
    assert summary.counts["households"].updated == 1
    assert Household.objects.get(ref="M01").memberships.count() == 3
    assert EvictionProcedure.objects.count() == 2


def test_lists_left_out_leave_their_records_alone():
    import_exchange(rich())
    counts = row_counts()
    data = rich()
    for household in data["households"]:
        del household["resources"]
        for person in household["members"]:
            del person["legal_status"]
    del data["eviction_procedures"]
    import_exchange(data)
    assert row_counts() == counts


def test_a_person_may_belong_to_two_households_over_time():
    data = rich()
    jerome = data["households"][2]["members"][1]
    data["households"][1]["members"].append(
        dict(jerome, role="partner", joined_on="2023-07-01", joined_reason="other", left_on=None)
    )
    import_exchange(data)
    assert Person.objects.filter(ref="P06").count() == 1
    assert Membership.objects.filter(person__ref="P06").count() == 2


def test_the_same_refs_in_two_organisations_are_two_sets_of_rows():
    import_exchange(rich())
    other = rich()
    other["organisation"] = {"ref": "asso-b", "name": "Association B", "kind": "operator"}
    import_exchange(other)
    assert Person.objects.filter(ref="P01").count() == 2
    assert Stay.objects.filter(ref="S01").values("organisation").distinct().count() == 2
