"""An import leaves one ChangeRecord (user None, the organisation imported) per household,
person, membership, legal status, resource record, stay, support contract, amendment,
contact and objective it creates, changes or deletes."""

from collections import Counter

import pytest

from seuil.core.models import ChangeRecord, Organisation
from seuil.exchange import importer
from seuil.exchange.importer import import_exchange
from seuil.households.models import Household, LegalStatusRecord, Membership, Person
from seuil.housing.models import Stay
from seuil.support.models import Amendment, SupportContract
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db


# The change records of a first import of `rich()`: one creation per row of its file.
FIRST_IMPORT = {
    ("create", "household"): 3,
    ("create", "person"): 6,
    ("create", "membership"): 6,
    ("create", "legalstatusrecord"): 4,
    ("create", "resourcerecord"): 3,
    ("create", "stay"): 3,
    ("create", "supportcontract"): 2,
    ("create", "amendment"): 2,
    ("create", "contact"): 3,
    ("create", "objective"): 2,
    ("create", "followup"): 1,
}


def kinds(records):
    return Counter((r.action, r.object_type) for r in records)


def test_a_first_import_records_the_creation_of_every_row_of_a_household_file():
    import_exchange(rich())
    records = list(ChangeRecord.objects.all())
    assert kinds(records) == FIRST_IMPORT
    organisation = Organisation.objects.get(ref="apremis")
    assert {(r.user, r.role, r.organisation) for r in records} == {(None, "", organisation)}
    assert len({r.at for r in records}) == 1


def test_every_record_of_an_import_is_filed_under_its_household():
    import_exchange(rich())
    household = Household.objects.get(ref="M01")
    objects = {
        household.uuid,
        *Person.objects.filter(memberships__household=household).values_list("uuid", flat=True),
        *Membership.objects.filter(household=household).values_list("uuid", flat=True),
        *LegalStatusRecord.objects.filter(person__memberships__household=household).values_list(
            "uuid", flat=True
        ),
        *household.resource_records.values_list("uuid", flat=True),
        *Stay.objects.filter(household=household).values_list("uuid", flat=True),
        *SupportContract.objects.filter(stay__household=household).values_list("uuid", flat=True),
        *Amendment.objects.filter(contract__stay__household=household).values_list(
            "uuid", flat=True
        ),
        *household.contacts.values_list("uuid", flat=True),
        *household.objectives.values_list("uuid", flat=True),
    }
    filed = set(
        ChangeRecord.objects.of_household(household.uuid).values_list("object_uuid", flat=True)
    )
    assert filed == objects
    person = Person.objects.get(ref="P02")
    created = ChangeRecord.objects.get(object_uuid=person.uuid)
    assert created.changes == {
        "ref": [None, "P02"],
        "first_name": [None, "Moussa"],
        "last_name": [None, "N'Diaye"],
        "sex": [None, "M"],
        "birth_date": [None, "2012-09-30"],
    }
    stay = Stay.objects.get(ref="S01")
    stay_record = ChangeRecord.objects.get(object_uuid=stay.uuid)
    assert stay_record.changes["household"] == [None, "M01"]
    assert stay_record.changes["unit"] == [None, "L01"]
    assert stay_record.changes["programme"] == [None, "iml-r"]


def test_importing_the_same_file_again_records_nothing():
    import_exchange(rich())
    count = ChangeRecord.objects.count()
    import_exchange(rich())
    assert ChangeRecord.objects.count() == count


def test_a_changed_file_records_what_changed_and_what_it_deleted():
    import_exchange(rich())
    first = set(ChangeRecord.objects.values_list("pk", flat=True))
    data = rich()
    data["households"][0]["members"][0]["first_name"] = "Aïssatou"
    data["households"][0]["members"][0]["legal_status"].pop(0)
    data["households"][0]["members"].pop(2)  # P03 leaves the file of M01
    data["stays"][0]["support_intensity"] = "standard"
    import_exchange(data)
    new = ChangeRecord.objects.exclude(pk__in=first)
    assert kinds(new) == {
        ("change", "person"): 1,
        ("change", "stay"): 1,
        ("delete", "legalstatusrecord"): 1,
        ("delete", "membership"): 1,
    }
    household = Household.objects.get(ref="M01")
    assert {r.household_uuid for r in new} == {household.uuid}
    by_type = {r.object_type: r for r in new}
    assert by_type["person"].changes == {"first_name": ["Aïcha", "Aïssatou"]}
    assert by_type["stay"].changes == {"support_intensity": ["reinforced", "standard"]}
    assert by_type["legalstatusrecord"].changes == {
        "person": ["P01", None],
        "since": ["2020-02-10", None],
        "status": ["asylum_seeker", None],
    }
    assert by_type["membership"].changes["person"] == ["P03", None]
    assert by_type["membership"].changes["joined_reason"] == ["birth", None]


def test_rows_and_history_written_a_few_at_a_time_are_all_written(monkeypatch):
    """A large import writes its rows, with their history, a batch at a time: batches
    of two here, so that creations, changes and deletions each span several."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    monkeypatch.setattr(importer, "UPDATE_BATCH_SIZE", 2)
    import_exchange(rich())
    assert kinds(ChangeRecord.objects.all()) == FIRST_IMPORT
    for person in Person.objects.all():
        created = ChangeRecord.objects.get(object_uuid=person.uuid)
        assert created.changes["ref"] == [None, person.ref]
        homes = Household.objects.filter(memberships__person=person).values_list("uuid", flat=True)
        assert created.household_uuid in set(homes)
    first = set(ChangeRecord.objects.values_list("pk", flat=True))
    data = rich()
    for household in data["households"]:
        for member in household["members"]:
            member["first_name"] = f"{member['first_name']}-Marie"
            member["legal_status"] = []
    import_exchange(data)
    new = ChangeRecord.objects.exclude(pk__in=first)
    assert kinds(new) == {("change", "person"): 6, ("delete", "legalstatusrecord"): 4}
    assert not LegalStatusRecord.objects.exists()
    for person in Person.objects.all():
        assert person.first_name.endswith("-Marie")
        assert person.version == 2
        assert new.get(object_uuid=person.uuid).changes["first_name"][1] == person.first_name


def test_a_file_read_for_the_import_only_is_dropped_as_it_is_read():
    """`seuil import` gives up its decoded file row by row (a large file is not held
    twice); the spreadsheet preview keeps its document, imported after it."""
    kept = rich()
    import_exchange(kept, dry_run=True)
    assert kept == rich()
    given = rich()
    summary = import_exchange(given, consume=True)
    assert summary.counts["persons"].created == 6
    assert given["households"] == [None, None, None]
    assert Person.objects.count() == 6
