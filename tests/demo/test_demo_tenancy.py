"""The demo's tenancy tells the stories of the field: rent history, late payers, a repayment
plan kept and one broken, a CAF suspension cleared by the FSL, a debt left at exit."""

import datetime

import pytest

from seuil.core.models import Organisation, User
from seuil.housing.models import Stay
from seuil.reports.facts import activity_report
from seuil.tenancy import services
from seuil.tenancy.models import Inspection, Payment, RentCall, RepaymentPlan, SubLease
from tests.conftest import TODAY


@pytest.fixture
def operator(demo_loaded):
    return Organisation.objects.get(ref="apremis")


@pytest.fixture
def officer_of_demo(demo_loaded, client):
    client.force_login(User.objects.get(username="regisseur"))
    return client


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


def test_the_caf_pays_most_months_and_a_few_are_missing(operator, officer_of_demo):
    from seuil.tenancy import benefit
    from seuil.tenancy.models import BenefitReceipt

    assert BenefitReceipt.objects.filter(organisation=operator).count() > 300
    states = []
    for sub_lease in SubLease.objects.filter(organisation=operator):
        states += [m.state for m in benefit.of_sub_lease(sub_lease, TODAY, months=60)]
    assert states.count("paid") > 10 * (states.count("missing") + states.count("different"))
    assert 2 <= states.count("missing") <= 6
    assert states.count("different") >= 1
    page = officer_of_demo.get("/gestion-locative/").content.decode()
    assert page.count("Non versée") >= 2 and "Montant différent" in page


def test_charges_are_regularised_one_household_refunded(operator):
    from seuil.tenancy.models import ChargesRegularisation

    regularisations = ChargesRegularisation.objects.filter(organisation=operator)
    assert regularisations.count() == 3
    assert regularisations.filter(difference__lt=0).count() == 1
    for regularisation in regularisations:
        assert regularisation.difference == regularisation.actual - regularisation.provisions
        # Called or refunded, the household's account is settled since.
        assert services.account(regularisation.sub_lease, TODAY).arrears is None


def test_inspections_have_their_rooms_and_the_exits_show_some_wear(operator):
    from seuil.tenancy import inspections
    from seuil.tenancy.models import InspectionRoom

    entries = Inspection.objects.filter(organisation=operator, kind="entry")
    assert not entries.filter(rooms__isnull=True).exists()
    assert not entries.filter(meter_readings__isnull=True).exists()
    assert InspectionRoom.objects.exclude(remarks="").exists()
    degraded = 0
    for exit_ in Inspection.objects.filter(organisation=operator, kind="exit"):
        entry = inspections.entry_of(exit_)
        rows = inspections.compare_rooms(entry.rooms.all(), exit_.rooms.all())
        assert all(row.entry is not None and row.exit is not None for row in rows)
        degraded += sum(row.degraded for row in rows)
    assert degraded >= 3


def test_repairs_done_and_open_and_insurance_certificates(operator):
    from seuil.tenancy.models import Insurance, Repair
    from seuil.tenancy.notices import insurances_due

    repairs = Repair.objects.filter(organisation=operator)
    assert repairs.filter(status="done", cost__isnull=False).count() >= 4
    assert repairs.filter(status="reported").count() == 2
    scheduled = repairs.filter(status="scheduled")
    assert {r.appointment_on > TODAY for r in scheduled} == {True, False}
    certificates = Insurance.objects.filter(organisation=operator)
    households = set(certificates.values_list("household", flat=True))
    valid = set(certificates.filter(expires_on__gte=TODAY).values_list("household", flat=True))
    assert len(households) >= 8 and len(households - valid) == 1  # one lets it lapse
    assert insurances_due(TODAY, operator).exists()


def test_the_month_page_lists_the_repairs_to_follow(officer_of_demo):
    page = officer_of_demo.get("/gestion-locative/").content.decode()
    assert "Rendez-vous à prendre" in page
    assert "Rendez-vous passé : noter si les travaux sont faits" in page
