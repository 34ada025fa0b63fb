"""A residence permit filed in a file is due 90 days before its last day: those who change
the file are told once (no name in the message), and « Mes tâches » lists it until a newer
permit is filed."""

import datetime
import io

import pytest
from django.core.management import call_command

from seuil.core.documents import DocumentKind, detect_type
from seuil.households.models import HouseholdDocument
from seuil.notifications.models import Notification
from seuil.notifications.services import tasks_of
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory

PDF = b"%PDF-1.4\n%%EOF\n"
DAY = datetime.timedelta(days=1)


def permit(membership, expires_on):
    document = HouseholdDocument(
        household=membership.household,
        person=membership.person,
        kind=DocumentKind.RESIDENCE_PERMIT,
        expires_on=expires_on,
    )
    document.save_with_file(PDF, detect_type(PDF), "titre.pdf", document.save)
    return document


@pytest.fixture
def head(org_a, document_storage):
    return MembershipFactory(
        household__organisation=org_a,
        household__ref="M-TITRE",
        person__first_name="Awa",
        person__last_name="Diallo",
    )


def test_a_permit_near_its_end_is_told_once_and_listed_in_the_tasks(head, org_a, today):
    worker = UserFactory(organisation=org_a, social_worker=True)
    tenancy_officer = UserFactory(organisation=org_a, tenancy_officer=True)
    permit(head, today + 200 * DAY)  # far: nothing yet
    soon = permit(head, today + 60 * DAY)
    # The newer permit supersedes the one that expires sooner: nothing is due.
    assert tasks_of(worker, today) == ([], [])
    HouseholdDocument.objects.exclude(pk=soon.pk).delete()

    dry = io.StringIO()
    call_command("daily", "--dry-run", stdout=dry)
    assert "Titres de séjour : 1 rappel à envoyer (simulation)." in dry.getvalue()
    assert not Notification.objects.exists()
    reports = [io.StringIO(), io.StringIO()]
    for report in reports:
        call_command("daily", stdout=report)
    assert "Titres de séjour : 1 titre rappelé." in reports[0].getvalue()
    assert "Titres de séjour : 0 titre rappelé." in reports[1].getvalue()
    [told] = Notification.objects.filter(kind="residence_permit_expiring", recipient=worker)
    assert "M-TITRE" in told.message and "Awa" not in told.message
    assert str(head.household.uuid) in told.url
    assert not Notification.objects.filter(recipient=tenancy_officer).exists()
    overdue, to_do = tasks_of(worker, today)
    assert overdue == [] and [t.due_on for t in to_do] == [today + 60 * DAY]
    assert to_do[0].title == "Renouvellement du titre de séjour (dossier M-TITRE)"
    assert tasks_of(tenancy_officer, today) == ([], [])

    # Past its end, it is overdue until the renewed permit is filed.
    later = today + 70 * DAY
    overdue, _ = tasks_of(worker, later)
    assert [t.due_on for t in overdue] == [today + 60 * DAY]
    assert overdue[0].detail == (
        f"Le titre de séjour du dossier M-TITRE a expiré le {today + 60 * DAY:%d/%m/%Y}."
    )
    permit(head, today + 60 * DAY + 365 * DAY)
    assert tasks_of(worker, later) == ([], [])


def test_another_organisation_is_told_nothing(head, org_b, today):
    stranger = UserFactory(organisation=org_b, social_worker=True)
    permit(head, today + 10 * DAY)
    call_command("daily", stdout=io.StringIO())
    assert not Notification.objects.filter(recipient=stranger).exists()
    assert tasks_of(stranger, today) == ([], [])
