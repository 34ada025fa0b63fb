"""An organisation's exchangeable data, read in a few bulk queries (one per table).

`Snapshot`: what the importer's checks need whole (the existing rows that the file merges
into). `Stored`: the other kinds, that the importer compares with its file as they are
streamed, so that importing over a large organisation does not hold all its rows. (An
export reads the same rows a batch at a time: `batches`.)
"""

from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.models import (
    EvictionProcedure,
    HousingUnit,
    Landlord,
    Programme,
    Sector,
    Stay,
)

from . import outcomes, support
from .batches import BATCH_SIZE

# Fields compared and written for each kind (attnames), besides organisation and ref.
PROGRAMME_FIELDS = ["name", "kind", "max_support_months"]
SECTOR_FIELDS = ["name", "communes"]
LANDLORD_FIELDS = ["name", "kind"]
UNIT_FIELDS = [
    "programme_id",
    "typology",
    "address",
    "commune",
    "sector_id",
    "landlord_id",
    "rent",
    "charges",
    "surface_m2",
    "accessible",
    "captured_on",
    "returned_on",
]
HOUSEHOLD_FIELDS = ["prior_situation"]
PERSON_FIELDS = ["first_name", "last_name", "sex", "birth_date"]
MEMBERSHIP_FIELDS = ["role", "joined_on", "joined_reason", "left_on"]
LEGAL_STATUS_FIELDS = ["status"]
RESOURCE_FIELDS = ["types"]
STAY_FIELDS = [
    "household_id",
    "unit_id",
    "programme_id",
    "entered_on",
    "exited_on",
    "exit_destination",
    "lease_transferred",
    "support_intensity",
]
EVICTION_FIELDS = ["ended_on"]
# What the checks read of every stay (the snapshot holds only these).
CHECKED_STAY_FIELDS = ["household_id", "unit_id", "programme_id", "entered_on", "exited_on"]


def _by_ref(queryset, fields):
    return {row["ref"]: row for row in queryset.values("pk", "uuid", "ref", *fields)}


class Stored:
    """The existing rows of one kind, streamed: an import compares the rows of its file
    with these as they come, `BATCH_SIZE` at a time, never holding all the organisation's
    rows (one query, whatever the database's statistics).

    `queryset`: the organisation's rows; `key_fields`: `["ref"]`, or the parent's id and
    a date (or a second id) of a dated record; `fields`: the compared ones. A row is a
    dict of pk, uuid, the key fields and `fields`; its key is its ref, or the tuple of its
    key fields.
    """

    def __init__(self, queryset, key_fields, fields):
        self.queryset = queryset
        self.key_fields = list(key_fields)
        self.fields = list(fields)

    def stream(self):
        """Every row, as (key, row), read `BATCH_SIZE` at a time."""
        rows = self.queryset.values("pk", "uuid", *self.key_fields, *self.fields)
        by_ref = self.key_fields == ["ref"]
        for row in rows.iterator(chunk_size=BATCH_SIZE):
            yield (row["ref"] if by_ref else tuple(row[k] for k in self.key_fields)), row


def stays(organisation_id):
    return Stored(Stay.objects.filter(organisation=organisation_id), ["ref"], STAY_FIELDS)


def households(organisation_id):
    return Stored(Household.objects.filter(organisation=organisation_id), ["ref"], HOUSEHOLD_FIELDS)


def persons(organisation_id):
    return Stored(Person.objects.filter(organisation=organisation_id), ["ref"], PERSON_FIELDS)


def memberships(organisation_id):
    return Stored(
        Membership.objects.filter(household__organisation=organisation_id),
        ["household_id", "person_id"],
        MEMBERSHIP_FIELDS,
    )


def legal_status(organisation_id):
    return Stored(
        LegalStatusRecord.objects.filter(person__organisation=organisation_id),
        ["person_id", "since"],
        LEGAL_STATUS_FIELDS,
    )


def resources(organisation_id):
    return Stored(
        ResourceRecord.objects.filter(household__organisation=organisation_id),
        ["household_id", "on"],
        RESOURCE_FIELDS,
    )


def evictions(organisation_id):
    return Stored(
        EvictionProcedure.objects.filter(stay__organisation=organisation_id),
        ["stay_id", "started_on"],
        EVICTION_FIELDS,
    )


class Snapshot:
    """The rows of one organisation that the checks of an import need whole, as dicts:
    top-level kinds by ref (households: ref → pk only; stays: their pk and
    `CHECKED_STAY_FIELDS`), support lists, follow-ups.

    The households' persons and dated records are not in it: an import reads them a batch
    at a time (`Stored`), an export whole (`Records`). An organisation that does not exist
    yet (None) has an empty snapshot.
    """

    def __init__(self, organisation):
        self.organisation = organisation
        org = organisation.pk if organisation is not None else None
        self.programmes = _by_ref(Programme.objects.filter(organisation=org), PROGRAMME_FIELDS)
        self.sectors = _by_ref(Sector.objects.filter(organisation=org), SECTOR_FIELDS)
        self.landlords = _by_ref(Landlord.objects.filter(organisation=org), LANDLORD_FIELDS)
        self.units = _by_ref(
            HousingUnit.objects.filter(organisation=org), [*UNIT_FIELDS, "parent_id"]
        )
        self.households = dict(Household.objects.filter(organisation=org).values_list("ref", "pk"))
        self.stays = {
            row["ref"]: row
            for row in Stay.objects.filter(organisation=org).values(
                "pk", "ref", *CHECKED_STAY_FIELDS
            )
        }
        support.load_snapshot(self, org)
        self.follow_ups = outcomes.snapshot_rows(org)

    @staticmethod
    def refs_by_pk(rows):
        return {row["pk"]: ref for ref, row in rows.items()}
