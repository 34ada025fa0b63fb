"""Vacancies open at an exit (or by a declaration, or by the daily task for a unit found
vacant), close at an entry or a return; their days and cost are counted for every unit."""

import calendar
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from seuil.housing import services as housing_services
from seuil.orientation import costs
from seuil.orientation.enums import VacancyClosing, VacancyOpening
from seuil.orientation.models import Vacancy
from seuil.orientation.services.vacancies import declare_vacancy, sync_vacancies
from seuil.orientation.vacancies import unit_vacancies
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)
D0 = datetime.date(2024, 1, 1)


# ---- the cost, in plain Python ------------------------------------------------------------


def test_a_whole_month_vacant_costs_exactly_one_month_of_rent_and_charges():
    monthly = costs.monthly_amount(Decimal("341"), Decimal("52"))
    for month in range(1, 13):
        start = datetime.date(2024, month, 1)
        end = start + calendar.monthrange(2024, month)[1] * DAY
        assert costs.vacancy_cost(monthly, start, end) == Decimal("393.00")


def test_one_day_costs_the_month_divided_by_its_days():
    assert costs.vacancy_cost(Decimal("310"), D0, D0 + DAY) == Decimal("10.00")  # January
    february = datetime.date(2023, 2, 10)
    assert costs.vacancy_cost(Decimal("280"), february, february + DAY) == Decimal("10.00")


def test_an_unknown_rent_gives_an_unknown_cost_and_unknown_charges_count_zero():
    assert costs.monthly_amount(None, 50) is None
    assert costs.vacancy_cost(None, D0, D0 + DAY) is None
    assert costs.monthly_amount(400, None) == Decimal(400)


@given(st.integers(0, 800), st.integers(0, 400), st.integers(0, 400))
def test_the_cost_adds_up_over_a_split_period(start, first, second):
    monthly = Decimal("455.50")
    a = D0 + start * DAY
    b = a + first * DAY
    c = b + second * DAY
    whole = costs._exact_cost(monthly, a, c)
    assert whole == costs._exact_cost(monthly, a, b) + costs._exact_cost(monthly, b, c)


stays_strategy = st.lists(
    st.tuples(st.integers(0, 300), st.one_of(st.none(), st.integers(0, 120))), max_size=4
)


@given(
    st.integers(0, 100),
    st.one_of(st.none(), st.integers(0, 400)),
    stays_strategy,
    st.integers(0, 200),
    st.integers(0, 300),
)
def test_vacant_days_are_the_days_in_stock_with_nobody_present(
    captured, returned_after, stays, start, length
):
    captured_on = D0 + captured * DAY
    returned_on = None if returned_after is None else captured_on + returned_after * DAY
    spans = [(D0 + e * DAY, None if n is None else D0 + (e + n) * DAY) for e, n in stays]
    begin, end = D0 + start * DAY, D0 + (start + length) * DAY
    day_by_day = sum(
        1
        for i in range(length)
        if (day := begin + i * DAY) >= captured_on
        and (returned_on is None or day < returned_on)
        and not any(e <= day and (x is None or day < x) for e, x in spans)
    )
    days, cost = costs.vacant_days_and_cost(
        (captured_on, returned_on), spans, Decimal("300"), begin, end
    )
    assert days == day_by_day
    assert cost >= 0


# ---- vacancies follow entries and exits ---------------------------------------------------


def test_an_exit_opens_a_vacancy_from_the_exit_day(unit, manager, operator):
    stay = StayFactory(
        household=HouseholdFactory(organisation=operator), unit=unit, entered_on=today() - 90 * DAY
    )
    housing_services.record_exit(
        stay, exited_on=today() - 7 * DAY, destination="social_landlord", acting_user=manager
    )
    vacancy = Vacancy.objects.get()
    assert (vacancy.unit, vacancy.opened_on, vacancy.opening_reason) == (
        unit,
        today() - 7 * DAY,
        VacancyOpening.EXIT,
    )
    assert vacancy.days_on(today()) == 7
    assert vacancy.opened_by == manager


