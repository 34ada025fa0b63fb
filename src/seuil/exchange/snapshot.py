"""An organisation's exchangeable data, loaded in a few bulk queries (one per table).

Used by the importer (the existing rows that the file merges into, for validation and to
write only what changed) and by the exporter.
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


def _by_ref(queryset, fields):
    return {row["ref"]: row for row in queryset.values("pk", "uuid", "ref", *fields)}


def _by_key(queryset, key_fields, fields):
    rows = queryset.values("pk", "uuid", *key_fields, *fields)
    return {tuple(row[k] for k in key_fields): row for row in rows}


class Snapshot:
    """Rows of one organisation as dicts: top-level kinds by ref, dated records by key.

    An organisation that does not exist yet (None) has an empty snapshot.
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
        self.households = _by_ref(Household.objects.filter(organisation=org), HOUSEHOLD_FIELDS)
        self.persons = _by_ref(Person.objects.filter(organisation=org), PERSON_FIELDS)
        self.stays = _by_ref(Stay.objects.filter(organisation=org), STAY_FIELDS)
        self.memberships = _by_key(
            Membership.objects.filter(household__organisation=org),
            ["household_id", "person_id"],
            MEMBERSHIP_FIELDS,
        )
        self.legal_status = _by_key(
            LegalStatusRecord.objects.filter(person__organisation=org),
            ["person_id", "since"],
            LEGAL_STATUS_FIELDS,
        )
        self.resources = _by_key(
            ResourceRecord.objects.filter(household__organisation=org),
            ["household_id", "on"],
            RESOURCE_FIELDS,
        )
        self.evictions = _by_key(
            EvictionProcedure.objects.filter(stay__organisation=org),
            ["stay_id", "started_on"],
            EVICTION_FIELDS,
        )
        support.load_snapshot(self, org)
        self.follow_ups = outcomes.snapshot_rows(org)

    @staticmethod
    def refs_by_pk(rows):
        return {row["pk"]: ref for ref, row in rows.items()}
