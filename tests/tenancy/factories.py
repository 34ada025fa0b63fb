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
