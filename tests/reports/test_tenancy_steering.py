"""The state's dashboard shows arrears and collection by operator, small cells hidden."""

import datetime

import pytest
from django.urls import reverse

from seuil.reports.steering import steering_table
from tests.core.factories import OrganisationFactory, UserFactory
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory, call, pay

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2025, 6, 30)


def sub_leases(organisation, count, *, paid):
    """`count` sub-leases with a call of 100 due on 5 June; `paid` of them paid it."""
    for i in range(count):
        stay = StayFactory(
            household__organisation=organisation,
            unit__organisation=organisation,
            entered_on=D(2025, 1, 1),
        )
        sub_lease = SubLeaseFactory(stay=stay, due_day=5)
        call(sub_lease, D(2025, 6, 1), 100)
        if i < paid:
            pay(sub_lease, D(2025, 6, 5), 100)


@pytest.fixture
def territory(db):
    big = OrganisationFactory(name="Grande association", department="80")
    small = OrganisationFactory(name="Petite association", department="80")
    sub_leases(big, 8, paid=2)  # 6 in arrears, 2 of 8 paid
    sub_leases(small, 2, paid=0)  # 2 in arrears: hidden
    ddets = OrganisationFactory(name="DDETS", kind="state", department="80")
    return UserFactory(organisation=ddets, state=True)


def test_arrears_and_collection_by_operator_with_small_cells_hidden(territory):
    table = steering_table(territory, DAY).tenancy
    rows = dict(table.rows)
    # Small's 2 are hidden, and big's 6 with them (else the total would tell small's).
    assert rows["Petite association"][:2] == [None, None]
    assert rows["Grande association"][:2] == [None, None]
    assert rows["Grande association"][2] == 0.25  # 8 sub-leases called: the rate is shown
    assert rows["Petite association"][2] is None  # 2 sub-leases called: hidden
    assert table.totals[0] == 8
    assert table.totals[1] == 800
    assert table.totals[2] == 0.2


def test_the_dashboard_page_shows_the_tenancy_table(client, territory, today):
    client.force_login(territory)
    html = client.get(reverse("reports:steering")).content.decode()
    assert "Impayés et encaissement des loyers par opérateur" in html
    assert "25&nbsp;%" in html
