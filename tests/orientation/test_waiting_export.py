"""CSV and XLSX exports of the waiting lists: the households in order, no formula, one
access-log row per household listed."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from seuil.core.enums import Role
from seuil.core.models import AccessLog
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)


def body(response):
    """A download's bytes: both formats are streamed."""
    return b"".join(response.streaming_content)


def listed(siao, programme, coordinator):
    households = []
    for n, name in enumerate(["=HYPERLINK(1)", "Martin"]):
        household = HouseholdFactory(organisation=siao)
        MembershipFactory(
            household=household,
            role="head",
            person__last_name=name,
            person__first_name="Léa",
            person__organisation=siao,
        )
        admitted(
            household,
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - (200 - 50 * n) * DAY,
            on=today() - 30 * DAY,
        )
        households.append(household)
    return households


def test_the_csv_lists_the_households_in_order_without_formulas(
    client, siao, programme, coordinator
):
    households = listed(siao, programme, coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("orientation:waiting_export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Dispositif", "SIAO", "Position"]
    assert [row[2] for row in rows[1:]] == ["1", "2"]
    assert rows[1][0] == "IML Réfugiés"
    assert rows[1][6] == "'=HYPERLINK(1) Léa"
    assert rows[2][9] == "30"
    logged = AccessLog.objects.filter(action="export", object_type="household")
    assert sorted(logged.values_list("object_uuid", flat=True)) == sorted(
        h.uuid for h in households
    )


def test_the_xlsx_has_the_same_rows_and_no_formula(client, siao, programme, coordinator):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("orientation:waiting_export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[2] for row in rows] == [1, 2]
    assert rows[0][6] == "'=HYPERLINK(1) Léa"
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)
    assert AccessLog.objects.filter(action="export").count() == 2


def test_an_unknown_format_is_refused_in_french(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("orientation:waiting_export"), {"format": "ods"})
    assert response.status_code == 400
    assert "Format inconnu" in response.content.decode()


def test_another_organisation_exports_none_of_these_households(
    client, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    other = UserFactory(organisation=UserFactory().organisation, role=coordinator.role)
    client.force_login(other)
    response = client.get(reverse("orientation:waiting_export"), {"format": "csv"})
    assert response.status_code == 200
    assert "Martin" not in body(response).decode("utf-8-sig")
    assert not AccessLog.objects.filter(action="export").exists()


def test_an_export_read_a_household_at_a_time_keeps_the_order_and_the_log(
    client, siao, programme, coordinator
):
    from unittest import mock

    from seuil.orientation import waiting

    households = listed(siao, programme, coordinator)
    client.force_login(coordinator)
    with mock.patch.object(waiting, "CHUNK", 1):
        response = client.get(reverse("orientation:waiting_export"), {"format": "csv"})
        rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["1", "2"]
    assert [row[5] for row in rows[1:]] == [h.ref for h in households]
    assert AccessLog.objects.filter(action="export").count() == 2


def exported_with_queries(client):
    """The rows of a CSV export of a list already stored, and the queries it took."""
    url = reverse("orientation:waiting_export")
    body(client.get(url, {"format": "csv"}))  # stores today's list
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"format": "csv"})
        rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
    return rows[1:], len(queries)


def test_an_export_takes_the_same_queries_for_two_households_as_for_seven(
    client, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    rows, few = exported_with_queries(client)
    assert len(rows) == 2
    for n in range(5):
        household = HouseholdFactory(organisation=siao)
        MembershipFactory(household=household, role="head", person__organisation=siao)
        admitted(
            household,
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - (300 + n) * DAY,
            on=today() - 30 * DAY,
        )
    rows, many = exported_with_queries(client)
    assert [row[2] for row in rows] == [str(n) for n in range(1, 8)]
    assert many == few


def test_the_head_exported_is_the_one_of_today(client, siao, programme, coordinator):
    household = listed(siao, programme, coordinator)[1]
    former = household.memberships.get(role="head")
    former.left_on = today() - 10 * DAY
    former.save()
    MembershipFactory(
        household=household,
        role="head",
        person__last_name="Durand",
        person__first_name="Paul",
        person__organisation=siao,
    )
    alone = listed(siao, programme, coordinator)[0]
    alone.memberships.all().delete()
    client.force_login(coordinator)
    rows, _ = exported_with_queries(client)
    heads = {row[5]: row[6] for row in rows}
    assert heads[household.ref] == "DURAND Paul"
    assert heads[alone.ref] == ""


def test_a_holder_of_some_households_exports_them_at_their_place_on_the_whole_list(
    client, siao, programme, coordinator
):
    holder = OrganisationFactory()
    theirs = []
    for n in range(5):
        household = HouseholdFactory(organisation=holder if n in (1, 3) else siao)
        admitted(
            household,
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - (200 - 10 * n) * DAY,
            on=today() - 30 * DAY,
        )
        if n in (1, 3):
            theirs.append(household)
    from unittest import mock

    from seuil.orientation import waiting

    client.force_login(UserFactory(organisation=holder, role=Role.SOCIAL_WORKER))
    with mock.patch.object(waiting, "CHUNK", 1):  # a chunk after the other, gaps between
        rows, _ = exported_with_queries(client)
    assert [(row[2], row[5]) for row in rows] == [("2", theirs[0].ref), ("4", theirs[1].ref)]
    logged = AccessLog.objects.filter(action="export", organisation=holder)
    assert sorted(logged.values_list("object_uuid", flat=True)) == sorted(
        h.uuid
        for h in theirs * 2  # two exports
    )
