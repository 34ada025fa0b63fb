"""Monthly reviews and meetings as the people who use them would notice: the review on the
household's file and in « Mes tâches », who reads which review, meetings with their agenda
and minutes, a minutes PDF that names no one, a stranger who gets 404, and every read and
write in the access log and the history."""

import datetime
import shutil
import subprocess  # noqa: S404  (pdftotext, a fixed command)

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.support.documents import pseudonymise
from seuil.support.models import Meeting, Review
from seuil.support.notices import review_todos
from seuil.support.services import assign_referent, record_meeting, record_review
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.pdf_structure import read_structure

D = datetime.date


@pytest.fixture
def world(org_a, today):
    household = HouseholdFactory(organisation=org_a, ref="M-REVUE")
    MembershipFactory(
        household=household, role="head", person__first_name="Awa", person__last_name="Diallo"
    )
    StayFactory(
        household=household,
        unit=HousingUnitFactory(organisation=org_a),
        entered_on=D(2024, 11, 15),
    )
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER, first_name="Inès")
    officer = UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER, first_name="Paul")
    other_officer = UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)
    manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    assign_referent(household, worker, since=D(2025, 1, 1), by=manager)
    return {
        "household": household,
        "worker": worker,
        "officer": officer,
        "other_officer": other_officer,
        "manager": manager,
    }


def pdf_text(content):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        check=True,
        capture_output=True,
    ).stdout.decode()


def as_user(client, user):
    client.force_login(user)
    return client


def test_a_social_worker_records_the_review_and_the_task_goes(client, world, today):
    household, worker, officer = world["household"], world["worker"], world["officer"]
    todos = review_todos(worker, today)
    assert len(todos) == 1 and "M-REVUE" in todos[0].detail
    assert todos[0].title == "Revues mensuelles à faire : 1 ménage"
    tasks = as_user(client, worker).get(reverse("notifications:todo")).content.decode()
    assert "Revues mensuelles à faire" in tasks

    url = reverse("support:review_add", args=[household.uuid])
    response = client.post(
        url,
        {
            "held_on": "2025-06-10",
            "worker": worker.uuid,
            "tenancy_officer": officer.uuid,
            "budget": "Loyer payé, reste à vivre fragile.",
            "next_steps": "Dossier FSL à déposer.",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(household=household)
    assert review.budget == "Loyer payé, reste à vivre fragile."
    # Encrypted in the database, like the support notes.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select budget from support_review where id = %s", [review.pk])
        assert "Loyer" not in cursor.fetchone()[0]
    assert ChangeRecord.objects.filter(object_uuid=review.uuid, household_uuid=household.uuid)
    assert AccessLog.objects.filter(object_uuid=review.uuid, action="create").exists()
    page = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Revues mensuelles" in page and "Dossier FSL à déposer." in page
    assert review_todos(worker, today) == []


def test_a_tenancy_officer_reads_and_writes_only_the_reviews_it_takes_part_in(client, world, today):
    household = world["household"]
    officer, other = world["officer"], world["other_officer"]
    mine = record_review(household, held_on=D(2025, 6, 2), by=officer, risks="Bruit signalé")
    assert mine.tenancy_officer == officer  # set from who records it
    theirs = record_review(
        household, held_on=D(2025, 6, 3), by=world["worker"], tenancy_officer=other
    )
    client = as_user(client, officer)
    assert client.get(reverse("support:review", args=[mine.uuid])).status_code == 200
    assert AccessLog.objects.filter(object_uuid=mine.uuid, user=officer, action="view").exists()
    assert client.get(reverse("support:review", args=[theirs.uuid])).status_code == 404
    response = client.post(
        reverse("support:review", args=[theirs.uuid]), {"held_on": "2025-06-03", "risks": "x"}
    )
    assert response.status_code == 404
    page = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert reverse("support:review", args=[mine.uuid]) in page
    assert reverse("support:review", args=[theirs.uuid]) not in page
    # It corrects its own; it cannot hand it to another officer.
    response = client.post(
        reverse("support:review", args=[mine.uuid]),
        {"held_on": "2025-06-02", "risks": "Bruit réglé"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.risks == "Bruit réglé" and mine.tenancy_officer == officer and mine.version == 2


def test_a_psychologist_and_a_stranger_see_no_review_nor_meeting(client, world, org_a):
    review = record_review(world["household"], held_on=D(2025, 6, 2), by=world["worker"])
    meeting = record_meeting(kind="steering_committee", held_on=D(2025, 6, 4), by=world["manager"])
    psychologist = UserFactory(organisation=org_a, role=Role.PSYCHOLOGIST)
    stranger = UserFactory(organisation=OrganisationFactory(), role=Role.SERVICE_MANAGER)
    for user, expected in ((psychologist, (403, 404)), (stranger, (404,))):
        client = as_user(client, user)
        for url in (
            reverse("support:review", args=[review.uuid]),
            reverse("support:meeting", args=[meeting.uuid]),
            reverse("support:minutes", args=[meeting.uuid]),
            reverse("support:meeting_edit", args=[meeting.uuid]),
        ):
            assert client.get(url).status_code in expected, (user.role, url)
    assert review_todos(psychologist, D(2025, 6, 15)) == []


def test_the_minutes_name_households_by_their_reference_only(client, world, today):
    manager, household = world["manager"], world["household"]
    client = as_user(client, manager)
    response = client.post(
        reverse("support:meeting_add"),
        {
            "kind": "coordination_cell",
            "held_on": "2025-06-12",
            "participants": "Mme Martin, CAF\nM. Petit, mairie",
            "households": [household.uuid],
            "minutes": "Awa DIALLO a repris le paiement du loyer ; Mme Diallo sera revue.",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    detail = client.get(reverse("support:meeting", args=[meeting.uuid])).content.decode()
    assert "Mme Martin, CAF" in detail and "M-REVUE" in detail
    assert ChangeRecord.objects.filter(
        object_uuid=meeting.uuid, household_uuid=household.uuid
    ).exists()
    response = client.get(reverse("support:minutes", args=[meeting.uuid]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "M-REVUE" in text and "Mme Martin, CAF" in text
    assert "[ménage M-REVUE] a repris le paiement" in text
    assert "Awa" not in text and "Diallo" not in text and "DIALLO" not in text
    pdf = read_structure(response.content)
    assert pdf.lang == "fr" and pdf.tagged and pdf.has_struct_tree
    assert pdf.title.startswith("Compte rendu : cellule de coordination du 12")
    assert AccessLog.objects.filter(object_uuid=meeting.uuid, action="export").exists()


def test_the_agenda_holds_only_the_organisations_households(client, world, today):
    foreign = HouseholdFactory(organisation=OrganisationFactory(), ref="M-AUTRE")
    client = as_user(client, world["worker"])
    response = client.post(
        reverse("support:meeting_add"),
        {"kind": "coordination_cell", "held_on": "2025-06-12", "households": [foreign.uuid]},
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_pseudonymise_replaces_whole_names_in_any_case(world):
    household = world["household"]
    text = "Awa et AWA ; Awaken ; Diallo-x ; diallo."
    assert pseudonymise(text, [household]) == (
        "[ménage M-REVUE] et [ménage M-REVUE] ; Awaken ; [ménage M-REVUE]-x ; [ménage M-REVUE]."
    )
