"""`follow_ups_due(organisation, day)`: the follow-ups at 6, 12 and 24 months after an exit
to housing, due while their window is open and none is recorded in it."""

import datetime

from seuil.outcomes.due import follow_ups_due
from seuil.outcomes.models import FollowUp
from tests.housing.factories import StayFactory

DAY = datetime.timedelta(days=1)


def due_months(organisation, day):
    return [(d.stay.ref, d.milestone.months) for d in follow_ups_due(organisation, day)]


def test_each_window_opens_and_closes_on_its_days(exited, org_a):
    exit_day = exited.exited_on
    for offset, expected in (
        (116, []),
        (117, [6]),
        (247, [6]),
        (248, []),
        (299, []),
        (300, [12]),
        (430, [12]),
        (431, []),
        (665, [24]),
        (795, [24]),
        (796, []),
    ):
        assert [m for _, m in due_months(org_a, exit_day + offset * DAY)] == expected, offset


def test_a_follow_up_in_the_window_settles_it_one_outside_does_not(exited, org_a):
    day = exited.exited_on + 360 * DAY
    FollowUp.objects.create(
        organisation=org_a, ref="F1", stay=exited, on=exited.exited_on + 200 * DAY
    )
    assert due_months(org_a, day) == [(exited.ref, 12)]
    FollowUp.objects.create(
        organisation=org_a, ref="F2", stay=exited, on=exited.exited_on + 300 * DAY
    )
    assert due_months(org_a, day) == []


def test_only_the_organisations_exits_to_housing(exited, org_a, org_b, household):
    day = exited.exited_on + 360 * DAY
    StayFactory(
        household=household,
        entered_on=datetime.date(2019, 1, 1),
        exited_on=exited.exited_on - 1000 * DAY + 1000 * DAY - 400 * DAY,
        exit_destination="shelter",
    )
    StayFactory(
        household__organisation=org_a,
        entered_on=datetime.date(2019, 1, 1),
        exited_on=exited.exited_on,
        exit_destination="",
        lease_transferred=True,
        ref="S-GLISSE",
    )
    StayFactory(
        household__organisation=org_b,
        entered_on=datetime.date(2019, 1, 1),
        exited_on=exited.exited_on,
        exit_destination="social_landlord",
    )
    assert sorted(due_months(org_a, day)) == sorted([(exited.ref, 12), ("S-GLISSE", 12)])
