"""The search (`/recherche/`): names whatever their accents, case, order and small typos,
references, birth dates and years; only what the user may see; recorded in the access log,
the query never in an address."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import AccessLog
from seuil.households.models import Household, Person
from seuil.households.names import fold, name_words, names_score, search_name
from seuil.households.search import Query
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.factories import HousingUnitFactory
from tests.orientation.factories import RequestFactory

URL = reverse("search")

pytestmark = pytest.mark.usefixtures("today")


def member(org, first, last, *, born=None, role="head", household=None, ref=None):
    person = PersonFactory(organisation=org, first_name=first, last_name=last, birth_date=born)
    if ref:
        person.ref = ref
        person.save()
    household = household or HouseholdFactory(organisation=org)
    MembershipFactory(household=household, person=person, role=role)
    return person


@pytest.fixture
def worker(org_a):
    return UserFactory(organisation=org_a, social_worker=True)


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


def search(client, text):
    """Send `text` as the header's box does; the page of results it leads to."""
    response = client.post(URL, {"q": text})
    assert response.status_code == 302
    return client.get(response.url)


def found(response, kind="persons"):
    group = next(g for g in response.context["groups"] if g.kind.code == kind)
    return [r.title for r in group.results]


# ---- the rules, on names alone ----------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöûüùçœ"
NAME = st.text(alphabet=LETTERS, min_size=2, max_size=12).filter(lambda n: name_words(n))
REAL_NAMES = [
    "Dupont",
    "Lefèvre",
    "Mohamed",
    "Nguyen",
    "Bernard",
    "Rousseau",
    "Fontaine",
    "Chevalier",
    "Kaboré",
    "Boucher",
    "Ndiaye",
    "Mercier",
    "Gauthier",
    "Hélène",
    "Sébastien",
    "Clémentine",
]


@given(first=NAME, last=NAME, swap=st.booleans(), upper=st.booleans())
@settings(max_examples=200, deadline=None)
def test_accents_case_and_order_do_not_matter(first, last, swap, upper):
    typed = f"{last} {first}" if swap else f"{first} {last}"
    typed = fold(typed) if not upper else fold(typed).upper()
    query = Query.parse(typed)
    assert names_score(query.words, search_name(first, last).split()) > 0


@given(
    name=st.sampled_from(REAL_NAMES),
    edit=st.sampled_from(["double", "drop", "replace"]),
    where=st.integers(min_value=1),
    letter=st.sampled_from("aeioustr"),
)
@example(name="Dupont", edit="replace", where=5, letter="d")
@settings(max_examples=300, deadline=None)
def test_one_typo_in_a_name_of_six_letters_or_more_is_still_found(name, edit, where, letter):
    word = name_words(name)[0]
    i = 1 + where % (len(word) - 1)  # never the first letter
    typo = {
        "double": word[:i] + word[i] + word[i:],
        "drop": word[:i] + word[i + 1 :],
        "replace": word[:i] + letter + word[i + 1 :],
    }[edit]
    assert names_score([typo], search_name("Marie", name).split()) > 0


def test_a_different_name_is_not_a_close_spelling():
    assert names_score(["dupont"], search_name("Marie", "Martin").split()) == 0
    assert names_score(["marie", "dupont"], search_name("Marie", "Durand").split()) == 0


def test_the_query_says_dates_years_phones_and_references():
    query = Query.parse("Dupont 12/03/1985 1990 06 12 34 56 78 M-1A2B3C4D", today=TODAY_)
    assert query.words == ("dupont",)
    assert query.dates == (datetime.date(1985, 3, 12),)
    assert query.years == (1990,)
    assert query.phones == ("33612345678",)
    assert "M-1A2B3C4D" in query.tokens
    assert Query.parse("+33 6 12 34 56 78").phones == ("33612345678",)
    assert Query.parse("06 92 12 34 56").phones == ("262692123456",)  # La Réunion
    assert Query.parse("1985-03-12").dates == (datetime.date(1985, 3, 12),)
    assert Query.parse("31/02/1985").dates == ()
    assert Query.parse("2999").years == ()


