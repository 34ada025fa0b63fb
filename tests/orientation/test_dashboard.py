"""The orientation dashboard: figures checked by hand, and the page for the SIAO."""

import datetime

from django.urls import reverse

from seuil.orientation.dashboard import dashboard_figures, month_starts
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.orientation.flow import admitted, today

D = datetime.date
DAY = datetime.timedelta(days=1)
TODAY = D(2024, 6, 15)


def test_the_twelve_months_end_with_the_current_one():
    starts = month_starts(TODAY)
    assert starts[0] == D(2023, 7, 1) and starts[-1] == D(2024, 6, 1) and len(starts) == 12


def test_waiting_days_mean_and_median_by_programme():
    waiting = [
        ("IML", TODAY - 10 * DAY),
        ("IML", TODAY - 20 * DAY),
        ("IML", TODAY - 60 * DAY),
        ("Pension", TODAY - 5 * DAY),
    ]
    figures = dashboard_figures(TODAY, waiting, [], [], [])
    iml, pension = figures["programmes"]
    assert (iml.name, iml.households, iml.mean_days, iml.median_days) == ("IML", 3, 30.0, 20.0)
    assert (pension.households, pension.mean_days, pension.median_days) == (1, 5.0, 5.0)
    total = figures["total"]
    assert (total.households, total.mean_days, total.median_days) == (4, 23.8, 15.0)


def test_months_and_refusals_count_only_the_last_twelve_months():
    requests = [D(2023, 6, 30), D(2023, 7, 1), D(2024, 6, 15), D(2024, 6, 16)]
    decisions = [
        (D(2024, 1, 5), "admitted", ""),
        (D(2024, 1, 6), "refused", "no_rights"),
        (D(2024, 2, 1), "refused", "no_rights"),
        (D(2024, 2, 1), "postponed", ""),
        (D(2023, 5, 1), "refused", "other"),  # too old
    ]
    entries = [D(2024, 2, 10)]
    figures = dashboard_figures(TODAY, [], requests, decisions, entries)
    months = {m["label"]: m for m in figures["months"]}
    assert months["juillet 2023"]["requests"] == 1
    assert months["juin 2024"]["requests"] == 1
    assert (months["janvier 2024"]["admitted"], months["janvier 2024"]["refused"]) == (1, 1)
    assert (months["février 2024"]["refused"], months["février 2024"]["entries"]) == (1, 1)
    refusals = dict(figures["refusals"])
    assert refusals["Droits au séjour ou ressources non ouverts"] == 2
    assert refusals["Autre motif"] == 0
    assert figures["refusals_total"] == 2
    assert figures["total"].mean_days is None


def test_the_siao_sees_its_dashboard_and_another_siao_sees_nothing(
    client, siao, programme, coordinator
):
    for n in (10, 30):
        admitted(
            HouseholdFactory(organisation=siao),
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - 90 * DAY,
            on=today() - n * DAY,
        )
    client.force_login(coordinator)
    response = client.get(reverse("orientation:dashboard"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "IML Réfugiés" in text
    assert response.context["total"].households == 2
    assert response.context["total"].mean_days == 20.0
    # The chart of the waiting lists draws the same figures as the table, described in words.
    assert 'id="graphique-attente"' in text and "IML Réfugiés : 2" in text
    assert 'id="graphique-mois"' in text

    other = UserFactory(organisation=UserFactory().organisation, role=coordinator.role)
    client.force_login(other)
    response = client.get(reverse("orientation:dashboard"))
    assert response.status_code == 200
    assert "IML Réfugiés" not in response.content.decode()
    assert response.context["total"].households == 0
