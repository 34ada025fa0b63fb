"""Each form writes the right rows through the services, or refuses in French and saves
nothing."""

import datetime

import pytest
from django.urls import reverse

from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from tests.households.factories import MembershipFactory


@pytest.fixture
def head(org_a):
    return MembershipFactory(
        household__organisation=org_a,
        household__prior_situation="street_or_115",
        person__first_name="Aïcha",
        person__last_name="N'Diaye",
    )


@pytest.fixture
def household(head):
    return head.household


def detail_url(household):
    return reverse("households:detail", args=[household.uuid])


def errors_of(response):
    return list(response.context["form"].non_field_errors())


# ---- create -----------------------------------------------------------------------------


CREATE = {
    "first_name": "Élodie",
    "last_name": "Lefèvre-d'Arc",
    "sex": "F",
    "birth_date": "1990-07-14",
    "legal_status": "subsidiary_protection",
    "legal_status_since": "2023-03-15",
    "prior_situation": "specialised_shelter",
}


def test_create_form_shows_date_inputs_and_french_labels(client_a):
    response = client_a.get(reverse("households:create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="date"' in html
    assert "Situation avant l&#x27;accueil" in html
    assert "Hébergement spécialisé (CADA, HUDA, CAO, CPH…)" in html
    assert '<label for="id_first_name">' in html


def test_creating_a_household_creates_its_head_and_legal_status(client_a, org_a):
    response = client_a.post(reverse("households:create"), CREATE, follow=True)
    household = Household.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(household)
    assert "Le ménage a été créé." in response.content.decode()
    assert household.organisation == org_a
    assert household.prior_situation == "specialised_shelter"
    head = household.memberships.get()
    assert head.role == "head"
    assert head.person.last_name == "Lefèvre-d'Arc"
    assert head.person.birth_date == datetime.date(1990, 7, 14)
    status = LegalStatusRecord.objects.get()
    assert (status.person, status.status, status.since) == (
        head.person,
        "subsidiary_protection",
        datetime.date(2023, 3, 15),
    )


def test_creating_a_household_without_status_date_is_refused_in_french(client_a):
    response = client_a.post(reverse("households:create"), {**CREATE, "legal_status_since": ""})
    assert response.status_code == 200
    assert "Indiquez depuis quand la personne a ce statut." in response.content.decode()
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_creating_a_household_with_a_missing_name_is_refused(client_a):
    response = client_a.post(reverse("households:create"), {**CREATE, "last_name": ""})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Household.objects.exists()


# ---- edit household -----------------------------------------------------------------------


def test_editing_a_household_changes_its_prior_situation(client_a, household):
    response = client_a.get(reverse("households:edit", args=[household.uuid]))
    assert 'value="street_or_115" selected' in response.content.decode()
    response = client_a.post(
        reverse("households:edit", args=[household.uuid]),
        {"prior_situation": "hosted_by_third_party"},
        follow=True,
    )
    assert "Le ménage a été modifié." in response.content.decode()
    household.refresh_from_db()
    assert household.prior_situation == "hosted_by_third_party"


# ---- members ------------------------------------------------------------------------------


MEMBER = {
    "first_name": "Noé",
    "last_name": "N'Diaye",
    "sex": "M",
    "birth_date": "2024-02-29",
    "role": "child",
    "joined_on": "2024-02-29",
    "joined_reason": "birth",
}


def test_adding_a_member_creates_the_person_and_the_membership(client_a, household):
    response = client_a.post(
        reverse("households:add_member", args=[household.uuid]), MEMBER, follow=True
    )
    assert "Noé N&#x27;Diaye fait maintenant partie du ménage." in response.content.decode()
    child = household.memberships.get(role="child")
    assert child.person.first_name == "Noé"
    assert child.joined_on == datetime.date(2024, 2, 29)
    assert child.joined_reason == "birth"
    assert child.person.organisation == household.organisation


def test_adding_a_second_head_is_refused_and_saves_nothing(client_a, household):
    response = client_a.post(
        reverse("households:add_member", args=[household.uuid]), {**MEMBER, "role": "head"}
    )
    assert response.status_code == 200
    # The service's refusal lands on the field it concerns, linked from the error summary.
    assert response.context["form"].errors == {
        "role": ["Le ménage a déjà une personne de référence."]
    }
    html = response.content.decode()
    assert "<title>Erreur : " in html
    assert (
        '<a href="#id_role">Rôle dans le ménage : Le ménage a déjà une personne de référence.</a>'
        in html
    )
    assert household.memberships.count() == 1
    assert Person.objects.count() == 1


def test_editing_a_member_records_the_departure(client_a, household):
    partner = MembershipFactory(
        household=household, role="partner", person__first_name="Moussa", joined_on=None
    )
    url = reverse("households:edit_member", args=[household.uuid, partner.uuid])
    assert 'value="Moussa"' in client_a.get(url).content.decode()
    response = client_a.post(
        url,
        {
            "first_name": "Moussa",
            "last_name": "Traoré",
            "sex": "M",
            "birth_date": "",
            "role": "partner",
            "joined_on": "2022-05-01",
            "joined_reason": "family_reunification",
            "left_on": "2023-09-30",
        },
        follow=True,
    )
    assert "Les informations de Moussa Traoré ont été modifiées." in response.content.decode()
    partner.refresh_from_db()
    partner.person.refresh_from_db()
    assert partner.left_on == datetime.date(2023, 9, 30)
    assert partner.person.last_name == "Traoré"
    assert partner.person.birth_date is None


def test_departure_before_arrival_is_refused_and_saves_nothing(client_a, household):
    partner = MembershipFactory(household=household, role="partner", person__last_name="Traoré")
    response = client_a.post(
        reverse("households:edit_member", args=[household.uuid, partner.uuid]),
        {
            "first_name": "Moussa",
            "last_name": "Kaboré",
            "sex": "M",
            "role": "partner",
            "joined_on": "2023-05-01",
            "left_on": "2023-04-30",
        },
    )
    assert response.context["form"].errors == {
        "left_on": ["Le départ du ménage ne peut précéder l'arrivée."]
    }
    partner.refresh_from_db()
    partner.person.refresh_from_db()
    assert partner.left_on is None
    assert partner.person.last_name == "Traoré"


def test_making_a_second_member_head_is_refused(client_a, household):
    partner = MembershipFactory(household=household, role="partner", person__first_name="Moussa")
    response = client_a.post(
        reverse("households:edit_member", args=[household.uuid, partner.uuid]),
        {"first_name": "Moussa", "last_name": "Traoré", "sex": "M", "role": "head"},
    )
    assert "Le ménage a déjà une personne de référence (Aïcha N&#x27;Diaye)." in (
        response.content.decode()
    )
    partner.refresh_from_db()
    assert partner.role == "partner"


def test_a_member_of_another_household_cannot_be_edited_through_this_one(
    client_a, household, org_a
):
    stranger = MembershipFactory(household__organisation=org_a)
    response = client_a.get(reverse("households:edit_member", args=[household.uuid, stranger.uuid]))
    assert response.status_code == 404


# ---- legal status -------------------------------------------------------------------------


def test_adding_a_legal_status_keeps_the_history(client_a, household, head):
    url = reverse("households:add_legal_status", args=[household.uuid, head.person.uuid])
    client_a.post(url, {"status": "asylum_seeker", "since": "2020-02-03"})
    response = client_a.post(url, {"status": "refugee", "since": "2021-06-01"}, follow=True)
    assert "Le statut administratif d&#x27;Aïcha N&#x27;Diaye a été enregistré." in (
        response.content.decode()
    )
    assert list(head.person.legal_status_records.values_list("status", flat=True)) == [
        "asylum_seeker",
        "refugee",
    ]


def test_two_legal_statuses_on_the_same_day_are_refused(client_a, household, head):
    url = reverse("households:add_legal_status", args=[household.uuid, head.person.uuid])
    client_a.post(url, {"status": "asylum_seeker", "since": "2020-02-03"})
    response = client_a.post(url, {"status": "refugee", "since": "2020-02-03"})
    assert errors_of(response) == ["Un statut est déjà enregistré à cette date."]
    assert LegalStatusRecord.objects.count() == 1


def test_legal_status_of_a_person_outside_the_household_is_not_found(client_a, household, org_a):
    other = MembershipFactory(household__organisation=org_a)
    url = reverse("households:add_legal_status", args=[household.uuid, other.person.uuid])
    assert client_a.get(url).status_code == 404


# ---- resources ----------------------------------------------------------------------------


def test_resources_form_is_a_labelled_checkbox_list(client_a, household):
    html = client_a.get(reverse("households:add_resources", args=[household.uuid])).content
    html = html.decode()
    assert "<legend>Ressources du ménage" in html
    assert 'type="checkbox" name="types" value="activity_bonus"' in html
    assert "Prime d&#x27;activité" in html


def test_adding_resources_records_the_set_of_types(client_a, household):
    response = client_a.post(
        reverse("households:add_resources", args=[household.uuid]),
        {"on": "2024-01-01", "types": ["salary", "activity_bonus"]},
        follow=True,
    )
    assert "Les ressources du ménage ont été enregistrées." in response.content.decode()
    record = ResourceRecord.objects.get()
    assert record.household == household
    assert record.types == ["activity_bonus", "salary"]


def test_no_resources_combined_with_others_is_refused(client_a, household):
    response = client_a.post(
        reverse("households:add_resources", args=[household.uuid]),
        {"on": "2024-01-01", "types": ["none", "rsa"]},
    )
    assert errors_of(response) == [
        "« Aucune ressource » ne se combine pas avec d'autres ressources."
    ]
    assert not ResourceRecord.objects.exists()


def test_resources_without_any_type_are_refused(client_a, household):
    response = client_a.post(
        reverse("households:add_resources", args=[household.uuid]), {"on": "2024-01-01"}
    )
    assert "Cochez au moins une ressource, ou « Aucune ressource »." in (response.content.decode())
    assert not ResourceRecord.objects.exists()
    assert Membership.objects.count() == 1


# ---- plausible dates and text (seuil.core.plausibility) ------------------------------------


def test_a_child_born_in_2031_or_a_status_since_2035_is_refused_in_french(client_a, today):
    response = client_a.post(
        reverse("households:create"),
        {**CREATE, "birth_date": "2031-01-01", "legal_status_since": "2035-01-01"},
    )
    errors = response.context["form"].errors
    assert errors["birth_date"] == ["Date de naissance postérieure à aujourd'hui."]
    assert errors["legal_status_since"] == [
        "Date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)."
    ]
    assert not Household.objects.exists()


def test_a_name_with_a_control_character_or_resources_in_year_1_are_refused(client_a, household):
    response = client_a.post(reverse("households:create"), {**CREATE, "last_name": "Nom\x07"})
    assert response.context["form"].errors["last_name"] == [
        "Caractère de contrôle interdit (U+0007)."
    ]
    url = reverse("households:add_resources", args=[household.uuid])
    response = client_a.post(url, {"on": "0001-01-01", "types": ["rsa"]})
    assert response.context["form"].errors["on"] == ["Date antérieure au 01/01/1900."]
    assert Household.objects.count() == 1
    assert not ResourceRecord.objects.exists()
