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
from seuil.core.wording import agreement
from seuil.households.models import Household, LegalStatusRecord, Membership, ResourceRecord
from seuil.housing.enums import SupportIntensity
from seuil.housing.models import EvictionProcedure, HousingUnit, Programme, Sector, Stay
from seuil.outcomes.figures import report_outcome_facts

from . import compute
from .orientation_figures import (
    DecisionFact,
    OrientationFacts,
    ReferralFact,
    RequestFact,
    VacancyFact,
)
from .tenancy_figures import load_tenancy


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
            f"{agreement(len(unknown), 'Dispositif inconnu,Dispositifs inconnus')} dans "
            f"l'organisation « {organisation.ref} » : {names}."
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
                "pk", "prior_situation", "ref"
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
        orientation=load_orientation(organisation, programme_ids, start, end),
        tenancy=load_tenancy(organisation, programme_ids, start, end),
        support=load_support(organisation, programme_ids, start, end),
        outcomes=report_outcome_facts(organisation, programme_ids, start, end),
    )


def load_support(organisation, programme_ids, start, end):
    """The `SupportFacts` of `organisation` for [start, end] (DOMAIN.md §4 item 7), four
    queries: the stays in scope (the organisation's, of the programmes named if any, at
    any date: an objective closed in the period counts by its household's presence on the
    day it was set), the contracts of those stays with their amendments, the contacts that
    took place in the period and the objectives set or closed in it that the organisation
    recorded for the households of those stays."""
    from seuil.support.enums import ContactStatus
    from seuil.support.models import Amendment, Contact, Objective, SupportContract

    from .support_figures import ContactFact, ContractFact, ObjectiveFact, StayFact, SupportFacts

    stays = Stay.objects.filter(organisation=organisation)
    if programme_ids:
        stays = stays.filter(programme_id__in=programme_ids)
    stay_rows = list(stays.values_list("pk", "household_id", "entered_on", "exited_on"))
    contracts = SupportContract.objects.filter(stay__in=stays)
    amendments = {}
    for contract_id, signed_on, ends_on in Amendment.objects.filter(
        contract__in=contracts
    ).values_list("contract_id", "signed_on", "ends_on"):
        amendments.setdefault(contract_id, []).append((signed_on, ends_on))
    contact_rows = Contact.objects.filter(
        organisation=organisation,
        household_id__in=stays.values("household_id"),
        status=ContactStatus.DONE,
        on__range=(start, end),
    ).values_list("household_id", "on", "kind")
    objective_rows = (
        Objective.objects.filter(
            organisation=organisation, household_id__in=stays.values("household_id")
        )
        .filter(Q(set_on__range=(start, end)) | Q(closed_on__range=(start, end)))
        .values_list("household_id", "domain", "set_on", "closed_on", "outcome")
    )
    return SupportFacts(
        stays=[StayFact(*row) for row in stay_rows],
        contracts=[
            ContractFact(stay_id, signed_on, starts_on, ends_on, tuple(amendments.get(pk, ())))
            for pk, stay_id, signed_on, starts_on, ends_on in contracts.values_list(
                "pk", "stay_id", "signed_on", "starts_on", "ends_on"
            )
        ],
        contacts=[ContactFact(*row) for row in contact_rows],
        objectives=[ObjectiveFact(*row) for row in objective_rows],
    )


def load_orientation(organisation, programme_ids, start, end):
    """The `OrientationFacts` of `organisation` around [start, end] (docs/orientation.md,
    "Chiffres de l'orientation"), four queries:

    - requests addressed to the organisation (as a SIAO) or whose household it holds;
    - commission decisions of its commissions, on households it holds, or admitting to one
      of its programmes;
    - referrals it made (as a SIAO) or to one of its programmes; when programmes are named,
      only referrals to those programmes;
    - vacancies of its units (of the programmes named, if any).

    Requests and decisions do not depend on the programmes named.
    """
    from seuil.orientation.models import Referral, ReferralDecision, Request, Vacancy

    org = organisation.pk
    requests = Request.objects.filter(Q(siao_id=org) | Q(household__organisation_id=org))
    decisions = ReferralDecision.objects.filter(
        Q(meeting__siao_id=org)
        | Q(request__household__organisation_id=org)
        | Q(programme__organisation_id=org)
    )
    referrals = Referral.objects.filter(Q(siao_id=org) | Q(programme__organisation_id=org))
    vacancies = Vacancy.objects.filter(unit__organisation_id=org)
    if programme_ids:
        referrals = referrals.filter(programme_id__in=programme_ids)
        vacancies = vacancies.filter(unit__programme_id__in=programme_ids)
    request_rows = (
        requests.filter(received_on__range=(start, end)).values_list("pk", "received_on").distinct()
    )
    decision_rows = (
        decisions.filter(decided_on__range=(start, end))
        .values_list("pk", "decided_on", "outcome", "refusal_reason")
        .distinct()
    )
    referral_rows = (
        referrals.filter(admitted_on__lte=end)
        .values_list("pk", "admitted_on", "status", "closed_on", "stay__entered_on")
        .distinct()
    )
    vacancy_rows = (
        vacancies.filter(closed_on__range=(start, end))
        .values_list("pk", "opened_on", "closed_on")
        .distinct()
    )
    return OrientationFacts(
        requests=[RequestFact(*row) for row in request_rows],
        decisions=[DecisionFact(*row) for row in decision_rows],
        referrals=[ReferralFact(*row) for row in referral_rows],
        vacancies=[VacancyFact(*row) for row in vacancy_rows],
    )


def activity_report(organisation_ref, programme_refs, start, end):
    """The `seuil-activity-report/1` document (a dict) of an organisation for [start, end]."""
    return compute.compute(load_facts(organisation_ref, programme_refs, start, end), start, end)
