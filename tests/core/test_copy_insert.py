"""`bulk_create(objs, by_copy=True)` (an import's new rows, by COPY on PostgreSQL) writes
the rows Django's `bulk_create` writes: defaults, dates set on creation, encrypted text,
the database's defaults, and what the models' querysets add (a person's search name, a
household's list state)."""

import datetime

import pytest
from django.db import connection

from seuil.households.models import Household, Membership, Person
from tests.core.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

IGNORED = {"id", "uuid", "ref", "created_at", "updated_at", "household", "person"}


def _rows(model, refs):
    fields = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED]
    return sorted(model._base_manager.filter(**refs).values_list(*fields))


def _write(organisation, prefix, by_copy):
    kwargs = {"by_copy": True} if by_copy else {}
    households = [
        Household(organisation=organisation, ref=f"{prefix}M{i}", social_note=note)
        for i, note in enumerate(["", "Besoin d'un logement adapté"])
    ]
    Household.objects.bulk_create(households, **kwargs)
    persons = [
        Person(organisation=organisation, ref=f"{prefix}P{i}", first_name="Aïcha", last_name=name)
        for i, name in enumerate(["N'Diaye", "Öztürk"])
    ]
    Person.objects.bulk_create(persons, **kwargs)
    household_ids = dict(Household.objects.filter(ref__startswith=prefix).values_list("ref", "pk"))
    person_ids = dict(Person.objects.filter(ref__startswith=prefix).values_list("ref", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(
                household_id=household_ids[f"{prefix}M{i}"],
                person_id=person_ids[f"{prefix}P{i}"],
                role="head",
                joined_on=datetime.date(2024, 3, 1),
            )
            for i in range(2)
        ],
        **kwargs,
    )


def test_rows_written_by_copy_are_those_of_an_insert():
    organisation = OrganisationFactory()
    _write(organisation, "A", by_copy=False)
    _write(organisation, "B", by_copy=True)
    for model, refs in (
        (Household, "ref__startswith"),
        (Person, "ref__startswith"),
        (Membership, "household__ref__startswith"),
    ):
        inserted, copied = _rows(model, {refs: "A"}), _rows(model, {refs: "B"})
        assert copied == inserted and len(copied) == 2
    notes = sorted(h.social_note for h in Household.objects.filter(ref__startswith="B"))
    assert notes == ["", "Besoin d'un logement adapté"]  # encrypted, read back
    assert Household.objects.filter(ref__startswith="B", list_presence="never").count() == 2
    created = Household.objects.filter(ref__startswith="B").values_list("created_at", flat=True)
    assert all(created)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_sends_no_insert():
    from django.test.utils import CaptureQueriesContext

    organisation = OrganisationFactory()
    with CaptureQueriesContext(connection) as queries:
        Household.objects.bulk_create(
            [Household(organisation=organisation, ref=f"M{i}") for i in range(3)], by_copy=True
        )
    table = Household._meta.db_table
    assert not [q for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
    assert Household.objects.filter(organisation=organisation).count() == 3
