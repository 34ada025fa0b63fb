"""The household list: search by name, filters, one query count whatever the rows."""

import datetime

import pytest
from django.urls import reverse

from tests.api.conftest import token_client
from tests.conftest import TODAY
from tests.core.factories import UserFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

URL = reverse("households:list")

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


def household(org, first, last, *, status=None):
    head = MembershipFactory(
        household__organisation=org, person__first_name=first, person__last_name=last
    )
    if status:
        LegalStatusRecordFactory(person=head.person, status=status)
    return head.household


@pytest.fixture
def worker(org_a):
    return UserFactory(organisation=org_a, social_worker=True)


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


@pytest.fixture
def three_households(org_a):
    """Présent (IML), sorti (Mobilité), jamais entré."""
    today = TODAY
    iml = ProgrammeFactory(organisation=org_a, name="IML Réfugiés")
    mobility = ProgrammeFactory(organisation=org_a, name="Mobilité nationale")
    present = household(org_a, "Aïcha", "N'Diaye", status="refugee")
    left = household(org_a, "Élodie", "Lefèvre", status="subsidiary_protection")
    never = household(org_a, "Zoé", "D'Almeida")
    StayFactory(
        household=present,
        unit__ref="L-ROSES",
        programme=iml,
        entered_on=today - datetime.timedelta(days=40),
    )
    StayFactory(
        household=left,
        unit__ref="L-LILAS",
        programme=mobility,
        entered_on=datetime.date(2021, 3, 1),
        exited_on=today - datetime.timedelta(days=5),
        exit_destination="social_landlord",
    )
    return {"present": present, "left": left, "never": never, "iml": iml, "mobility": mobility}


def names(response):
    return [row.head.person.last_name if row.head else None for row in response.context["rows"]]


def test_list_shows_every_household_of_the_organisation_sorted_by_name(
    worker_client, three_households
):
    response = worker_client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["D'Almeida", "Lefèvre", "N'Diaye"]
    html = response.content.decode()
    assert "L-ROSES" in html
    assert "IML Réfugiés" in html
    assert "Réfugié·e" in html
    assert "sorti le" in html
    assert "jamais entré" in html


def test_the_order_of_the_names_ignores_accents_and_case(worker_client, three_households, org_a):
    """As a reader of French names expects, on every database: « Émery » between « D'Almeida »
    and « Lefèvre », two heads of the same last name by their first names."""
    household(org_a, "Zoé", "Émery")
    household(org_a, "Anne", "ÉMERY")
    assert names(worker_client.get(URL)) == ["D'Almeida", "ÉMERY", "Émery", "Lefèvre", "N'Diaye"]


def test_social_worker_sees_only_households_of_her_organisation(
    worker_client, three_households, org_b
):
    household(org_b, "Aïcha", "Benali")
    response = worker_client.get(URL, {"q": "aïcha"})
    assert names(response) == ["N'Diaye"]


def test_search_ignores_case_and_accents(worker_client, three_households):
    assert names(worker_client.get(URL, {"q": "ELODIE"})) == ["Lefèvre"]
    assert names(worker_client.get(URL, {"q": "lefevre"})) == ["Lefèvre"]
    # Apostrophes and hyphens aside: « ndiaye » finds N'Diaye, as the search does.
    assert names(worker_client.get(URL, {"q": "aicha ndiaye"})) == ["N'Diaye"]
    assert names(worker_client.get(URL, {"q": "aicha n’diaye"})) == ["N'Diaye"]
    assert names(worker_client.get(URL, {"q": "aicha lefevre"})) == []


def test_search_finds_a_household_by_any_member(worker_client, three_households):
    MembershipFactory(
        household=three_households["never"],
        role="child",
        person__first_name="Noé",
        person__last_name="Kaboré",
    )
    assert names(worker_client.get(URL, {"q": "kabore"})) == ["D'Almeida"]


