"""The demo follows its households after their exit to housing, for two years."""

import datetime

from django.db.models import Count

from seuil.core.models import Organisation
from seuil.housing.models import Stay
from seuil.outcomes.due import follow_ups_due
from seuil.outcomes.models import ExitChecklist, FollowUp, FollowUpLink
from seuil.reports.facts import activity_report
from tests.conftest import TODAY


def test_households_are_followed_for_two_years_after_their_exit(demo_loaded):
    followed_three_times = Stay.objects.annotate(n=Count("follow_ups")).filter(n=3)
    assert followed_three_times.exists()
    for stay in followed_three_times:
        days = sorted((f.on - stay.exited_on).days for f in stay.follow_ups.all())
        assert days[0] < 250 and 300 <= days[1] <= 430 and days[2] >= 665
    assert FollowUp.objects.filter(housed=False).exclude(reason_for_leaving="").exists()
    assert FollowUp.objects.filter(housed__isnull=True).exists()
    assert FollowUp.objects.filter(answered_by="household", link__isnull=False).exists()
    assert FollowUpLink.objects.filter(used_at__isnull=True).exists()


def test_some_follow_ups_are_due_and_the_report_counts_the_cohort(demo_loaded):
    operator = Organisation.objects.get(ref="apremis")
    assert len(follow_ups_due(operator, TODAY)) >= 3
    outcomes = activity_report("apremis", [], TODAY - datetime.timedelta(days=364), TODAY)[
        "outcomes"
    ]
    assert outcomes["cohort"] >= 5 and outcomes["followed_up"] >= 3
    assert outcomes["housed"] > outcomes["not_housed"]


def test_an_exit_is_in_preparation_and_one_went_through_incomplete(demo_loaded):
    present = ExitChecklist.objects.get(stay__exited_on__isnull=True)
    assert present.missing() and present.missing_at_exit is None
    gone = ExitChecklist.objects.get(stay__exited_on__isnull=False)
    assert gone.missing_at_exit == [code for code, _ in gone.missing()] != []


def test_the_platform_keeps_sheets_of_the_territories_households_can_choose(demo_loaded):
    from seuil.outcomes.models import TerritorySheet

    sheets = TerritorySheet.objects.filter(platform__ref="plateforme-nationale")
    assert sorted(s.department for s in sheets) == ["60", "80"]
    assert all(s.employment and s.transport and s.french_courses for s in sheets)
