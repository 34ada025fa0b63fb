"""Anonymisation and outcomes: the exit checklist's note and application number and the
household's links go; the follow-ups' answers and the checklist's dates stay."""

import datetime

from seuil.outcomes.models import ExitChecklist, FollowUp, FollowUpLink, hash_token
from seuil.privacy.anonymisation import anonymise_expired
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

D = datetime.date
TODAY = D(2027, 6, 1)  # retention of 730 days: limit on 2025-06-01


def test_what_identifies_goes_and_the_dated_answers_stay(db):
    household = HouseholdFactory()
    org = household.organisation
    unit = HousingUnitFactory(organisation=org, captured_on=D(2020, 1, 1))
    stay = StayFactory(
        household=household,
        unit=unit,
        entered_on=D(2021, 1, 1),
        exited_on=D(2022, 1, 1),
        exit_destination="social_landlord",
    )
    ExitChecklist.objects.create(
        organisation=org,
        stay=stay,
        starts_on=D(2021, 10, 1),
        social_housing_number="080012100001A",
        applied_on=D(2021, 10, 2),
        handover_note="Suivi psychologique en cours, contact Mme X.",
        handover_note_consent=True,
    )
    FollowUp.objects.create(organisation=org, ref="F1", stay=stay, on=D(2023, 1, 3), housed=True)
    FollowUpLink.objects.create(
        organisation=org,
        stay=stay,
        token_hash=hash_token("x" * 40),
        expires_at=datetime.datetime(2023, 2, 1, tzinfo=datetime.UTC),
    )
    assert anonymise_expired(TODAY, 730, dry_run=True).deleted["outcomes_identifying"] == 2
    outcome = anonymise_expired(TODAY, 730)
    assert str(household.uuid) in outcome.households
    checklist = ExitChecklist.objects.get()
    assert (checklist.handover_note, checklist.social_housing_number) == ("", "")
    assert checklist.applied_on == D(2021, 10, 2)
    assert not FollowUpLink.objects.exists()
    assert FollowUp.objects.get().housed is True
