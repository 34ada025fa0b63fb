"""`seuil demo` writes accounts with a public password: never into a real database."""

import io

import pytest
from django.core.management import CommandError, call_command

from seuil.core.models import Organisation, User
from tests.core.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def run_demo():
    call_command("demo", "--no-serve", stdout=io.StringIO())


def test_a_database_with_a_real_organisation_is_refused_and_nothing_is_written():
    real = OrganisationFactory(ref="siao80", name="SIAO de la Somme (réel)")
    UserFactory(username="coordinatrice", organisation=real)
    with pytest.raises(CommandError, match=r"n'a pas créées \(siao80\)"):
        run_demo()
    assert list(Organisation.objects.values_list("ref", flat=True)) == ["siao80"]
    assert list(User.objects.values_list("username", flat=True)) == ["coordinatrice"]
    assert not Organisation.objects.get().demo


def test_the_demo_is_refused_in_production_even_on_an_empty_database(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="jamais en production"):
        run_demo()
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_the_demo_runs_again_on_its_own_database():
    run_demo()
    assert Organisation.objects.filter(demo=False).count() == 0
    users = User.objects.count()
    run_demo()
    assert User.objects.count() == users
