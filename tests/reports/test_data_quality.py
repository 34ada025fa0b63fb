"""The data-quality page: each kind of problem counted today and at the end of the last
twelve months, with the files to fix; the organisation's own files only, in a constant
number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seuil.core.enums import Role
from seuil.core.models import AccessLog
from seuil.households.duplicates import likely_duplicate_pairs
from seuil.households.models import Household
from seuil.reports.data_quality import data_quality, month_points
from tests.core.factories import UserFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, StayFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 15)


def test_the_twelve_points_are_the_ends_of_the_last_eleven_months_then_today():
    points = month_points(DAY)
    assert len(points) == 12
    assert points[0] == datetime.date(2024, 7, 31)
    assert points[-3:] == [datetime.date(2025, 4, 30), datetime.date(2025, 5, 31), DAY]
    assert month_points(datetime.date(2024, 3, 10))[-2] == datetime.date(2024, 2, 29)


def housed(organisation, *, entered_on=datetime.date(2024, 1, 1), unit=None, **person):
    """A household of one person, housed from `entered_on`, with its status and resources."""
    household = HouseholdFactory(organisation=organisation)
    # A birth date of its own: only the persons a test names alike are likely duplicates.
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=household.pk)
    person.setdefault("person__birth_date", born)
    # And a name of its own (the duplicate rule also pairs the same names born the same
    # year, or with a birth date unknown).
    letters = "".join(chr(65 + household.pk // 26**i % 26) for i in range(3))
    person.setdefault("person__last_name", f"Famille {letters}")
    member = MembershipFactory(household=household, **person)
    LegalStatusRecordFactory(person=member.person, since=datetime.date(2020, 1, 1))
    ResourceRecordFactory(household=household, on=datetime.date(2020, 1, 1))
    extra = {"unit": unit} if unit is not None else {}
    StayFactory(household=household, entered_on=entered_on, **extra)
    return household, member.person


def check(quality, code):
    return next(c for c in quality.checks if c.code == code)


def created_on(household, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Household.objects.filter(pk=household.pk).update(created_at=moment)


@pytest.fixture
def files(org_a, org_b):
    # Complete and right: counted nowhere.
    housed(org_a)
    # Housed since March 2025 without a birth date: missing from the end of March on.
    no_birth, _ = housed(
        org_a,
        entered_on=datetime.date(2025, 3, 10),
        unit=HousingUnitFactory(organisation=org_a, captured_on=datetime.date(2025, 3, 1)),
        person__birth_date=None,
    )
    # A child born in 2031 (a file created in May 2025).
    future, _ = housed(org_a, person__birth_date=datetime.date(2031, 3, 15))
    created_on(future, datetime.date(2025, 5, 2))
    # The same woman twice, in two files (accents, case and order of names differ).
    first, _ = housed(
        org_a,
        person__first_name="Aïcha",
        person__last_name="Benali",
        person__birth_date=datetime.date(1990, 5, 4),
    )
    second, _ = housed(
        org_a,
        person__first_name="BENALI",
        person__last_name="Aicha",
        person__birth_date=datetime.date(1990, 5, 4),
    )
    created_on(first, datetime.date(2024, 1, 1))
    created_on(second, datetime.date(2025, 1, 20))
    # Twins of one household: not a pair.
    twins, lina = housed(
        org_a,
        person__first_name="Lina",
        person__last_name="Haddad",
        person__birth_date=datetime.date(2015, 2, 2),
    )
    lena = MembershipFactory(
        household=twins,
        role="child",
        person=PersonFactory(
            organisation=org_a,
            first_name="Léna",
            last_name="Haddad",
            birth_date=datetime.date(2015, 2, 2),
        ),
    )
    LegalStatusRecordFactory(person=lena.person, since=datetime.date(2020, 1, 1))
    # A file opened in August 2024, never housed.
    never = HouseholdFactory(organisation=org_a)
    MembershipFactory(household=never)
    created_on(never, datetime.date(2024, 8, 1))
    # Housed in a unit captured three months after the entry (the stay predates the stock).
    late_unit = HousingUnitFactory(organisation=org_a, captured_on=datetime.date(2024, 10, 1))
    housed(org_a, entered_on=datetime.date(2024, 7, 1), unit=late_unit)
    # Vacant since its last exit on 2025-04-01 (30 days reached on 2025-05-01).
    empty = HousingUnitFactory(organisation=org_a, ref="L-VIDE")
    left, _ = housed(org_a, unit=empty)
    left.stays.update(exited_on=datetime.date(2025, 4, 1))
    # Another organisation's problems are not A's.
    housed(org_b, person__birth_date=None)
    housed(org_b, person__birth_date=datetime.date(2031, 1, 1))
    return {
        "no_birth": no_birth,
        "future": future,
        "first": first,
        "second": second,
        "never": never,
        "late_unit": late_unit,
        "empty": empty,
        "lina": lina,
    }


def test_each_problem_is_counted_with_its_trend_and_the_file_to_fix(org_a, files):
    quality = data_quality(org_a, DAY)
    counts = {c.code: c.count for c in quality.checks}
    assert counts == {
        "manquant-birth-date": 1,
        "manquant-sex": 0,
        "manquant-legal-status": 0,
        "manquant-resources": 0,
        "manquant-prior-situation": 0,
        "invraisemblable": 1,
        "doublons": 1,
        "sans-sejour": 1,
        "sejour-hors-parc": 0,  # the unit is in stock today
        "vacance-longue": 1,
    }
    # Counted at the end of each month, from the dates of the facts.
    #      2024: jul aug sep oct nov dec 2025: jan feb mar apr may, today
    assert check(quality, "manquant-birth-date").trend == [0] * 8 + [1, 1, 1, 1]
    assert check(quality, "invraisemblable").trend == [0] * 10 + [1, 1]
    assert check(quality, "doublons").trend == [0] * 6 + [1] * 6
    # Never housed 90 days after its opening (1 August 2024): from the end of October.
    assert check(quality, "sans-sejour").trend == [0, 0, 0] + [1] * 9
    # The stay of 1 July 2024 in a unit captured on 1 October: July, August, September.
    assert check(quality, "sejour-hors-parc").trend == [1, 1, 1] + [0] * 9
    assert check(quality, "vacance-longue").trend == [0] * 10 + [1, 1]

    (missing,) = check(quality, "manquant-birth-date").lines
    assert missing.household == files["no_birth"]
    assert missing.url == files["no_birth"].get_absolute_url()  # members are edited there
    (implausible,) = check(quality, "invraisemblable").lines
    assert implausible.household == files["future"]
    assert "date de naissance postérieure à aujourd'hui" in implausible.problem
    (pair,) = check(quality, "doublons").lines
    assert pair.label in ("Aïcha Benali / BENALI Aicha", "BENALI Aicha / Aïcha Benali")
    assert files["first"].ref in pair.problem and files["second"].ref in pair.problem
    (never,) = check(quality, "sans-sejour").lines
    assert never.household == files["never"]
    assert check(quality, "sans-sejour").fix_url == reverse("households:list") + "?presence=never"
    (vacant,) = check(quality, "vacance-longue").lines
    assert vacant.label == "Logement L-VIDE"
    assert vacant.url == files["empty"].get_absolute_url()
    assert "vacant depuis le 01/04/2025 (75 jours)" == vacant.problem


def test_a_stay_out_of_the_stock_today_links_to_its_unit(org_a, files):
    files["late_unit"].returned_on = datetime.date(2025, 6, 1)
    files["late_unit"].save()
    (line,) = check(data_quality(org_a, DAY), "sejour-hors-parc").lines
    assert line.url == reverse("housing:edit", args=[files["late_unit"].uuid])
    assert "rendu le 01/06/2025" in line.problem


def test_likely_duplicates_need_the_same_birth_date_and_close_names(org_a):
    def person(first, last, born=datetime.date(1985, 1, 1)):
        return MembershipFactory(
            household=HouseholdFactory(organisation=org_a),
            person=PersonFactory(
                organisation=org_a, first_name=first, last_name=last, birth_date=born
            ),
        ).person

    kouassi = person("Jean", "Kouassi")
    person("Kouassi", "Jean")  # names swapped
    person("Jean-Marc", "Kouassi", born=datetime.date(1985, 1, 2))  # another day
    person("Pierre", "Martin")  # another name, same day
    pairs = likely_duplicate_pairs(org_a)
    assert [{a.first_name, b.first_name} for a, b, _ in pairs] == [{"Jean", "Kouassi"}]
    assert kouassi in pairs[0]


def test_the_page_is_the_managers_and_logs_the_files_it_lists(client, org_a, files):
    manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    client.force_login(manager)
    response = client.get(reverse("reports:data_quality"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Évolution sur 12 mois" in html
    assert "Doublons probables : 1" in html
    assert files["never"].get_absolute_url() in html
    assert files["no_birth"].get_absolute_url() in html
    logged = set(AccessLog.objects.filter(user=manager).values_list("object_uuid", flat=True))
    assert {files["no_birth"].uuid, files["never"].uuid, files["future"].uuid} <= logged

    client.force_login(UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    assert client.get(reverse("reports:data_quality")).status_code == 403


def test_the_page_does_not_query_once_per_file(client, org_a, files, django_assert_max_num_queries):
    client.force_login(UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER))
    url = reverse("reports:data_quality")
    with django_assert_max_num_queries(90) as few:
        client.get(url)
    for index in range(15):
        housed(org_a, person__birth_date=None, person__first_name=f"Nom{index}")
        housed(org_a, person__birth_date=datetime.date(2031, 1, index + 1))
        never = HouseholdFactory(organisation=org_a)
        created_on(never, datetime.date(2024, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Date de naissance non renseignée : 16" in response.content.decode()


def test_a_missing_status_or_resources_links_to_the_form_that_records_it(org_a):
    household = HouseholdFactory(organisation=org_a, prior_situation="")
    person = MembershipFactory(household=household).person
    StayFactory(household=household, entered_on=datetime.date(2024, 1, 1))
    quality = data_quality(org_a, DAY)
    (status,) = check(quality, "manquant-legal-status").lines
    assert status.url == reverse("households:add_legal_status", args=[household.uuid, person.uuid])
    assert status.problem == f"{person.full_name} : non renseigné"
    (resources,) = check(quality, "manquant-resources").lines
    assert resources.url == reverse("households:add_resources", args=[household.uuid])
    (prior,) = check(quality, "manquant-prior-situation").lines
    assert prior.url == reverse("households:edit", args=[household.uuid])
    assert check(quality, "manquant-resources").trend == [1] * 12
