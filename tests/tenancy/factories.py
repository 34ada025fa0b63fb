import datetime
from decimal import Decimal

import factory

from seuil.tenancy.models import Payment, RentCall, SubLease, SubLeaseTerm
from tests.housing.factories import StayFactory


class SubLeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubLease

    stay = factory.SubFactory(StayFactory)
    organisation = factory.SelfAttribute("stay.organisation")
    ref = factory.Sequence(lambda n: f"B{n:04d}")
    signed_on = factory.SelfAttribute("stay.entered_on")
    due_day = 5


def term(sub_lease, starts_on, rent, charges=0, housing_benefit=0):
    return SubLeaseTerm.objects.create(
        sub_lease=sub_lease,
        starts_on=starts_on,
        rent=Decimal(str(rent)),
        charges=Decimal(str(charges)),
        housing_benefit=Decimal(str(housing_benefit)),
    )


def call(sub_lease, month, share, *, due_on=None):
    """A rent call of `month` (a date in it) whose share is `share` (all rent)."""
    month = month.replace(day=1)
    return RentCall.objects.create(
        sub_lease=sub_lease,
        month=month,
        due_on=due_on or month.replace(day=sub_lease.due_day or 1),
        rent=Decimal(str(share)),
    )


_payments = iter(range(1, 10**9))


def pay(sub_lease, paid_on, amount, method="transfer"):
    return Payment.objects.create(
        organisation=sub_lease.organisation,
        ref=f"R{next(_payments):05d}",
        sub_lease=sub_lease,
        paid_on=paid_on,
        amount=Decimal(str(amount)),
        method=method,
    )


D = datetime.date


def tenancy_data_of(stay):
    """A sub-lease of `stay` with a term, a rent call, a payment, a repayment plan and an
    inspection (the objects the permission batteries walk)."""
    from seuil.tenancy.models import Inspection, Instalment, PreventionCase, RepaymentPlan

    sub_lease = SubLeaseFactory(stay=stay, ref="B-SECRET", tripartite=True)
    term(sub_lease, stay.entered_on, 420, 60, 310)
    rent_call = call(sub_lease, stay.entered_on, 170)
    payment = pay(sub_lease, stay.entered_on, 100)
    plan = RepaymentPlan.objects.create(
        organisation=stay.organisation,
        ref="E-SECRET",
        sub_lease=sub_lease,
        agreed_on=stay.entered_on,
        debt=70,
    )
    Instalment.objects.create(plan=plan, due_on=stay.entered_on + datetime.timedelta(30), amount=70)
    inspection = Inspection.objects.create(
        organisation=stay.organisation,
        ref="I-SECRET",
        unit=stay.unit,
        stay=stay,
        kind="entry",
        done_on=stay.entered_on,
    )
    case = PreventionCase.objects.create(
        organisation=stay.organisation, sub_lease=sub_lease, opened_on=stay.entered_on
    )
    return {
        "prevention_case": case,
        "sub_lease": sub_lease,
        "rent_call": rent_call,
        "payment": payment,
        "repayment_plan": plan,
        "inspection": inspection,
        **upkeep_data_of(inspection),
    }


def upkeep_data_of(inspection):
    """A room, a meter reading and keys of `inspection`, a repair of its unit (with its
    first transition) and a home insurance of its household."""
    from seuil.core.transitions import start
    from seuil.tenancy.models import (
        InspectionKeys,
        InspectionRoom,
        Insurance,
        MeterReading,
        Repair,
    )

    stay = inspection.stay
    room = InspectionRoom.objects.create(inspection=inspection, name="Séjour", state="good")
    MeterReading.objects.create(
        inspection=inspection, meter="electricity", index=Decimal("1234.5"), read_on=stay.entered_on
    )
    InspectionKeys.objects.create(inspection=inspection, kind="Porte d'entrée", count=2)
    repair = start(
        Repair(
            organisation=stay.organisation,
            ref="T-SECRET",
            unit=stay.unit,
            stay=stay,
            reported_on=stay.entered_on,
            reported_by="household",
            description="Fuite sous l'évier",
        ),
        on=stay.entered_on,
        by=None,
    )
    insurance = Insurance.objects.create(
        organisation=stay.organisation,
        household=stay.household,
        certificate_on=stay.entered_on,
        expires_on=stay.entered_on + datetime.timedelta(days=365),
    )
    return {"room": room, "repair": repair, "insurance": insurance}