TODAY_ = datetime.date(2025, 6, 1)


# ---- the page ---------------------------------------------------------------------------


def test_names_are_found_whatever_the_accents_case_order_and_typos(worker_client, org_a):
    member(org_a, "Hélène", "Lefèvre", born=datetime.date(1980, 5, 2))
    member(org_a, "Aïcha", "N'Diaye")
    member(org_a, "Marie", "Martin")
    for typed in ("helene lefevre", "LEFEVRE Hélène", "lefebvre", "helen lefevr", "Lefèvre"):
        assert found(search(worker_client, typed)) == ["LEFÈVRE Hélène"], typed
    assert found(search(worker_client, "aicha ndiaye")) == ["N'DIAYE Aïcha"]
    assert found(search(worker_client, "diaye")) == ["N'DIAYE Aïcha"]
    assert found(search(worker_client, "zoé kaboré")) == []


def test_a_phone_number_finds_its_person_however_it_is_typed(worker_client, org_a, worker):
    from seuil.households.services import record_contact_details

    awa = member(org_a, "Awa", "Diallo")
    member(org_a, "Binta", "Diallo")
    record_contact_details(
        awa, acting_user=worker, since=datetime.date(2024, 1, 1), phones=["06 12 34 56 78"]
    )
    for typed in ("0612345678", "06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678"):
        assert found(search(worker_client, typed)) == ["DIALLO Awa"], typed
    assert found(search(worker_client, "06 98 76 54 32")) == []


def test_birth_date_and_year_narrow_or_find_alone(worker_client, org_a):
    member(org_a, "Marie", "Dupont", born=datetime.date(1985, 3, 12))
    member(org_a, "Marie", "Dupond", born=datetime.date(1990, 7, 1))
    assert found(search(worker_client, "dupont 12/03/1985")) == ["DUPONT Marie"]
    assert found(search(worker_client, "marie dupont 1990")) == ["DUPOND Marie"]
    assert found(search(worker_client, "1985-03-12")) == ["DUPONT Marie"]
    # Both, the exact spelling first.
    assert found(search(worker_client, "dupont")) == ["DUPONT Marie", "DUPOND Marie"]


def test_references_of_households_persons_units_and_requests(client, org_a, today):
    org_a.kind = OrganisationKind.SIAO
    org_a.save()
    person = member(org_a, "Zoé", "Kaboré", ref="P-REF0001")
    household = person.memberships.get().household
    unit = HousingUnitFactory(organisation=org_a, ref="L-ROSES", address="3 rue de l'Église")
    request = RequestFactory(household=household, siao=org_a, ref="D-000777")
    client.force_login(UserFactory(organisation=org_a, role=Role.SIAO_COORDINATOR))
    assert found(search(client, household.ref), "households") == ["Ménage KABORÉ Zoé"]
    assert found(search(client, "p-ref0001")) == ["KABORÉ Zoé"]
    assert found(search(client, "L-ROSES"), "units") == ["Logement L-ROSES"]
    assert found(search(client, "rue eglise"), "units") == ["Logement L-ROSES"]
    assert found(search(client, "D-000777"), "requests") == ["Demande D-000777 – KABORÉ Zoé"]
    # A name finds the household's requests too, each result a link.
    response = search(client, "kabore")
    assert found(response, "requests") == ["Demande D-000777 – KABORÉ Zoé"]
    html = response.content.decode()
    assert reverse("orientation:request_detail", args=[request.uuid]) in html
    assert household.get_absolute_url() in html
    assert unit.get_absolute_url() not in html


def test_another_organisations_household_never_appears(worker_client, org_a, org_b):
    member(org_a, "Marie", "Dupont")
    member(org_b, "Marie", "Dupont", ref="P-AUTRE")
    stranger = HouseholdFactory(organisation=org_b, ref="M-AUTRE")
    response = search(worker_client, "marie dupont")
    assert len(found(response)) == 1 and len(found(response, "households")) == 1
    assert found(search(worker_client, "M-AUTRE"), "households") == []
    assert found(search(worker_client, "P-AUTRE")) == []
    assert stranger.get_absolute_url() not in search(worker_client, "M-AUTRE").content.decode()


