"""A clinical note is read by its author and by the psychologists the author shares it with:
a psychologist referred to the household later reads none of the earlier notes unless their
author shares them, reads nothing more once the share is withdrawn, and the team never
reads them, shared or not. Each share and each withdrawal is in the change history (not on
the household's history page, which the service manager reads)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.households import services
from seuil.households.models import ClinicalNote, ClinicalNoteShare
from tests.conftest import days_ago
from tests.core.factories import UserFactory
from tests.households.factories import (
    ClinicalNoteFactory,
    ClinicalReferralFactory,
    HouseholdFactory,
    MembershipFactory,
)

FIRST = "Premier entretien : cauchemars récurrents depuis la rue."
SECOND = "Deuxième entretien : évoque des violences passées, à ne pas répéter."

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def household(org_a):
    household = HouseholdFactory(organisation=org_a, ref="M-SUIVI")
    MembershipFactory(household=household, person__first_name="Zénobie")
    return household


@pytest.fixture
def first(household):
    """The psychologist who followed the household first, and wrote two notes."""
    psychologist = UserFactory(
        organisation=household.organisation,
        role=Role.PSYCHOLOGIST,
        first_name="Hélène",
        last_name="Macquart",
    )
    ClinicalReferralFactory(
        household=household, psychologist=psychologist, referred_on=days_ago(90)
    )
    ClinicalNoteFactory(household=household, author=psychologist, text=FIRST)
    ClinicalNoteFactory(household=household, author=psychologist, text=SECOND)
    return psychologist


@pytest.fixture
def later(household, first):
    """A psychologist the household was referred to later, while the first one still follows
    it."""
    psychologist = UserFactory(
        organisation=household.organisation,
        role=Role.PSYCHOLOGIST,
        first_name="Bastien",
        last_name="Roussel",
    )
    ClinicalReferralFactory(household=household, psychologist=psychologist, referred_on=days_ago(5))
    return psychologist


def note(text):
    """The note of that text (encrypted: the database cannot filter on it)."""
    return next(n for n in ClinicalNote.objects.all() if n.text == text)


def notes_page(client, user, household):
    client.force_login(user)
    response = client.get(reverse("households:clinical_notes", args=[household.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def share_url(household, clinical_note):
    return reverse("households:share_clinical_note", args=[household.uuid, clinical_note.uuid])


def test_a_psychologist_referred_later_reads_none_of_the_earlier_notes(
    client, household, first, later
):
    assert not ClinicalNote.objects.visible_to(later).exists()
    page = notes_page(client, later, household)
    assert FIRST not in page and SECOND not in page
    assert "Aucune note clinique que vous puissiez lire" in page
    # Their own notes are theirs alone too.
    services.write_clinical_note(household, acting_user=later, text="Note de Bastien.")
    assert "Note de Bastien." in notes_page(client, later, household)
    page = notes_page(client, first, household)
    assert "Note de Bastien." not in page and FIRST in page and SECOND in page


def test_the_author_shares_one_note_then_withdraws_it(client, household, first, later):
    shared = note(FIRST)
    client.force_login(first)
    form = client.get(share_url(household, shared)).content.decode()
    assert "Bastien Roussel" in form
    assert f'value="{later.uuid}"' in form and f'value="{first.uuid}"' not in form
    response = client.post(share_url(household, shared), {"psychologists": [str(later.uuid)]})
    assert response.status_code == 302
    assert list(ClinicalNote.objects.visible_to(later)) == [shared]
    page = notes_page(client, later, household)
    assert FIRST in page and SECOND not in page
    assert "Partagée avec vous" in page
    assert "Partagée avec Bastien Roussel" in notes_page(client, first, household)

    share = ClinicalNoteShare.objects.get()
    created = ChangeRecord.objects.get(object_uuid=share.uuid)
    assert (created.user, created.action, created.household_uuid) == (
        first,
        "create",
        household.uuid,
    )
    assert created.changes["psychologist"] == [None, str(later.uuid)]
    assert FIRST not in str(created.changes)
    assert AccessLog.objects.filter(user=first, action="change", object_uuid=shared.uuid).exists()

    client.force_login(first)
    assert client.post(share_url(household, shared), {}).status_code == 302
    assert not ClinicalNote.objects.visible_to(later).exists()
    assert FIRST not in notes_page(client, later, household)
    share.refresh_from_db()
    assert share.revoked_at is not None  # the withdrawal is kept, with its moment
    withdrawn = ChangeRecord.objects.filter(object_uuid=share.uuid, action="change").get()
    assert withdrawn.user == first and set(withdrawn.changes) == {"revoked_at"}


def test_the_author_may_share_a_note_while_writing_it(client, household, first, later):
    client.force_login(first)
    url = reverse("households:clinical_notes", args=[household.uuid])
    assert "La partager avec" in client.get(url).content.decode()
    response = client.post(url, {"text": "Passage de relais.", "share_with": [str(later.uuid)]})
    assert response.status_code == 302
    page = notes_page(client, later, household)
    assert "Passage de relais." in page and FIRST not in page


def test_alone_on_the_household_no_share_is_offered(client, household, first):
    page = notes_page(client, first, household)
    assert "La partager avec" not in page and "Choisir qui la lit" not in page


def test_only_the_author_shares_and_only_with_a_psychologist_of_the_household(
    client, household, first, later, org_a
):
    shared = note(FIRST)
    services.share_clinical_note(shared, acting_user=first, psychologists=[later])
    # The colleague who reads it may not pass it on, nor withdraw it.
    client.force_login(later)
    assert client.get(share_url(household, shared)).status_code == 404
    assert client.post(share_url(household, shared), {}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.share_clinical_note(shared, acting_user=later, psychologists=[])
    # A psychologist of the organisation the household is not referred to is refused.
    outsider = UserFactory(organisation=org_a, role=Role.PSYCHOLOGIST, first_name="Ondine")
    client.force_login(first)
    assert "Ondine" not in client.get(share_url(household, shared)).content.decode()
    refused = client.post(share_url(household, shared), {"psychologists": [str(outsider.uuid)]})
    assert refused.status_code == 200
    with pytest.raises(ValidationError, match="aussi adressé"):
        services.share_clinical_note(shared, acting_user=first, psychologists=[later, outsider])
    assert not ClinicalNote.objects.visible_to(outsider).exists()
    assert list(ClinicalNoteShare.objects.active().values_list("psychologist", flat=True)) == [
        later.pk
    ]


def test_a_share_reads_nothing_once_the_colleague_s_referral_ends(household, first, later):
    services.share_clinical_note(note(FIRST), acting_user=first, psychologists=[later])
    referral = household.clinical_referrals.get(psychologist=later)
    services.end_clinical_referral(referral, acting_user=None)
    assert not ClinicalNote.objects.visible_to(later).exists()


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.SOCIAL_WORKER])
def test_the_team_never_reads_the_notes_nor_learns_of_their_shares(
    client, household, first, later, org_a, role
):
    shared = note(FIRST)
    services.share_clinical_note(shared, acting_user=first, psychologists=[later])
    user = UserFactory(organisation=org_a, role=role)
    assert not ClinicalNote.objects.visible_to(user).exists()
    client.force_login(user)
    assert (
        client.get(reverse("households:clinical_notes", args=[household.uuid])).status_code == 404
    )
    assert client.get(share_url(household, shared)).status_code == 404
    assert client.post(share_url(household, shared), {}).status_code == 404
    if role == Role.SERVICE_MANAGER:
        history = client.get(reverse("households:history", args=[household.uuid]))
        assert history.status_code == 200
        body = history.content.decode()
        assert "clinicalnoteshare" not in body and str(later.uuid) not in body
        log = client.get(reverse("households:access_log", args=[household.uuid]))
        assert "note clinique" not in log.content.decode().lower()
    assert ClinicalNoteShare.objects.active().count() == 1
