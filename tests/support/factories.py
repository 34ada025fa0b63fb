"""Support records for the tests."""

import datetime
from types import SimpleNamespace

from seuil.core.enums import Role
from seuil.core.models import ApiToken
from seuil.support.enums import ContactKind, ContactStatus
from seuil.support.models import CalendarFeed, Contact, Objective, SupportContract
from tests.core.factories import UserFactory


def support_data_of(stay):
    """A contract of `stay`, an objective and a planned contact of its household; the
    calendar feed of a social worker of its organisation, whose key stands for the "uuid"
    of its address."""
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
        "calendar_feed_link": calendar_feed_link(
            UserFactory(organisation=organisation, role=Role.SOCIAL_WORKER)
        ),
    }


def calendar_feed_link(user, key="cle-agenda-secrete-0123456789abcdefghijkl"):
    """`user`'s calendar feed, with the key `key` (as `uuid`, for the URL map)."""
    CalendarFeed.objects.create(user=user, digest=ApiToken.digest_of(key))
    return SimpleNamespace(uuid=key)