@pytest.mark.parametrize(
    ("presence", "expected"),
    [("present", ["N'Diaye"]), ("left", ["Lefèvre"]), ("never", ["D'Almeida"])],
)
def test_presence_filter_separates_housed_left_and_never_entered(
    worker_client, three_households, presence, expected
):
    assert names(worker_client.get(URL, {"presence": presence})) == expected


def test_programme_filter_uses_the_current_or_last_stay(worker_client, three_households):
    mobility = three_households["mobility"]
    assert names(worker_client.get(URL, {"programme": str(mobility.uuid)})) == ["Lefèvre"]


def test_legal_status_filter_uses_the_heads_current_status(worker_client, three_households):
    head = three_households["left"].memberships.get().person
    LegalStatusRecordFactory(
        person=head, since=TODAY - datetime.timedelta(days=1), status="refugee"
    )
    response = worker_client.get(URL, {"legal_status": "refugee"})
    assert names(response) == ["Lefèvre", "N'Diaye"]
    assert names(worker_client.get(URL, {"legal_status": "none"})) == ["D'Almeida"]


def test_the_api_filters_the_households_as_the_list_page_does(
    worker, worker_client, three_households, org_b
):
    """One FilterSet for both: the same parameters give the same households."""
    household(org_b, "Aïcha", "Benali", status="refugee")
    LegalStatusRecordFactory(
        person=three_households["left"].memberships.get().person,
        since=TODAY - datetime.timedelta(days=1),
        status="refugee",
    )
    api = token_client(worker)
    mobility = str(three_households["mobility"].uuid)
    for parameters, expected in [
        ({}, ["D'Almeida", "Lefèvre", "N'Diaye"]),
        ({"q": "aicha n’diaye"}, ["N'Diaye"]),
        ({"presence": "present"}, ["N'Diaye"]),
        ({"presence": "left"}, ["Lefèvre"]),
        ({"presence": "never"}, ["D'Almeida"]),
        ({"programme": mobility}, ["Lefèvre"]),
        ({"legal_status": "refugee"}, ["Lefèvre", "N'Diaye"]),
        ({"legal_status": "none"}, ["D'Almeida"]),
        ({"legal_status": "refugee", "presence": "present", "q": "aïcha"}, ["N'Diaye"]),
        ({"programme": mobility, "presence": "present"}, []),
    ]:
        page = worker_client.get(URL, parameters)
        assert names(page) == expected, parameters
        response = api.get("/api/v1/households/", parameters)
        assert response.status_code == 200, parameters
        assert sorted(h["uuid"] for h in response.data["results"]) == sorted(
            str(row.household.uuid) for row in page.context["rows"]
        ), parameters


def test_the_api_refuses_a_bad_filter_value_in_french(worker, three_households, org_b):
    programme_of_b = ProgrammeFactory(organisation=org_b)
    response = token_client(worker).get(
        "/api/v1/households/",
        {"presence": "ailleurs", "programme": str(programme_of_b.uuid), "legal_status": "x"},
    )
    assert response.status_code == 400
    assert set(response.data) == {"presence", "programme", "legal_status"}
    assert response.data["presence"] == [
        "Sélectionnez un choix valide. ailleurs n’en fait pas partie."
    ]


def test_filter_form_has_a_label_for_every_field(worker_client, three_households):
    html = worker_client.get(URL).content.decode()
    for field_id in ("id_q", "id_programme", "id_presence", "id_legal_status"):
        assert f'<label for="{field_id}">' in html


def test_list_is_paginated_and_keeps_the_filters(worker_client, org_a):
    for n in range(30):
        household(org_a, "Amélie", f"Dubois-{n:02d}")
    first = worker_client.get(URL, {"q": "dubois"})
    assert len(first.context["rows"]) == 25
    html = first.content.decode()
    assert "q=dubois&amp;page=2" in html
    second = worker_client.get(URL, {"q": "dubois", "page": 2})
    assert len(second.context["rows"]) == 5


