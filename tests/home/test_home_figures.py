"""The home page: the day's figures of the user's organisation, fitted to the role."""

import datetime

import pytest
from django.urls import reverse

from seuil.home.figures import VACANT_SHOWN, day_figures
from seuil.housing.models import HousingUnit, Landlord
from seuil.housing.vacant_units import vacant_units_on
from tests.conftest import TODAY
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY
MONTH_START = TODAY.replace(day=1)
TEN_DAYS_AGO = TODAY - datetime.timedelta(days=10)


def household(org, first, last, *, children=0):
    head = MembershipFactory(
        household__organisation=org, person__first_name=first, person__last_name=last
    )
    for n in range(children):
        MembershipFactory(household=head.household, role="child", person__first_name=f"Enfant {n}")
    return head.household


@pytest.fixture
def small_stock(org_a):
    """Two units: one occupied since the 1st of the month, one vacant since an exit ten
    days ago."""
    occupied = HousingUnitFactory(organisation=org_a, ref="L-OCCUPÉ")
    vacant = HousingUnitFactory(organisation=org_a, ref="L-VACANT", address="3 rue de l'Église")
    StayFactory(
        household=household(org_a, "Aïcha", "N'Diaye", children=2),
        unit=occupied,
        entered_on=MONTH_START,
    )
    StayFactory(
        household=household(org_a, "Élodie", "Lefèvre"),
        unit=vacant,
        entered_on=datetime.date(2021, 1, 4),
        exited_on=TEN_DAYS_AGO,
    )
    return {"occupied": occupied, "vacant": vacant}


def test_home_figures_are_exact_on_a_small_stock(member_a, small_stock):
    figures = day_figures(member_a, TODAY)
    assert figures.kind == "households"
    assert figures.households_present == 1
    assert figures.persons_present == 3
    assert figures.units_in_stock == 2
    assert figures.units_occupied == 1
    assert [(v.unit.ref, v.vacant_since, v.days) for v in figures.vacant_units] == [
        ("L-VACANT", TEN_DAYS_AGO, 10)
    ]
    assert figures.entries_this_month == 1
    assert figures.exits_this_month == (1 if TEN_DAYS_AGO >= MONTH_START else 0)


def test_home_page_lists_vacant_units_with_the_days_of_vacancy(client_a, small_stock):
    html = client_a.get(reverse("home")).content.decode()
    assert "Ménages présents" in html
    assert "L-VACANT" in html
    assert "10 jours" in html
    assert TEN_DAYS_AGO.strftime("%d/%m/%Y") in html
    assert "L-OCCUPÉ" not in html


def test_vacant_units_link_to_the_unit_page(client_a, small_stock):
    unit_url = reverse("housing:detail", args=[small_stock["vacant"].uuid])
    assert f'href="{unit_url}"' in client_a.get(reverse("home")).content.decode()


def test_home_page_lists_the_longest_vacancies_and_links_to_them_all(client_a, org_a):
    for n in range(VACANT_SHOWN + 1):
        HousingUnitFactory(
            organisation=org_a, ref=f"L-V{n:02d}", captured_on=TODAY - datetime.timedelta(n + 1)
        )
    html = client_a.get(reverse("home")).content.decode()
    assert f"L-V{VACANT_SHOWN:02d}" in html  # the longest vacancy first
    assert "L-V00" not in html  # the shortest: on the units' list only
    assert f"({VACANT_SHOWN + 1}), les {VACANT_SHOWN} plus anciens" in html
    link = f'href="{reverse("housing:list")}?state=vacant">Voir les {VACANT_SHOWN + 1} logements'
    assert link in html


def test_unit_never_occupied_is_vacant_since_its_capture(member_a, org_a):
    HousingUnitFactory(organisation=org_a, captured_on=TODAY - datetime.timedelta(days=3))
    (vacant,) = vacant_units_on(HousingUnit.objects.visible_to(member_a), TODAY)
    assert vacant.days == 3


def test_unit_captured_after_the_last_exit_is_vacant_since_its_capture(member_a, org_a):
    unit = HousingUnitFactory(organisation=org_a, captured_on=TODAY - datetime.timedelta(days=4))
    StayFactory(
        household=household(org_a, "Zoé", "D'Almeida"),
        unit=unit,
        entered_on=TODAY - datetime.timedelta(days=4),
        exited_on=TODAY - datetime.timedelta(days=2),
    )
    (vacant,) = vacant_units_on(HousingUnit.objects.visible_to(member_a), TODAY)
    assert vacant.days == 2


def test_home_figures_ignore_other_organisations(member_b, small_stock):
    figures = day_figures(member_b, TODAY)
    assert figures.households_present == 0
    assert figures.units_in_stock == 0
    assert figures.vacant_units == []
    assert figures.entries_this_month == 0


def test_home_page_figures_cost_a_few_queries(client_a, small_stock, django_assert_max_num_queries):
    # The figures (about 15 queries), then « Mes tâches »: a fixed number per task provider
    # (about 20 for the providers of orientation, tenancy, support, outcomes, households).
    with django_assert_max_num_queries(40):
        client_a.get(reverse("home"))


def test_state_user_sees_counts_but_no_names_nor_units(client, org_a, small_stock):
    client.force_login(UserFactory(organisation=org_a, state=True))
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["figures"].kind == "state"
    assert "Ménages présents" in html
    assert "aucun nom de personne" in html
    assert "L-VACANT" not in html
    assert "Aïcha" not in html


def test_landlord_sees_its_own_units_only(client, org_a, small_stock):
    landlord_org = OrganisationFactory(kind="landlord", name="Habitat d'Amiens")
    record = Landlord.objects.create(
        organisation=org_a, ref="bailleur-1", name="Habitat d'Amiens", account=landlord_org
    )
    small_stock["vacant"].landlord = record
    small_stock["vacant"].save()
    client.force_login(UserFactory(organisation=landlord_org, landlord=True))
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["figures"].kind == "landlord"
    assert "L-VACANT" in html
    assert "10 jours" in html
    assert "L-OCCUPÉ" not in html
    assert "Aïcha" not in html


def test_administrator_sees_the_users_of_its_organisation(client, org_a, org_b):
    admin = UserFactory(
        organisation=org_a, role="administrator", first_name="Hélène", last_name="Müller"
    )
    UserFactory(organisation=org_a, first_name="François", last_name="Léger", username="fleger")
    UserFactory(organisation=org_b, first_name="Gaëlle", last_name="Étienne")
    client.force_login(admin)
    html = client.get(reverse("home")).content.decode()
    assert "François Léger" in html
    assert "Hélène Müller" in html
    assert "Gaëlle" not in html
    assert "Jamais connecté" in html


def test_user_without_role_gets_a_plain_explanation(client, org_a):
    client.force_login(UserFactory(organisation=org_a, role=""))
    html = client.get(reverse("home")).content.decode()
    assert "contactez la personne qui administre Seuil" in html
