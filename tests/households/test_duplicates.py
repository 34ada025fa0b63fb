"""Likely duplicates: shown before a household or a person is created (with links, the user
confirms to create anyway), reported by the import as warnings in French."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from seuil.core.models import AccessLog
from seuil.households.duplicates import (
    SAME_BIRTH_DATE,
    SAME_NAME_SAME_YEAR,
    SAME_NAME_UNKNOWN_BIRTH,
    Identity,
    find_likely_duplicates,
    likely_duplicates,
    why_duplicate,
)
from seuil.households.models import Household, Person
from seuil.households.names import name_words
from tests.core.factories import UserFactory
from tests.exchange.samples import minimal
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory

BORN = datetime.date(1985, 3, 12)
CREATE = {
    "first_name": "Marie",
    "last_name": "Dupond",
    "sex": "F",
    "birth_date": "1985-03-12",
    "prior_situation": "street_or_115",
}


def existing(org, first="Marie", last="Dupont", born=BORN):
    person = PersonFactory(organisation=org, first_name=first, last_name=last, birth_date=born)
    MembershipFactory(household=HouseholdFactory(organisation=org), person=person, role="head")
    return person


def words(first, last):
    return [*name_words(last), *name_words(first)]


# ---- the rule ---------------------------------------------------------------------------


def test_the_three_reasons_and_what_is_not_a_duplicate():
    marie = words("Marie", "Dupont")
    assert why_duplicate(marie, BORN, words("Marie", "Dupond"), BORN) == SAME_BIRTH_DATE
    assert why_duplicate(marie, BORN, words("DUPONT", "marie"), BORN) == SAME_BIRTH_DATE
    other_day = datetime.date(1985, 11, 2)
    assert why_duplicate(marie, BORN, words("Marie", "Dupont"), other_day) == SAME_NAME_SAME_YEAR
    assert why_duplicate(marie, None, words("Marie", "Dupont"), BORN) == SAME_NAME_UNKNOWN_BIRTH
    # Same birth date, another name; same name, another year: two persons.
    assert why_duplicate(marie, BORN, words("Fatou", "Diallo"), BORN) is None
    assert why_duplicate(marie, BORN, words("Marie", "Dupont"), datetime.date(1990, 3, 12)) is None
    assert why_duplicate(marie, BORN, words("Marie", "Dupond"), other_day) is None


@given(
    first=st.sampled_from(["Marie", "Aïcha", "Jean-Pierre", "Noé", "Élodie"]),
    last=st.sampled_from(["Dupont", "N'Diaye", "Lefèvre", "Kaboré", "Nguyen"]),
    swap=st.booleans(),
    upper=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_the_same_person_typed_otherwise_is_a_likely_duplicate(first, last, swap, upper):
    typed_first, typed_last = (last, first) if swap else (first, last)
    if upper:
        typed_first, typed_last = typed_first.upper(), typed_last.upper()
    assert why_duplicate(words(first, last), BORN, words(typed_first, typed_last), BORN)


def test_the_import_compares_by_blocks_new_persons_with_recorded_ones_and_each_other():
    recorded = [Identity("P1", "Marie", "Dupont", BORN), Identity("P2", "Fatou", "Diallo", None)]
    new = [
        Identity("N1", "marie", "DUPOND", BORN),
        Identity("N2", "Fatou", "Diallo", datetime.date(2001, 1, 1)),
        Identity("N3", "Zoé", "Kaboré", BORN),
        Identity("N4", "Zoe", "Kabore", datetime.date(1985, 6, 6)),
    ]
    pairs = {(a.key, b.key, why) for a, b, why in find_likely_duplicates(new, recorded)}
    assert pairs == {
        ("N1", "P1", SAME_BIRTH_DATE),
        ("N2", "P2", SAME_NAME_UNKNOWN_BIRTH),
        ("N4", "N3", SAME_NAME_SAME_YEAR),
    }


# ---- in the user's scope ----------------------------------------------------------------


def test_likely_duplicates_stay_in_the_users_scope(org_a, org_b):
    mine = existing(org_a)
    existing(org_b)
    user = UserFactory(organisation=org_a, social_worker=True)
    found = likely_duplicates(user, first_name="Marie", last_name="Dupond", birth_date=BORN)
    assert [(d.person, d.reason) for d in found] == [(mine, SAME_BIRTH_DATE)]
    assert (
        likely_duplicates(
            user, first_name="Marie", last_name="Dupond", birth_date=BORN, exclude=[mine.pk]
        )
        == []
    )


# ---- the forms --------------------------------------------------------------------------


@pytest.fixture
def worker_client(client, org_a):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    return client


def test_creating_a_household_shows_its_likely_duplicates_before_saving(worker_client, org_a):
    twin = existing(org_a)
    url = reverse("households:create")
    before = AccessLog.objects.filter(object_type="person").count()
    response = worker_client.post(url, CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette personne est peut-être déjà enregistrée" in html
    assert twin.memberships.get().household.get_absolute_url() in html
    assert "même date de naissance, nom proche" in html
    assert "Créer le ménage quand même" in html
    assert Household.objects.count() == 1  # nothing created yet
    # Showing them is reading them.
    assert AccessLog.objects.filter(object_type="person").count() == before + 1
    # Sent again as shown: created.
    seen = response.context["form"]["duplicates_seen"].value()
    response = worker_client.post(url, {**CREATE, "duplicates_seen": seen}, follow=True)
    assert "Le ménage a été créé." in response.content.decode()
    assert Person.objects.filter(last_name="Dupond").count() == 1


def test_changing_the_name_after_the_warning_asks_again(worker_client, org_a):
    existing(org_a)
    existing(org_a, first="Fatou", last="Diallo")
    url = reverse("households:create")
    seen = worker_client.post(url, CREATE).context["form"]["duplicates_seen"].value()
    changed = {**CREATE, "first_name": "Fatou", "last_name": "Diallo", "duplicates_seen": seen}
    response = worker_client.post(url, changed)
    assert "Cette personne est peut-être déjà enregistrée" in response.content.decode()
    assert not Person.objects.filter(last_name="Diallo").exclude(memberships__role="head").exists()
    assert Person.objects.filter(last_name="Diallo").count() == 1


def test_no_warning_without_a_likely_duplicate_nor_for_another_organisation(worker_client, org_b):
    existing(org_b)
    response = worker_client.post(reverse("households:create"), CREATE, follow=True)
    assert "Le ménage a été créé." in response.content.decode()


def test_adding_a_member_shows_its_likely_duplicates_too(worker_client, org_a):
    twin = existing(org_a, first="Noé", last="Kaboré", born=datetime.date(2024, 2, 29))
    household = HouseholdFactory(organisation=org_a)
    url = reverse("households:add_member", args=[household.uuid])
    member = {
        "first_name": "Noe",
        "last_name": "KABORE",
        "sex": "M",
        "birth_date": "2024-02-29",
        "role": "child",
    }
    response = worker_client.post(url, member)
    assert "Cette personne est peut-être déjà enregistrée" in response.content.decode()
    assert twin.memberships.get().household.get_absolute_url() in response.content.decode()
    assert not household.memberships.exists()
    seen = response.context["form"]["duplicates_seen"].value()
    response = worker_client.post(url, {**member, "duplicates_seen": seen}, follow=True)
    assert household.memberships.count() == 1


# ---- the import -------------------------------------------------------------------------


def test_the_import_reports_likely_duplicates_as_warnings_in_french(tmp_path, db):
    document = minimal()
    document["households"] = [
        {
            "ref": "M1",
            "members": [
                {
                    "ref": "P1",
                    "role": "head",
                    "first_name": "Marie",
                    "last_name": "Dupont",
                    "birth_date": "1985-03-12",
                },
            ],
        }
    ]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("import", str(path), stdout=io.StringIO())
    document["households"].append(
        {
            "ref": "M2",
            "members": [
                {
                    "ref": "P2",
                    "role": "head",
                    "first_name": "marie",
                    "last_name": "DUPOND",
                    "birth_date": "1985-03-12",
                },
            ],
        }
    )
    path.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    text = out.getvalue()
    assert "Import réussi" in text
    assert "À vérifier (1 avertissement) :" in text
    assert (
        "households[1].members[0] : doublon probable : la nouvelle personne « P2 » ressemble "
        "à la personne « P1 » déjà enregistrée (même date de naissance, nom proche)"
    ) in text
    assert "Dupond" not in text and "DUPOND" not in text  # references, never names
    assert Person.objects.filter(ref="P2").exists()
    # Imported again: P2 is no longer new, nothing to check.
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    assert "À vérifier" not in out.getvalue()