def test_list_costs_the_same_queries_for_ten_households_as_for_one(
    worker_client, org_a, django_assert_max_num_queries
):
    unit = HousingUnitFactory(organisation=org_a)
    for n in range(10):
        h = household(org_a, "Inès", f"Martín-{n}", status="refugee")
        MembershipFactory(household=h, role="child", person__first_name="Léa")
        if n == 0:
            StayFactory(household=h, unit=unit, programme=ProgrammeFactory(organisation=org_a))
    # 12 for the page (its households counted, the keys of the page in order, then their
    # rows: `core.scoped_pages`), 3 for its access-log rows (SAVEPOINT, one INSERT for all
    # of them, RELEASE) + 3 for the session refresh of SESSION_SAVE_EVERY_REQUEST
    # (SAVEPOINT, UPDATE django_session, RELEASE) + 1 for the header's unread notifications.
    with django_assert_max_num_queries(19):
        response = worker_client.get(URL, {"q": "martin", "presence": "", "legal_status": ""})
    assert len(response.context["rows"]) == 10
    assert {row.persons for row in response.context["rows"]} == {2}


def test_household_without_head_is_listed_by_its_reference(worker_client, org_a):
    HouseholdFactory(organisation=org_a, ref="M-SANS-TETE")
    html = worker_client.get(URL).content.decode()
    assert "M-SANS-TETE" in html


def test_every_filter_together_costs_the_same_queries_for_one_page_as_for_several(
    worker_client, org_a, org_b
):
    """Gone from a unit of the programme, refugee: one household, then 45 (two pages), most
    held by another organisation and linked by their stay: the same queries for the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = ProgrammeFactory(organisation=org_a)

    def gone(org, n):
        h = household(org, "Inès", f"Martín-{n}", status="refugee")
        StayFactory(
            household=h,
            organisation=org_a,
            unit__organisation=org_a,
            programme=programme,
            entered_on=datetime.date(2022, 1, 1),
            exited_on=TODAY - datetime.timedelta(days=10),
            exit_destination="social_landlord",
        )
        return h

    params = {"presence": "left", "legal_status": "refugee", "programme": str(programme.uuid)}

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = worker_client.get(URL, params)
        return response, len(queries)

    gone(org_a, 0)
    first, one = page()
    assert len(first.context["rows"]) == 1
    for n in range(1, 45):
        gone(org_b if n % 3 else org_a, n)
    full, many = page()
    assert len(full.context["rows"]) == 25
    assert full.context["page_obj"].paginator.count > 25
    shown = {row.household.organisation_id for row in full.context["rows"]}
    assert shown == {org_a.pk, org_b.pk}
    assert many <= one


def test_the_order_follows_the_heads_as_they_change(worker_client, three_households, org_a):
    """The list is ordered by the current head's last name, stored with the household: a
    head renamed, a head who leaves, a new head, a household edited, members written in
    bulk (an import, the demo) each move the household to its place."""
    from seuil.households.models import Household, Membership, Person

    never = three_households["never"]
    head = never.memberships.get()
    head.person.last_name = "Zola"
    head.person.save()
    assert names(worker_client.get(URL)) == ["Lefèvre", "N'Diaye", "Zola"]

    # A household edited with what it was read with before its head changed.
    stale = Household.objects.get(pk=never.pk)
    head.left_on = TODAY
    head.save()
    newcomer = MembershipFactory(household=never, person__last_name="Abadie", role="head")
    stale.prior_situation = "street"
    stale.save()
    assert names(worker_client.get(URL)) == ["Abadie", "Lefèvre", "N'Diaye"]

    newcomer.delete()
    assert names(worker_client.get(URL)) == ["Lefèvre", "N'Diaye", None]

    bulk = HouseholdFactory(organisation=org_a)
    person = Person.objects.bulk_create([Person(organisation=org_a, ref="P-B", last_name="Bah")])
    Membership.objects.bulk_create([Membership(household=bulk, person=person[0], role="head")])
    assert names(worker_client.get(URL)) == ["Bah", "Lefèvre", "N'Diaye", None]
    Person.objects.bulk_update([Person(pk=person[0].pk, last_name="Sy")], ["last_name"])
    assert names(worker_client.get(URL)) == ["Lefèvre", "N'Diaye", "Sy", None]
