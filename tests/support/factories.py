"""Support records for the tests."""

import datetime
from types import SimpleNamespace

from seuil.core.enums import Role
from seuil.core.models import ApiToken
from seuil.support.enums import ContactKind, ContactStatus
from seuil.support.models import (
    AgendaItem,
    CalendarFeed,
    Contact,
    Meeting,
    MeetingKind,
    Objective,
    Review,
    SupportContract,
)
from tests.core.factories import UserFactory


def support_data_of(stay):
    """A contract of `stay`, an objective, a planned contact, a monthly review of its
    household and a meeting with the household on its agenda; the calendar feed of a social
    worker of its organisation, whose key stands for the "uuid" of its address."""
    household = stay.household
    organisation = stay.organisation
    start = stay.entered_on + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        organisation=organisation,
        ref="RE-SECRET",
        kind=MeetingKind.COORDINATION_CELL,
        held_on=start,
        participants="Mme Secret, CAF",
        minutes="Situation Secret examinée.",
    )
    AgendaItem.objects.create(meeting=meeting, household=household)
    return {
        "monthly_review": Review.objects.create(
            organisation=organisation,
            ref="RV-SECRET",
            household=household,
            held_on=start,
            risks="Risque Secret",
        ),
        "support_meeting": meeting,
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