def test_an_exit_with_the_lease_transferred_opens_no_vacancy(unit, manager, operator):
    stay = StayFactory(
        household=HouseholdFactory(organisation=operator), unit=unit, entered_on=today() - 90 * DAY
    )
    unit.returned_on = today() - 7 * DAY
    unit.save()
    housing_services.record_exit(
        stay,
        exited_on=today() - 7 * DAY,
        destination="social_landlord",
        lease_transferred=True,
        acting_user=manager,
    )
    assert not Vacancy.objects.exists()


def test_an_entry_closes_the_vacancy_it_fills(unit, manager, operator):
    declare_vacancy(unit, opened_on=today() - 20 * DAY, acting_user=manager)
    housing_services.enter_household(
        HouseholdFactory(organisation=operator), unit, entered_on=today() - 5 * DAY,
        acting_user=manager,
    )  # fmt: skip
    vacancy = Vacancy.objects.get()
    assert (vacancy.closed_on, vacancy.closing_reason) == (today() - 5 * DAY, VacancyClosing.FILLED)
    assert vacancy.days_on(today()) == 15


def test_a_vacancy_cannot_be_declared_twice_or_for_an_occupied_unit(unit, manager, operator):
    declare_vacancy(unit, opened_on=today() - 20 * DAY, acting_user=manager)
    with pytest.raises(ValidationError) as twice:
        declare_vacancy(unit, opened_on=today(), acting_user=manager)
    assert "déjà une vacance ouverte" in " ".join(twice.value.messages)
    occupied = HousingUnitFactory(organisation=operator, captured_on=today() - 100 * DAY)
    StayFactory(household=HouseholdFactory(organisation=operator), unit=occupied,
                entered_on=today() - 50 * DAY)  # fmt: skip
    with pytest.raises(ValidationError) as busy:
        declare_vacancy(occupied, opened_on=today(), acting_user=manager)
    assert "Le logement est occupé" in " ".join(busy.value.messages)


def test_the_daily_sync_opens_a_vacancy_for_a_unit_found_vacant_and_closes_a_returned_one(
    operator, manager
):
    captured = HousingUnitFactory(organisation=operator, captured_on=today() - 12 * DAY)
    returned = HousingUnitFactory(organisation=operator, captured_on=today() - 300 * DAY)
    declare_vacancy(returned, opened_on=today() - 30 * DAY, acting_user=manager)
    returned.returned_on = today() - 3 * DAY
    returned.save()
    assert sync_vacancies(today(), dry_run=True) == (1, 1)
    assert sync_vacancies(today()) == (1, 1)
    opened = Vacancy.objects.get(unit=captured)
    assert (opened.opened_on, opened.opening_reason) == (today() - 12 * DAY, "new_unit")
    closed = Vacancy.objects.get(unit=returned)
    assert (closed.closed_on, closed.closing_reason) == (today() - 3 * DAY, "returned")
    assert sync_vacancies(today()) == (0, 0)


def test_vacant_days_and_cost_of_every_unit_come_from_the_stock(operator):
    unit = HousingUnitFactory(
        organisation=operator, rent=300, charges=10, captured_on=datetime.date(2024, 1, 1)
    )
    StayFactory(
        household=HouseholdFactory(organisation=operator),
        unit=unit,
        entered_on=datetime.date(2024, 2, 1),
        exited_on=datetime.date(2024, 3, 1),
    )
    (row,) = unit_vacancies(
        type(unit).objects.filter(pk=unit.pk), datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
    )
    assert row.days == 31 + 31  # January and March
    assert row.cost == Decimal("620.00")  # two whole months of 310 €


def test_the_vacancy_list_shows_open_vacancies_with_their_days_and_cost(client, unit, manager):
    declare_vacancy(unit, opened_on=today() - 30 * DAY, acting_user=manager)
    client.force_login(manager)
    html = client.get(reverse("orientation:vacancies")).content.decode()
    assert "L19 – T2" in html
    assert "Aucune : à proposer" in html
    assert "Jours de vacance et coût par logement" in html
