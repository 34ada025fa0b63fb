"""The demo shows each sharing at work: a landlord's consented note, the platform's
mobility file, the psychologist's referred household and its notes."""

import pytest
from django.urls import reverse

from seuil.core.models import User
from seuil.households.models import ClinicalNote, Consent, Household

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_loaded):
    """The demo of TODAY (written once per run), the clock on TODAY."""


def page(client, username, name, *args):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (username, name)
    return response.content.decode()


def test_the_demo_landlord_reads_one_note_the_expired_consent_shows_none(client, loaded):
    # Two social-note consents, one mobility consent, and those of the mobility households
    # (admitted to the mobility programme, or on a national mobility path).
    mobility = Household.objects.filter(referrals__programme__kind="mobility") | (
        Household.objects.filter(mobility_files__isnull=False)
    )
    assert Consent.objects.exclude(household__in=mobility).count() == 3
    body = page(client, "bailleur-opac", "households:shared_notes")
    shared = [h for h in Household.objects.all() if h.ref in body]
    assert len(shared) == 1 and shared[0].social_note[:40] in body
    assert "Violences" not in body


def test_the_demo_platform_sees_the_household_of_its_mobility_consent(client, loaded):
    platform = User.objects.get(username="plateforme")
    mobility = Household.objects.filter(referrals__programme__kind="mobility")
    paths = Household.objects.filter(mobility_files__isnull=False)
    [household] = (
        Household.objects.visible_to(platform).exclude(pk__in=mobility).exclude(pk__in=paths)
    )
    body = page(client, "plateforme", "households:detail", household.uuid)
    assert household.social_note[:40] in body


def test_the_demo_psychologist_reads_two_notes_of_one_household(client, loaded):
    psychologist = User.objects.get(username="psychologue")
    [household] = Household.objects.visible_to(psychologist)
    body = page(client, "psychologue", "households:clinical_notes", household.uuid)
    assert all(note.text[:30] in body for note in ClinicalNote.objects.all())
    assert ClinicalNote.objects.count() == 2
    manager_view = page(client, "responsable", "households:detail", household.uuid)
    assert "Hélène Macquart" in manager_view and "Premier entretien" not in manager_view
