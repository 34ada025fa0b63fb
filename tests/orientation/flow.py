"""Service-level steps of the orientation path, shared by the tests."""

import datetime

from django.utils import timezone

from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.requests import record_assessment, record_request
from tests.conftest import TODAY
from tests.households.factories import MembershipFactory

DAY = datetime.timedelta(days=1)


def today():
    """The fixed day, TODAY: the test must have set the clock on it (the `today` fixture)."""
    assert timezone.localdate() == TODAY, "the test needs the `today` fixture"
    return TODAY


def admitted(household, *, siao, programme, coordinator, received_on, criteria=(), on=None):
    """A request received on `received_on`, assessed, admitted to `programme` at a meeting
    on `on` (default: the day after the assessment); returns the referral. A household
    said a single-parent or a large family gets the children its criteria imply."""
    children = 3 if "large_family" in criteria else 1 if "single_parent" in criteria else 0
    present = sum(1 for m in household.memberships.all() if m.role == "child")
    for _ in range(children - present):
        MembershipFactory(household=household, role="child")
    request = record_request(
        household, siao=siao, received_on=received_on, origin="shelter", acting_user=coordinator
    )
    record_assessment(
        request,
        acting_user=coordinator,
        assessed_on=received_on,
        support_level="standard",
        needs=["rights"],
        wished_territories=["80"],
        wished_typologies=["T2"],
        monthly_resources=900,
        housing_benefit=250,
        priority_criteria=list(criteria),
    )
    meeting = schedule_meeting(siao, held_on=on or received_on + DAY, acting_user=coordinator)
    add_to_agenda(meeting, [request], acting_user=coordinator)
    decision = decide(
        meeting, request, outcome="admitted", programme=programme, acting_user=coordinator
    )
    return decision.referral
