"""Imported eviction procedures become prevention cases: once, idempotent, following the
procedure (closed when it ends, gone when the file drops it)."""

import datetime

import pytest

from seuil.exchange.importer import import_exchange
from seuil.housing.models import EvictionProcedure
from seuil.tenancy.models import PreventionCase, PreventionStep
from seuil.tenancy.prevention import cases_from_evictions
from tests.exchange.samples import rich_with_tenancy
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def cases():
    return list(
        PreventionCase.objects.filter(eviction_procedure__isnull=False)
        .order_by("sub_lease__ref")
        .values_list("sub_lease__ref", "opened_on", "closed_on", "outcome")
    )


B03 = ("B03", D(2023, 1, 10), D(2023, 9, 1), "procedure_ended")


def test_an_imported_procedure_is_a_case_once_and_a_reimport_changes_nothing():
    import_exchange(rich_with_tenancy())
    # S01's procedure is open, S03's ended: a case for each, closed with the procedure.
    assert EvictionProcedure.objects.count() == 2
    assert cases() == [("B01", D(2024, 5, 2), None, ""), B03]
    case = PreventionCase.objects.get(sub_lease__ref="B01")
    assert list(case.steps.values_list("stage", "on")) == [("summons", D(2024, 5, 2))]
    steps = PreventionStep.objects.count()
    summary = import_exchange(rich_with_tenancy())
    assert not summary.changed
    assert cases() == [("B01", D(2024, 5, 2), None, ""), B03]
    assert PreventionStep.objects.count() == steps


def test_the_case_follows_its_procedure_end_and_removal():
    import_exchange(rich_with_tenancy())
    data = rich_with_tenancy()
    data["eviction_procedures"][0]["ended_on"] = "2024-10-01"
    import_exchange(data)
    assert cases() == [("B01", D(2024, 5, 2), D(2024, 10, 1), "procedure_ended"), B03]
    data["eviction_procedures"] = data["eviction_procedures"][1:]
    import_exchange(data)
    assert cases() == [B03]
    assert EvictionProcedure.objects.count() == 1  # the report still counts what is there


def test_an_outcome_chosen_by_hand_stays(org_a):
    stay = StayFactory(household__organisation=org_a, entered_on=D(2023, 1, 1))
    SubLeaseFactory(stay=stay)
    procedure = EvictionProcedure.objects.create(stay=stay, started_on=D(2024, 2, 1))
    case = procedure.prevention_case  # made on save
    case.closed_on, case.outcome = D(2024, 6, 1), "plan_kept"
    case.save()
    procedure.ended_on = D(2024, 7, 1)
    procedure.save()
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (D(2024, 6, 1), "plan_kept")
    assert cases_from_evictions([stay.pk]) == (0, 0)


def test_a_stay_without_a_sub_lease_has_no_case_until_one_is_established(org_a):
    stay = StayFactory(household__organisation=org_a, entered_on=D(2023, 1, 1))
    EvictionProcedure.objects.create(stay=stay, started_on=D(2024, 2, 1))
    assert not PreventionCase.objects.exists()
    SubLeaseFactory(stay=stay)
    assert cases_from_evictions([stay.pk]) == (1, 0)
    assert cases_from_evictions([stay.pk]) == (0, 0)
