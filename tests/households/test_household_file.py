"""The household file: members with ages, dated histories, stays, access log."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.housing.models import EvictionProcedure
from tests.conftest import TODAY
from tests.core.factories import UserFactory
from tests.households.factories import (
    LegalStatusRecordFactory,
    MembershipFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import ProgrammeFactory, StayFactory

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


def years_ago(years):
    return datetime.date(TODAY.year - years, TODAY.month, min(TODAY.day, 28))


@pytest.fixture
def family(org_a):
    head = MembershipFactory(
        household__organisation=org_a,
        person__first_name="Aïcha",
        person__last_name="N'Diaye",
        person__birth_date=years_ago(34),
    )
    household = head.household
    MembershipFactory(
        household=household,
        role="child",
        person__first_name="Noé",
        person__last_name="N'Diaye",
        person__sex="M",
        person__birth_date=years_ago(1),
        joined_on=years_ago(1),
        joined_reason="birth",
    )
    MembershipFactory(
        household=household,
        role="partner",
        person__first_name="Moussa",
        person__last_name="Traoré",
        person__sex="M",
        person__birth_date=None,
        joined_on=datetime.date(2022, 5, 1),
        left_on=datetime.date(2023, 9, 30),
    )
    LegalStatusRecordFactory(
        person=head.person, since=datetime.date(2020, 2, 3), status="asylum_seeker"
    )
    LegalStatusRecordFactory(person=head.person, since=datetime.date(2021, 6, 1), status="refugee")
    ResourceRecordFactory(
        household=household, on=datetime.date(2021, 1, 1), types=["asylum_allowance"]
    )
    ResourceRecordFactory(
        household=household, on=datetime.date(2023, 1, 1), types=["rsa", "family_benefits"]
    )
    return household


def url(household):
    return reverse("households:detail", args=[household.uuid])


def test_household_file_shows_members_with_their_age_and_role(client_a, family):
    response = client_a.get(url(family))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ménage Aïcha N&#x27;Diaye" in html
    assert "34 ans" in html
    assert "1 an<" in html
    assert "Inconnu" in html  # the partner's age
    assert "Personne de référence" in html
    assert "Conjoint·e" in html
    assert "a quitté le ménage" in html
    assert "Naissance" in html
    ages = {row.person.first_name: row.age for row in response.context["members"]}
    assert ages == {"Aïcha": "34 ans", "Noé": "1 an", "Moussa": "Inconnu"}


def test_household_file_shows_legal_status_and_resources_histories(client_a, family):
    html = client_a.get(url(family)).content.decode()
    assert "Demandeur·se d&#x27;asile" in html
    assert "03/02/2020" in html
    assert "Réfugié·e" in html
    assert "Allocation pour demandeur d&#x27;asile (ADA)" in html
    assert "Prestations familiales, RSA" in html
    assert html.index("01/01/2023") < html.index("01/01/2021")  # most recent first


def test_household_file_shows_stays_and_eviction_procedures(client_a, family, org_a):
    programme = ProgrammeFactory(organisation=org_a, name="IML Réfugiés")
    old = StayFactory(
        household=family,
        unit__ref="L-ANCIEN",
        programme=programme,
        entered_on=datetime.date(2021, 1, 4),
        exited_on=datetime.date(2022, 2, 1),
        exit_destination="other_programme",
        lease_transferred=False,
    )
    StayFactory(
        household=family,
        unit__ref="L-ACTUEL",
        entered_on=datetime.date(2022, 2, 1),
        support_intensity="reinforced",
    )
    EvictionProcedure.objects.create(stay=old, started_on=datetime.date(2021, 11, 2))
    response = client_a.get(url(family))
    html = response.content.decode()
    assert "L-ANCIEN" in html and "L-ACTUEL" in html
    assert "Autre dispositif" in html
    assert "Accompagnement renforcé" in html
    assert "02/11/2021" in html
    assert "Faire entrer dans un logement" not in html


def test_household_not_housed_gets_a_link_to_vacant_units(client_a, family):
    html = client_a.get(url(family)).content.decode()
    assert "Faire entrer dans un logement" in html
    assert f"{reverse('housing:list')}?state=vacant" in html


def test_viewing_a_household_file_writes_an_access_log_row(client_a, member_a, family):
    client_a.get(url(family))
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.VIEW
    assert log.object_type == "household"
    assert log.object_uuid == family.uuid
    assert log.user == member_a
    assert log.organisation == member_a.organisation


def test_tenancy_officer_reads_the_file_without_edit_buttons(client, org_a, family):
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    html = client.get(url(family)).content.decode()
    assert "Aïcha" in html
    assert "Modifier le ménage" not in html
    assert "Ajouter un membre" not in html


def test_editor_sees_every_action_button(client_a, family):
    html = client_a.get(url(family)).content.decode()
    for label in ("Modifier le ménage", "Ajouter un membre", "Ajouter des ressources"):
        assert label in html
    assert html.count("Ajouter un statut") == 3


def test_the_file_costs_the_same_queries_whatever_its_stays_and_reads_them_once(
    client_a, family, org_a
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get(url(family)).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    StayFactory(household=family, entered_on=datetime.date(2022, 2, 1))
    first = queries()
    for year in (2017, 2018, 2019):
        stay = StayFactory(household=family, entered_on=datetime.date(year, 1, 1))
        stay.exited_on, stay.exit_destination = datetime.date(year, 6, 1), "social_landlord"
        stay.save()
        EvictionProcedure.objects.create(stay=stay, started_on=datetime.date(year, 3, 1))
    MembershipFactory(household=family, role="child", person__first_name="Lina")
    ResourceRecordFactory(household=family, on=datetime.date(2024, 1, 1), types=["rsa"])
    assert len(queries()) == len(first)
    # The stays of the summary, of "Séjours" and of the household's account: one query
    # (support and outcomes read the organisation's stays with what they show of them).
    stays = [sql for sql in first if sql.startswith('SELECT "housing_stay"."id"')]
    assert len(stays) == 3
