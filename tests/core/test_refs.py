"""One reference format per kind: every record Seuil names itself — in the demo, a page,
the API or a service — gets its kind's prefix and eight hexadecimal digits (core.refs);
a reference an exchange file gives is kept as it is."""

import json

import pytest
from django.apps import apps
from django.urls import reverse

from seuil.core import refs
from seuil.core.models import Organisation
from seuil.exchange.importer import import_exchange
from seuil.households.models import Household, Person
from seuil.housing.models import Stay
from tests.core.factories import UserFactory
from tests.exchange.samples import rich

# Codes the operator chooses itself (an organisation, a programme, a sector, a landlord, a
# unit's own code): Seuil never names them.
NAMED_BY_THE_OPERATOR = {"Organisation", "Programme", "Sector", "Landlord"}


def models_with_refs():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("seuil.")
        and any(f.name == "ref" for f in model._meta.get_fields())
        and model.__name__ not in NAMED_BY_THE_OPERATOR
    ]


def test_every_kind_declares_its_own_prefix():
    prefixes = {}
    for model in models_with_refs():
        assert hasattr(model, "REF_PREFIX"), f"{model.__name__} n'a pas de REF_PREFIX"
        assert model.REF_PREFIX not in prefixes, (model, prefixes[model.REF_PREFIX])
        prefixes[model.REF_PREFIX] = model
    assert len(prefixes) >= 20


def test_new_and_seeded_refs_follow_the_one_format():
    made = refs.new_ref(Household)
    assert refs.FORMAT.match(made)["prefix"] == "M"
    assert made != refs.new_ref(Household)
    seeded = refs.seeded_ref(Person, 12)
    assert refs.FORMAT.match(seeded)["prefix"] == "P"
    assert seeded == refs.seeded_ref(Person, 12) != refs.seeded_ref(Person, 13)
    assert refs.seeded_ref(Stay, 12)[2:] != seeded[2:]


def test_every_record_of_the_demo_has_a_reference_of_its_kind(demo_loaded):
    checked = 0
    for model in models_with_refs():
        for ref in model.objects.values_list("ref", flat=True):
            found = refs.FORMAT.match(ref)
            if model.__name__ == "HousingUnit":
                continue  # the operator's own codes for its units
            assert found and found["prefix"] == model.REF_PREFIX, (model.__name__, ref)
            checked += 1
    assert Household.objects.count() > 50
    assert checked > 500


def test_a_household_created_in_the_page_gets_the_household_format(client, org_a):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    before = set(Household.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("households:create"),
        {
            "prior_situation": "street_or_115",
            "first_name": "Awa",
            "last_name": "Diallo",
            "sex": "F",
            "birth_date": "1990-04-12",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    household = Household.objects.exclude(pk__in=before).get()
    assert refs.FORMAT.match(household.ref)["prefix"] == "M"
    person = household.memberships.get().person
    assert refs.FORMAT.match(person.ref)["prefix"] == "P"


@pytest.mark.django_db
def test_an_imported_file_keeps_its_own_references():
    document = rich()
    import_exchange(json.loads(json.dumps(document)))
    organisation = Organisation.objects.get(ref=document["organisation"]["ref"])
    kept = Household.objects.filter(organisation=organisation).values_list("ref", flat=True)
    assert set(kept) == {h["ref"] for h in document["households"]}
    assert not any(refs.FORMAT.match(ref) for ref in kept)
