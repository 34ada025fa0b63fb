"""Contact details and languages are dated: a change adds a record, the one in force is
shown, the earlier ones stay in the history; phones are stored in one international form."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.models import AccessLog, ChangeRecord
from seuil.households.models import ContactDetails
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory

D = datetime.date


@pytest.fixture
def head(org_a):
    return MembershipFactory(
        household__organisation=org_a, person__first_name="Awa", person__last_name="Diallo"
    )


def form_url(head):
    return reverse("households:add_contact_details", args=[head.household.uuid, head.person.uuid])


def detail(client, head):
    return client.get(reverse("households:detail", args=[head.household.uuid])).content.decode()


FIRST = {
    "since": "2024-03-01",
    "phone": "06.12.34.56.78",
    "other_phone": "",
    "email": "awa.diallo@exemple.FR",
    "postal_address": "Domiciliation CCAS\n1 place de la Mairie\n80000 Amiens",
    "languages": ["wo", "fr"],
    "interpreter_needed": "on",
}


def test_a_change_of_phone_adds_a_record_and_keeps_the_history(client_a, head, today):
    assert client_a.post(form_url(head), FIRST).status_code == 302
    first = ContactDetails.objects.get()
    assert first.phones == ["+33612345678"]
    assert first.phone_digits == " 33612345678 "
    assert first.email == "awa.diallo@exemple.fr"
    assert first.languages == ["wo", "fr"]
    page = detail(client_a, head)
    assert "06 12 34 56 78" in page and "français, wolof" in page
    assert "Nécessaire" in page and "Domiciliation CCAS<br>1 place de la Mairie" in page

    # The form starts from the details in force; she changed her number on 1 June.
    form = client_a.get(form_url(head)).context["form"]
    assert form.initial["phone"] == "06 12 34 56 78" and form.initial["languages"] == ["wo", "fr"]
    moved = {
        **FIRST,
        "since": "2025-06-01",
        "phone": "+33 7 11 22 33 44",
        "other_phone": "0322 00 11 22",
    }
    assert client_a.post(form_url(head), moved).status_code == 302
    current = head.person.contact_details_on(today)
    assert current.phones == ["+33711223344", "+33322001122"]
    assert ContactDetails.objects.count() == 2
    assert list(ContactDetails.objects.current_on(today)) == [current]
    assert list(ContactDetails.objects.current_on(D(2025, 1, 1))) == [first]
    page = detail(client_a, head)
    current_part, history_part = page.split("Coordonnées précédentes ou à venir")
    assert "07 11 22 33 44, 03 22 00 11 22" in current_part.split("Statuts administratifs")[0]
    assert "06 12 34 56 78" in history_part.split("Statuts administratifs")[0]
    # Each record is in the household's history.
    records = ChangeRecord.objects.filter(object_type="contactdetails")
    assert records.count() == 2
    assert set(records.values_list("household_uuid", flat=True)) == {head.household.uuid}


def test_the_same_day_twice_is_refused_in_french(client_a, head):
    client_a.post(form_url(head), FIRST)
    response = client_a.post(form_url(head), {**FIRST, "phone": "0711223344"})
    assert response.status_code == 200
    assert "Des coordonnées sont déjà enregistrées à cette date." in response.content.decode()
    assert ContactDetails.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "06 12 34", "Un numéro français a 10 chiffres"),
        ("other_phone", "+33 6", "Après +33, un numéro a 9 chiffres"),
        ("email", "awa@", "Saisissez une adresse e-mail valide"),
        ("languages", ["xx"], "Sélectionnez un choix valide"),
    ],
)
def test_a_wrong_value_is_refused_on_its_field(client_a, head, field, value, message):
    response = client_a.post(form_url(head), {**FIRST, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ContactDetails.objects.exists()


def test_those_who_see_the_household_see_them_and_only_its_organisation_changes_them(
    client, head, org_a, member_b
):
    client.force_login(UserFactory(organisation=org_a, role="service_manager"))
    client.post(form_url(head), FIRST)
    reader = UserFactory(organisation=org_a, tenancy_officer=True)  # reads, does not change
    client.force_login(reader)
    page = detail(client, head)
    assert "06 12 34 56 78" in page and "Modifier les coordonnées" not in page
    assert client.get(form_url(head)).status_code == 403
    client.force_login(member_b)
    assert client.get(reverse("households:detail", args=[head.household.uuid])).status_code == 404
    assert client.get(form_url(head)).status_code == 404
    assert client.post(form_url(head), FIRST).status_code == 404
    assert ContactDetails.objects.count() == 1


# ---- API v1 ------------------------------------------------------------------------------


def test_the_api_adds_and_shows_dated_contact_details(head, member_a):
    from tests.api.conftest import token_client

    api = token_client(member_a)
    url = f"/api/v1/persons/{head.person.uuid}/contact-details/"
    response = api.post(
        url,
        {
            "since": "2024-03-01",
            "phones": ["06 12 34 56 78"],
            "languages": ["ar", "fr"],
            "interpreter_needed": True,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["phones"] == ["+33612345678"]
    response = api.post(url, {"since": "2024-04-01", "phones": ["12"]})
    assert response.status_code == 400
    assert "Un numéro français a 10 chiffres" in response.json()["phones"][0]
    response = api.post(url, {"since": "2024-04-01", "languages": ["klingon"]})
    assert response.status_code == 400
    person = api.get(f"/api/v1/persons/{head.person.uuid}/").json()
    assert [c["since"] for c in person["contact_details"]] == ["2024-03-01"]
    household = api.get(f"/api/v1/households/{head.household.uuid}/").json()
    assert household["members"][0]["contact_details"][0]["languages"] == ["ar", "fr"]
    assert AccessLog.objects.filter(object_uuid=head.person.uuid, action="change").exists()