def test_a_linked_household_appears_and_no_longer_once_the_link_ends(client, org_a, org_b, today):
    """Organisation B, a SIAO, receives a request for A's household: its evaluator finds
    the household (scope linked); withdrawn long ago, the request links no more."""
    person = member(org_a, "Zénobie", "Lien")
    household = person.memberships.get().household
    org_b.kind = OrganisationKind.SIAO
    org_b.save()
    request = RequestFactory(household=household, siao=org_b, received_on=today)
    client.force_login(UserFactory(organisation=org_b, role=Role.SIAO_EVALUATOR))
    response = search(client, "zenobie lien")
    assert found(response) == ["LIEN Zénobie"]
    assert found(response, "households") == ["Ménage LIEN Zénobie"]
    assert found(response, "requests") == [f"Demande {request.ref} – LIEN Zénobie"]
    # The parts the search reads are what visible_to gives, for households and persons.
    evaluator = response.wsgi_request.user
    for model in (Household, Person):
        parts = model.objects.visible_parts(evaluator)
        union = {pk for part in parts for pk in part.values_list("pk", flat=True)}
        assert union == set(model.objects.visible_to(evaluator).values_list("pk", flat=True))
    # Another organisation's user, linked by nothing: nothing.
    elsewhere = HouseholdFactory().organisation
    client.force_login(UserFactory(organisation=elsewhere, social_worker=True))
    assert found(search(client, "zenobie lien")) == []


def test_every_search_is_in_the_access_log_and_its_text_never_in_an_address(
    worker_client, worker, org_a
):
    person = member(org_a, "Marie", "Dupont")
    household = person.memberships.get().household
    before = AccessLog.objects.count()
    response = worker_client.post(URL, {"q": "Marie Dupont"})
    assert "dupont" not in response.url.lower() and "marie" not in response.url.lower()
    page = worker_client.get(response.url)
    assert found(page) == ["DUPONT Marie"]
    rows = AccessLog.objects.order_by("pk")[before:]
    assert {(r.object_type, r.object_uuid, r.user_id) for r in rows} == {
        ("household", household.uuid, worker.pk),
        ("person", person.uuid, worker.pk),
    }
    # The box is filled again with the query; the same address shows the same results.
    assert 'value="Marie Dupont"' in page.content.decode()
    assert found(worker_client.get(response.url)) == ["DUPONT Marie"]


def test_a_search_of_another_session_is_not_shown(worker_client, client, org_a, worker):
    member(org_a, "Marie", "Dupont")
    response = worker_client.post(URL, {"q": "dupont"})
    other = UserFactory(organisation=org_a, social_worker=True)
    from django.test import Client

    stranger = Client()
    stranger.force_login(other)
    page = stranger.get(response.url)
    assert page.status_code == 200 and page.context["groups"] == []
    assert "plus disponible" in page.content.decode()


def test_the_header_has_a_search_box_for_those_who_may_search(client, org_a, worker):
    client.force_login(worker)
    assert 'id="site-search-q"' in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(organisation=org_a, role=Role.STATE))
    assert 'id="site-search-q"' not in client.get(reverse("home")).content.decode()
    assert client.get(URL).status_code == 200


def test_search_name_follows_every_write(org_a):
    person = member(org_a, "Élodie", "Lefèvre")
    assert person.search_name == "lefevre elodie"
    person.last_name = "De La Fontaine"
    person.save(update_fields=["last_name"])
    person.refresh_from_db()
    assert person.search_name == "de la fontaine elodie"
    person.first_name = "Zoé"
    Person.objects.bulk_update([person], ["first_name"])
    person.refresh_from_db()
    assert person.search_name == "de la fontaine zoe"
    with pytest.raises(TypeError):
        Person.objects.filter(pk=person.pk).update(first_name="Léa")
