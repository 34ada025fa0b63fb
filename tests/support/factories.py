"""Support records for the tests."""

import datetime

from seuil.support.enums import ContactKind, ContactStatus
from seuil.support.models import Contact, Objective, SupportContract


def support_data_of(stay):
    """A contract of `stay`, an objective and a planned contact of its household."""
    household = stay.household
    organisation = stay.organisation
    start = stay.entered_on + datetime.timedelta(days=10)
    return {
        "support_contract": SupportContract.objects.create(
            organisation=organisation,
            ref="C-SECRET",
            stay=stay,
            signed_on=start,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=180),
        ),
        "objective": Objective.objects.create(
            organisation=organisation,
            ref="O-SECRET",
            household=household,
            domain="budget",
            set_on=start,
        ),
        "contact": Contact.objects.create(
            organisation=organisation,
            ref="K-SECRET",
            household=household,
            on=start,
            kind=ContactKind.HOME_VISIT,
            status=ContactStatus.PLANNED,
        ),
    }
