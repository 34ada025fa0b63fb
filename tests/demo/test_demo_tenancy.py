"""The demo's tenancy tells the stories of the field: rent history, late payers, a repayment
plan kept and one broken, a CAF suspension cleared by the FSL, a debt left at exit."""

import datetime

import pytest

from seuil.core.models import Organisation
from seuil.housing.models import Stay
from seuil.reports.facts import activity_report
from seuil.tenancy import services
from seuil.tenancy.models import Inspection, Payment, RentCall, RepaymentPlan, SubLease
from tests.conftest import TODAY


@pytest.fixture
def operator(demo_loaded):
    return Organisation.objects.get(ref="apremis")


def test_every_stay_in_a_sub_let_unit_has_its_sub_lease_and_rent_history(operator):
    stays = Stay.objects.filter(organisation=operator).exclude(unit__management_mode="mandate")
    assert SubLease.objects.filter(organisation=operator).count() == stays.count() > 40
    assert (
        Stay.objects.filter(unit__management_mode="mandate", sub_lease__isnull=False).count() == 0
    )
    calls = RentCall.objects.filter(sub_lease__organisation=operator)
    assert calls.count() > 500
    assert calls.filter(due_on__lte=TODAY - datetime.timedelta(days=4 * 365)).exists()
    assert calls.filter(month=TODAY.replace(day=1)).exists()
    assert not calls.filter(due_on__gt=TODAY.replace(day=28)).exists()
    assert set(Payment.objects.values_list("method", flat=True)) >= {
        "direct_debit",
        "transfer",
        "cash",
        "fsl",
    }
    assert Inspection.objects.filter(kind="entry").count() == stays.count()
    assert Inspection.objects.filter(kind="pre_exit").exists()


def test_one_plan_is_kept_and_one_broken(operator):
    states = {}
    for plan in RepaymentPlan.objects.filter(organisation=operator):
        (state,) = [s for s in services.account(plan.sub_lease, TODAY).plans]
        states[state.state] = plan
    assert set(states) == {"kept", "broken"}
    assert states["kept"].sub_lease.stay.exited_on is not None
    assert states["broken"].sub_lease.stay.exited_on is None


def test_late_payers_and_an_early_warning_today(operator):
    late = services.late_rent_calls(operator, TODAY)
    assert len({item.sub_lease.pk for item in late}) >= 1
    report = activity_report("apremis", [], datetime.date(2024, 6, 1), TODAY)
    tenancy = report["tenancy"]
    assert tenancy["arrears_at_end"]["sub_leases"] >= 3
    assert tenancy["credit_at_end"] > 0
    assert 0.9 < tenancy["collection_rate"] < 1.1
    assert tenancy["repayment_plans"]["active_at_end"] >= 1
    assert all(check["ok"] for check in report["checks"])


def test_the_caf_suspension_shows_in_the_terms_and_the_fsl_clears_it(operator):
    suspended = []
    for sub_lease in SubLease.objects.filter(organisation=operator).prefetch_related("terms"):
        benefits = [t.housing_benefit for t in sub_lease.terms.all()]
        if any(b == 0 for b in benefits) and benefits[0] > 0:
            suspended.append(sub_lease)
    (sub_lease,) = suspended
    assert sub_lease.payments.filter(method="fsl").exists()
    assert services.account(sub_lease, TODAY).arrears is None


def test_late_rents_opened_prevention_cases_one_through_the_ccapex(operator):
    from seuil.tenancy.models import PreventionCase

    cases = PreventionCase.objects.filter(organisation=operator)
    assert cases.count() >= 2
    assert cases.filter(steps__stage="ccapex_referral").count() == 1
