"""Anonymisation and tenancy: once a household is anonymised, what the tenancy wrote about
it in words goes (deposit kept, inspections' remarks, repairs' descriptions and comments,
the payer's name on the bank lines of its payments, its insurance certificates) with the
access log of its tenancy records; the amounts and dates stay, so the tenancy figures of
past periods do not move."""

import datetime
from decimal import Decimal

from seuil.core.models import AccessLog
from seuil.privacy.anonymisation import anonymise_expired
from seuil.privacy.tenancy_anonymisation import REPAIR_DESCRIPTION
from seuil.reports.facts import activity_report
from seuil.tenancy import bank, services, upkeep
from seuil.tenancy.models import (
    Inspection,
    InspectionRoom,
    Insurance,
    Payment,
    Repair,
    RepairTransition,
    SubLease,
)
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.tenancy.factories import SubLeaseFactory, tenancy_data_of, term

D = datetime.date
TODAY = D(2027, 6, 1)  # retention of 730 days: limit on 2025-06-01


def _tenant(organisation, ref, entered_on, exited_on):
    unit = HousingUnitFactory(organisation=organisation, captured_on=D(2020, 1, 1))
    return StayFactory(
        household=HouseholdFactory(organisation=organisation, ref=ref),
        unit=unit,
        entered_on=entered_on,
        exited_on=exited_on,
    )


def test_tenancy_free_text_goes_and_the_figures_stay(db):
    stay = _tenant(HouseholdFactory().organisation, "M-ANON", D(2021, 1, 1), D(2022, 1, 1))
    organisation = stay.organisation
    officer = UserFactory(organisation=organisation, tenancy_officer=True)
    records = tenancy_data_of(stay)
    sub_lease = records["sub_lease"]
    sub_lease.deposit, sub_lease.deposit_returned = Decimal(420), Decimal(300)
    sub_lease.deposit_returned_on = D(2022, 1, 20)
    sub_lease.deposit_kept_reason = "Moquette brûlée par M. Dupont"
    sub_lease.save()
    Inspection.objects.filter(pk=records["inspection"].pk).update(remarks="Mme Dupont absente")
    InspectionRoom.objects.filter(pk=records["room"].pk).update(remarks="Dessins des enfants")
    upkeep.move_repair(
        records["repair"], "cancelled", on=D(2021, 2, 1), by=officer, comment="Vu avec M. Dupont"
    )
    (line,) = bank.import_statement(
        organisation,
        [bank.Line(D(2021, 3, 2), Decimal("170.00"), payer="M DUPONT JEAN", label="LOYER B")],
        kind="camt053",
    ).lines.all()
    payment = bank.book(line, sub_lease, by=officer)
    services.generate_rent_calls(organisation, D(2021, 3, 1))
    # A household still housed keeps everything.
    kept = _tenant(organisation, "M-KEPT", D(2021, 1, 1), None)
    kept_sub_lease = SubLeaseFactory(stay=kept, deposit_kept_reason="Garde")
    kept_repair = upkeep.save_repair(
        Repair(
            unit=kept.unit,
            stay=kept,
            reported_on=D(2021, 5, 1),
            reported_by="household",
            description="Chauffe-eau",
        ),
        by=officer,
    )

    before = activity_report(organisation.ref, [], D(2021, 1, 1), D(2021, 12, 31))["tenancy"]
    assert AccessLog.objects.filter(object_uuid=payment.uuid).exists()
    assert AccessLog.objects.filter(object_uuid=records["repair"].uuid).exists()

    outcome = anonymise_expired(TODAY, 730)
    assert outcome.households == [str(stay.household.uuid)]
    assert outcome.deleted["tenancy_free_text"] == 7
    sub_lease.refresh_from_db()
    assert (sub_lease.deposit_kept_reason, sub_lease.deposit_returned) == ("", Decimal(300))
    assert Inspection.objects.get(pk=records["inspection"].pk).remarks == ""
    room = InspectionRoom.objects.get(pk=records["room"].pk)
    assert (room.name, room.state, room.remarks) == ("Séjour", "good", "")
    repair = Repair.objects.get(pk=records["repair"].pk)
    assert (repair.description, repair.status) == (REPAIR_DESCRIPTION, "cancelled")
    assert set(
        RepairTransition.objects.filter(repair=repair).values_list("comment", flat=True)
    ) == {""}
    line.refresh_from_db()
    assert (line.payer, line.label, line.reference, line.amount) == ("", "", "", Decimal("170"))
    assert line.fingerprint and Payment.objects.get(pk=payment.pk).bank_line_id == line.pk
    assert not Insurance.objects.filter(household=stay.household).exists()
    for record in (payment, sub_lease, records["repair"], records["inspection"]):
        assert not AccessLog.objects.filter(object_uuid=record.uuid).exists()
    after = activity_report(organisation.ref, [], D(2021, 1, 1), D(2021, 12, 31))["tenancy"]
    assert after == before and after["collected"] > 0

    assert SubLease.objects.get(pk=kept_sub_lease.pk).deposit_kept_reason == "Garde"
    assert Repair.objects.get(pk=kept_repair.pk).description == "Chauffe-eau"
    assert AccessLog.objects.filter(object_uuid=kept_repair.uuid).exists()


def test_a_dry_run_counts_the_tenancy_text_and_changes_nothing(db):
    stay = _tenant(HouseholdFactory().organisation, "M-DRY", D(2021, 1, 1), D(2022, 1, 1))
    sub_lease = SubLeaseFactory(stay=stay, deposit_kept_reason="Clés perdues")
    term(sub_lease, stay.entered_on, 400)
    outcome = anonymise_expired(TODAY, 730, dry_run=True)
    assert outcome.deleted["tenancy_free_text"] == 1
    assert SubLease.objects.get().deposit_kept_reason == "Clés perdues"
