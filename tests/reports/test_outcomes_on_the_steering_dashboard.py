"""The state sees the outcomes after exit per operator: counts only, small cells hidden."""

import datetime

import time_machine
from django.urls import reverse

from seuil.outcomes.models import FollowUp
from seuil.reports.outcomes_steering import outcomes_table
from tests.core.factories import OrganisationFactory, UserFactory
from tests.housing.factories import StayFactory

DAY = datetime.date(2026, 6, 30)
EXIT = DAY - datetime.timedelta(days=400)  # twelve months on DAY - 35


def _exits(organisation, count, *, housed):
    for n in range(count):
        stay = StayFactory(
            household__organisation=organisation,
            entered_on=datetime.date(2022, 1, 1),
            exited_on=EXIT,
            exit_destination="social_landlord",
        )
        FollowUp.objects.create(
            organisation=organisation,
            ref=f"F{n}",
            stay=stay,
            on=EXIT + datetime.timedelta(days=360),
            housed=housed,
        )


def test_counts_per_operator_with_small_cells_hidden(db, client):
    big = OrganisationFactory(name="Grande association", department="80")
    small = OrganisationFactory(name="Petite association", department="80")
    OrganisationFactory(name="Ailleurs", department="75")
    _exits(big, 7, housed=True)
    _exits(small, 2, housed=False)
    state = UserFactory(state=True, organisation=OrganisationFactory(kind="state", department="80"))
    table = outcomes_table(state, DAY)
    rows = dict(table.rows)
    assert set(rows) == {"Grande association", "Petite association"}
    # cohort, followed up, housed, not housed, returned
    assert rows["Grande association"] == [None, None, 7, 0, 0]  # hidden beside the small ones
    assert rows["Petite association"] == [None, None, 0, None, 0]
    assert table.totals == [9, 9, 7, None, 0]
    client.force_login(state)
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)):
        body = client.get(reverse("reports:steering")).content.decode()
    assert "Après la sortie" in body and "Devenir des ménages un an après leur sortie" in body
