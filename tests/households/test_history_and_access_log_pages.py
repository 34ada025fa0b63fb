"""The pages "Historique des modifications" and "Qui a consulté ce dossier" of a household:
French labels, newest first, 50 per page, refused to roles without the right (403) and to
other organisations (404), and reading them is itself recorded."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from seuil.core.models import AccessLog, ChangeRecord
from seuil.households import services
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import (
    ClinicalNoteFactory,
    ConsentFactory,
    HouseholdFactory,
    MembershipFactory,
)
from tests.housing.factories import StayFactory

PARIS_SUMMER = datetime.timezone(datetime.timedelta(hours=2))


@pytest.fixture
def head(org_a):
    return MembershipFactory(
        household__organisation=org_a,
        household__prior_situation="street_or_115",
        person__first_name="Awa",
        person__last_name="Diallo",
    )


@pytest.fixture
def worker(org_a):
    return UserFactory(organisation=org_a, social_worker=True, first_name="Inès", last_name="Roy")


def page_text(client, url, **params):
    """The response and its text as a sighted reader sees it (tags and hidden text out)."""
    response = client.get(url, params)
    assert response.status_code == 200
    body = re.sub(r'<span class="visually-hidden">.*?</span>', "", response.content.decode())
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return response, re.sub(r"\s+", " ", text).replace(" :", " :")


def history_url(household):
    return reverse("households:history", args=[household.uuid])


def access_log_url(household):
    return reverse("households:access_log", args=[household.uuid])


def test_the_history_shows_who_changed_which_field_from_what_to_what_in_french(
    client, member_a, worker, head
):
    services.update_household(
        head.household, acting_user=worker, prior_situation="specialised_shelter"
    )
    services.update_member(head, acting_user=worker, person_fields={}, role="head", left_on=None)
    services.record_resources(
        head.household, acting_user=worker, on=datetime.date(2024, 2, 1), types=["rsa", "salary"]
    )
    services.update_member(head, acting_user=worker, person_fields={"last_name": "Diallo-Sow"})
    client.force_login(member_a)
    _, text = page_text(client, history_url(head.household))
    assert "Historique des modifications" in text
    assert "Inès Roy (Travailleur·euse social·e)" in text
    assert "Situation avant l'accueil : Rue ou 115 → Hébergement spécialisé (CADA" in text
    assert "Personne : Awa D." in text
    assert "Nom : Diallo → Diallo-Sow" in text
    assert "Ressources à partir du 01/02/2024" in text
    assert "Types de ressources : RSA, Salaire" in text
    assert "street_or_115" not in text


def test_the_history_is_newest_first_in_paris_time(client, member_a, head):
    household = head.household
    for hour, name in ((8, "Premier"), (10, "Second")):
        ChangeRecord.objects.create(
            at=datetime.datetime(2024, 7, 1, hour, 30, tzinfo=datetime.UTC),
            action="change",
            object_type="person",
            object_uuid=head.person.uuid,
            household_uuid=household.uuid,
            changes={"first_name": ["Awa", name]},
        )
    client.force_login(member_a)
    _, text = page_text(client, history_url(household))
    assert text.index("01/07/2024 à 12:30") < text.index("01/07/2024 à 10:30")
    assert text.index("Awa → Second") < text.index("Awa → Premier")
    assert "Import ou traitement automatique" in text


def test_the_history_shows_50_changes_per_page(client, member_a, head):
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            action="change",
            object_type="household",
            object_uuid=head.household.uuid,
            household_uuid=head.household.uuid,
            changes={"prior_situation": ["other", "unknown"]},
        )
        for _ in range(51)
    )
    client.force_login(member_a)
    response, text = page_text(client, history_url(head.household))
    assert len(response.context["rows"]) == 50
    assert "Page 1 sur 2" in text
    response, _ = page_text(client, history_url(head.household), page=2)
    assert len(response.context["rows"]) == 1


def test_a_change_of_another_household_is_not_in_the_history(client, member_a, worker, head):
    other = HouseholdFactory(organisation=head.household.organisation, prior_situation="other")
    services.update_household(other, acting_user=worker, prior_situation="unknown")
    client.force_login(member_a)
    response, _ = page_text(client, history_url(head.household))
    assert response.context["rows"] == []


def test_reading_the_history_writes_an_access_log_row(client, member_a, head):
    client.force_login(member_a)
    page_text(client, history_url(head.household))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.object_uuid) == (
        member_a,
        AccessLog.Action.VIEW,
        head.household.uuid,
    )


@pytest.mark.parametrize("traits", [{"tenancy_officer": True}, {"role": "psychologist"}])
def test_roles_without_the_right_get_403_on_the_history(client, org_a, head, traits):
    client.force_login(UserFactory(organisation=org_a, **traits))
    assert client.get(history_url(head.household)).status_code == 403
    assert not AccessLog.objects.exists()


def test_another_organisation_gets_404_on_both_pages(client, member_b, head):
    client.force_login(member_b)
    assert client.get(history_url(head.household)).status_code == 404
    assert client.get(access_log_url(head.household)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login_from_both_pages(client, head):
    for url in (history_url(head.household), access_log_url(head.household)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_access_log_lists_the_reads_made_by_another_user(client, member_a, worker, head):
    household = head.household
    left = MembershipFactory(
        household=household,
        role="partner",
        left_on=datetime.date(2023, 6, 30),
        person__first_name="Jérôme",
        person__last_name="Martin",
    )
    stay = StayFactory(household=household, unit__ref="L-12")
    client.force_login(worker)
    client.get(reverse("households:detail", args=[household.uuid]))
    AccessLog.objects.create(
        user=worker,
        role=worker.role,
        organisation=worker.organisation,
        action=AccessLog.Action.EXPORT,
        object_type="person",
        object_uuid=left.person.uuid,
    )
    AccessLog.objects.create(
        user=worker, action=AccessLog.Action.CHANGE, object_type="stay", object_uuid=stay.uuid
    )
    elsewhere = HouseholdFactory(organisation=household.organisation)
    AccessLog.objects.create(
        user=worker,
        action=AccessLog.Action.VIEW,
        object_type="household",
        object_uuid=elsewhere.uuid,
    )
    client.force_login(member_a)
    response, text = page_text(client, access_log_url(household))
    rows = response.context["rows"]
    assert [(r.who, r.action, r.what) for r in rows] == [
        ("Camille Dupré", "Consultation", f"Ménage {household.ref}"),  # this very page
        ("Inès Roy", "Modification", "Séjour au logement L-12"),
        ("Inès Roy", "Export", "Personne : Jérôme M."),
        ("Inès Roy", "Consultation", f"Ménage {household.ref}"),
    ]
    assert rows[2].role == "Travailleur·euse social·e"
    assert rows[2].organisation == "Association A"
    assert "Qui a consulté ce dossier" in text


def test_the_access_log_names_consents_but_never_the_reading_of_clinical_notes(
    client, member_a, head
):
    household = head.household
    consent = ConsentFactory(household=household, recipient__name="OPAC de la Somme")
    note = ClinicalNoteFactory(household=household)
    for obj in (consent, note):
        AccessLog.objects.create(
            action=AccessLog.Action.VIEW, object_type=obj._meta.model_name, object_uuid=obj.uuid
        )
    client.force_login(member_a)
    response, text = page_text(client, access_log_url(household))
    whats = [r.what for r in response.context["rows"]]
    assert whats[1].startswith("Consentement : ") and "OPAC de la Somme" in whats[1]
    assert len(whats) == 2
    assert "angoisses" not in text


def test_the_access_log_is_refused_to_a_social_worker_and_open_to_a_siao_coordinator(client, head):
    org = head.household.organisation
    client.force_login(UserFactory(organisation=org, social_worker=True))
    assert client.get(access_log_url(head.household)).status_code == 403
    client.force_login(UserFactory(organisation=org, role="siao_coordinator"))
    assert client.get(access_log_url(head.household)).status_code == 200


def test_the_household_file_links_to_the_pages_its_reader_may_open(client, org_a, head):
    detail = reverse("households:detail", args=[head.household.uuid])
    expectations = {
        "service_manager": (True, True),
        "social_worker": (True, False),
        "tenancy_officer": (False, False),
    }
    for role, (history, access_log) in expectations.items():
        client.force_login(UserFactory(organisation=org_a, role=role))
        body = client.get(detail).content.decode()
        assert (history_url(head.household) in body) is history, role
        assert (access_log_url(head.household) in body) is access_log, role


def test_a_household_of_another_organisation_never_shows_in_the_history_of_a(
    client, member_a, head
):
    org_c = OrganisationFactory()
    foreign = HouseholdFactory(organisation=org_c)
    ChangeRecord.objects.create(
        action="change",
        object_type="household",
        object_uuid=foreign.uuid,
        household_uuid=foreign.uuid,
        changes={"prior_situation": ["other", "unknown"]},
    )
    client.force_login(member_a)
    assert client.get(history_url(foreign)).status_code == 404
