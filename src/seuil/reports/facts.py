"""Load the plain data of an activity report with a few bulk queries, then compute it.

`load_facts(organisation_ref, programme_refs, start, end)` reads, in one `values_list` query
per kind (never one per household), what the period [start, end] and the same period one
year earlier need: stays of the organisation that share a day with [previous start, end]
(stays of the programmes in scope, and any stay in a unit in scope, which tells whether the
unit is occupied), the lettable units in scope in stock during the period, and the
households of the stays in scope with their members, legal statuses, resources and
eviction procedures.
"""

from django.db.models import Q

from seuil.core.models import Organisation
from seuil.households.models import Household, LegalStatusRecord, Membership, ResourceRecord
from seuil.housing.enums import SupportIntensity
from seuil.housing.models import EvictionProcedure, HousingUnit, Programme, Sector, Stay

from . import compute


class ReportScopeError(ValueError):
    """The organisation or a programme asked for does not exist (message in French)."""


def resolve_scope(organisation_ref, programme_refs=()):
    """The organisation and the programmes asked for, or ReportScopeError."""
    organisation = Organisation.objects.filter(ref=organisation_ref).first()
    if organisation is None:
        raise ReportScopeError(f"Organisation inconnue : « {organisation_ref} ».")
    refs = sorted(set(programme_refs or ()))
    programmes = list(Programme.objects.filter(organisation=organisation, ref__in=refs))
    unknown = sorted(set(refs) - {p.ref for p in programmes})
    if unknown:
        names = ", ".join(f"« {ref} »" for ref in unknown)
        raise ReportScopeError(
            f"Dispositif(s) inconnu(s) dans l'organisation « {organisation.ref} » : {names}."
        )
    return organisation, programmes


def load_facts(organisation_ref, programme_refs, start, end):
    organisation, programmes = resolve_scope(organisation_ref, programme_refs)
    programme_ids = {p.pk for p in programmes}
    window_start = compute.one_year_earlier(start)

    units = HousingUnit.objects.filter(organisation=organisation).lettable()
    units = units.filter(captured_on__lte=end).filter(
        Q(returned_on__isnull=True) | Q(returned_on__gte=start)
    )
    if programme_ids:
        units = units.filter(programme_id__in=programme_ids)

    stays_in_window = Stay.objects.filter(organisation=organisation, entered_on__lte=end).filter(
        Q(exited_on__isnull=True) | Q(exited_on__gte=window_start)
    )
    scope_stays = stays_in_window
    if programme_ids:
        scope_stays = stays_in_window.filter(programme_id__in=programme_ids)
        stays_in_window = stays_in_window.filter(
            Q(programme_id__in=programme_ids) | Q(unit__in=units.values("pk"))
        )
    households = scope_stays.values("household_id")

    unit_rows = units.values_list(
        "pk", "typology", "sector__ref", "captured_on", "returned_on", "parent_id"
    )
    stay_rows = stays_in_window.values_list(
        "pk",
        "household_id",
        "unit_id",
        "entered_on",
        "exited_on",
        "exit_destination",
        "lease_transferred",
        "support_intensity",
        "programme_id",
    )
    reinforced = SupportIntensity.REINFORCED
    stays = [
        compute.Stay(
            sid,
            hid,
            uid,
            entered,
            exited,
            destination,
            transferred,
            intensity == reinforced,
            not programme_ids or programme_id in programme_ids,
        )
        for (
            sid,
            hid,
            uid,
            entered,
            exited,
            destination,
            transferred,
            intensity,
            programme_id,
        ) in stay_rows.iterator(chunk_size=20_000)
    ]
    member_rows = (
        Membership.objects.filter(household_id__in=households)
        .order_by("household_id", "id")
        .values_list(
            "household_id",
            "person_id",
            "role",
            "person__sex",
            "person__birth_date",
            "joined_on",
            "joined_reason",
            "left_on",
        )
    )
    persons = Membership.objects.filter(household_id__in=households).values("person_id")
    status_rows = LegalStatusRecord.objects.filter(
        person_id__in=persons, since__lte=end
    ).values_list("person_id", "since", "status")
    resource_rows = ResourceRecord.objects.filter(
        household_id__in=households, on__lte=end
    ).values_list("household_id", "on", "types")
    eviction_rows = EvictionProcedure.objects.filter(
        stay_id__in=scope_stays.values("pk"), started_on__lte=end
    ).values_list("stay_id", "started_on", "ended_on")

    return compute.Facts(
        organisation=organisation.ref,
        programmes=sorted(p.ref for p in programmes),
        sectors=sorted(
            Sector.objects.filter(organisation=organisation).values_list("ref", flat=True)
        ),
        units=[compute.Unit(*row) for row in unit_rows],
        stays=stays,
        households=[
            compute.Household(*row)
            for row in Household.objects.filter(pk__in=households).values_list(
                "pk", "prior_situation"
            )
        ],
        members=[compute.Member(*row) for row in member_rows.iterator(chunk_size=20_000)],
        legal_statuses=[
            compute.LegalStatusRecord(*row) for row in status_rows.iterator(chunk_size=20_000)
        ],
        resources=[
            compute.ResourceRecord(household_id, on, tuple(types or ()))
            for household_id, on, types in resource_rows.iterator(chunk_size=20_000)
        ],
        evictions=[compute.EvictionProcedure(*row) for row in eviction_rows],
    )


def activity_report(organisation_ref, programme_refs, start, end):
    """The `seuil-activity-report/1` document (a dict) of an organisation for [start, end]."""
    return compute.compute(load_facts(organisation_ref, programme_refs, start, end), start, end)
