"""Correcting or deleting a dated record entered by mistake, with the reason in the history;
and the household file as a PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.households import services
from seuil.households.models import LegalStatusRecord, Membership, Person, ResourceRecord
from seuil.housing import services as housing
from seuil.housing.models import Stay
from seuil.orientation.enums import VacancyClosing, VacancyOpening
from seuil.orientation.models import Vacancy
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.privacy.test_subject_access_export import _pdf_text
from tests.tenancy.factories import SubLeaseFactory

D = datetime.date


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Association Accueil")


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, role=Role.SOCIAL_WORKER)


@pytest.fixture
def household(org):
    household = HouseholdFactory(organisation=org)
    MembershipFactory(household=household, person__first_name="Awa", person__last_name="Diallo")
    return household


def last_record(obj):
    return ChangeRecord.objects.filter(object_uuid=obj.uuid).order_by("-pk").first()


def test_a_legal_status_is_corrected_then_deleted_with_its_reason(household, worker):
    person = household.memberships.get().person
    record = LegalStatusRecordFactory(person=person, since=D(2021, 6, 1), status="refugee")
    with pytest.raises(ValidationError):
        services.correct_legal_status(
            record, acting_user=worker, since=D(2021, 6, 2), status="refugee", reason=" "
        )
    services.correct_legal_status(
        record,
        acting_user=worker,
        since=D(2021, 6, 2),
        status="subsidiary_protection",
        reason="Mauvaise date",
    )
    change = last_record(record)
    assert change.reason == "Mauvaise date" and change.household_uuid == household.uuid
    assert change.changes["since"] == ["2021-06-01", "2021-06-02"]
    services.delete_legal_status(record, acting_user=worker, reason="Statut d'une autre personne")
    assert not LegalStatusRecord.objects.filter(pk=record.pk).exists()
    deleted = last_record(record)
    assert deleted.action == "delete" and deleted.reason == "Statut d'une autre personne"


def test_resources_are_corrected_and_deleted_under_the_same_rules(household, worker):
    record = ResourceRecordFactory(household=household, on=D(2023, 1, 1), types=["rsa"])
    with pytest.raises(ValidationError, match="ne se combine pas"):
        services.correct_resources(
            record, acting_user=worker, on=D(2023, 1, 1), types=["none", "rsa"], reason="x"
        )
    services.correct_resources(
        record, acting_user=worker, on=D(2023, 2, 1), types=["salary"], reason="Erreur"
    )
    record.refresh_from_db()
    assert record.on == D(2023, 2, 1) and record.types == ["salary"]
    services.delete_resources(record, acting_user=worker, reason="Doublon")
    assert not ResourceRecord.objects.filter(pk=record.pk).exists()


def test_a_member_added_by_mistake_is_removed_with_their_file(household, worker):
    child = MembershipFactory(household=household, role="child", person__first_name="Ali")
    LegalStatusRecordFactory(person=child.person)
    services.record_contact_details(child.person, acting_user=worker, since=D(2024, 1, 1))
    head = household.memberships.get(role="head")
    with pytest.raises(ValidationError, match="personne de référence"):
        services.delete_membership(head, acting_user=worker, reason="Erreur")
    services.delete_membership(child, acting_user=worker, reason="Pas de ce ménage")
    assert not Membership.objects.filter(pk=child.pk).exists()
    assert not Person.objects.filter(pk=child.person.pk).exists()
    assert (
        ChangeRecord.objects.filter(
            household_uuid=household.uuid, action="delete", reason="Pas de ce ménage"
        ).count()
        == 4
    )  # the membership, the status, the contact details, the person


def test_correction_pages_need_the_reason_and_show_it_in_the_history(client, household, worker):
    manager = UserFactory(organisation=household.organisation, role=Role.SERVICE_MANAGER)
    record = ResourceRecordFactory(household=household, on=D(2023, 1, 1), types=["rsa"])
    client.force_login(worker)
    url = reverse("households:correct_resources", args=[household.uuid, record.uuid])
    page = client.post(url, {"on": "2023-01-01", "types": ["salary"], "reason": ""})
    assert page.status_code == 200
    record.refresh_from_db()
    assert record.types == ["rsa"]
    done = client.post(url, {"on": "2023-01-01", "types": ["salary"], "reason": "Erreur de case"})
    assert done.status_code == 302
    client.force_login(manager)
    history = client.get(reverse("households:history", args=[household.uuid])).content.decode()
    assert "Erreur de case" in history


def test_another_organisation_cannot_correct(client, household):
    record = ResourceRecordFactory(household=household)
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    url = reverse("households:delete_resources", args=[household.uuid, record.uuid])
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(UserFactory(organisation=household.organisation, role=Role.PSYCHOLOGIST))
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert ResourceRecord.objects.filter(pk=record.pk).exists()


def test_contact_details_are_corrected_then_deleted_on_the_pages_with_history_and_log(
    client, household, worker
):
    person = household.memberships.get().person
    record = services.record_contact_details(
        person, acting_user=worker, since=D(2024, 3, 1), phones=["06 12 34 56 78"],
        email="awa@example.org", languages=["fr"],
    )  # fmt: skip
    client.force_login(worker)
    file = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    url = reverse("households:correct_contact_details", args=[household.uuid, record.uuid])
    assert url in file
    form = client.get(url)
    assert form.context["form"].initial["phone"] == "06 12 34 56 78"
    # Showing the record to correct is a read of the file, recorded as such.
    assert AccessLog.objects.filter(object_uuid=record.uuid, action="view", user=worker).exists()
    data = {"since": "2024-03-01", "phone": "06 12 34 56 79", "email": "awa@example.org",
            "languages": ["fr", "bm"], "reason": ""}  # fmt: skip
    assert client.post(url, data).status_code == 200  # no reason: refused
    record.refresh_from_db()
    assert record.phones == ["+33612345678"]
    logged = AccessLog.objects.filter(object_uuid=record.uuid).count()
    done = client.post(url, {**data, "reason": "Numéro mal recopié"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.phones == ["+33612345679"] and record.languages == ["fr", "bm"]
    assert " 33612345679 " in record.phone_digits  # the search finds the new number
    change = last_record(record)
    assert change.reason == "Numéro mal recopié" and change.household_uuid == household.uuid
    assert change.changes["phones"] == [["+33612345678"], ["+33612345679"]]
    assert AccessLog.objects.filter(object_uuid=record.uuid).count() > logged
    delete = reverse("households:delete_contact_details", args=[household.uuid, record.uuid])
    assert client.post(delete, {"reason": "Coordonnées d'une autre personne"}).status_code == 302
    assert not person.contact_details.exists()
    deleted = last_record(record)
    assert deleted.action == "delete" and deleted.reason == "Coordonnées d'une autre personne"
    # Another organisation reaches none of it.
    other = UserFactory(role=Role.SOCIAL_WORKER)
    kept = services.record_contact_details(person, acting_user=worker, since=D(2024, 4, 1))
    client.force_login(other)
    url = reverse("households:delete_contact_details", args=[household.uuid, kept.uuid])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert person.contact_details.filter(pk=kept.pk).exists()


def test_a_contact_correction_keeps_the_rules_of_a_new_record(household, worker):
    person = household.memberships.get().person
    record = services.record_contact_details(person, acting_user=worker, since=D(2024, 3, 1))
    with pytest.raises(ValidationError, match="Langue inconnue"):
        services.correct_contact_details(
            record, acting_user=worker, since=D(2024, 3, 1), languages=["xx"], reason="Erreur"
        )
    services.record_contact_details(person, acting_user=worker, since=D(2024, 5, 1))
    with pytest.raises(ValidationError, match="déjà enregistrées à cette date"):
        services.correct_contact_details(
            record, acting_user=worker, since=D(2024, 5, 1), reason="Erreur"
        )


# ---- stays ---------------------------------------------------------------------------


@pytest.fixture
def unit(org):
    return HousingUnitFactory(organisation=org, captured_on=D(2020, 1, 1))


def test_a_stay_entered_by_mistake_is_deleted_and_the_unit_vacant_again(
    household, worker, unit, frozen_now
):
    vacancy = Vacancy.objects.create(
        ref="V-1", unit=unit, opened_on=D(2024, 1, 1), opening_reason=VacancyOpening.EXIT
    )
    stay = housing.enter_household(household, unit, entered_on=D(2024, 2, 1), acting_user=worker)
    vacancy.refresh_from_db()
    assert vacancy.closing_reason == VacancyClosing.FILLED
    with pytest.raises(ValidationError):
        housing.delete_stay(stay, reason="", acting_user=worker)
    housing.delete_stay(stay, reason="Mauvais ménage", acting_user=worker)
    assert not Stay.objects.filter(pk=stay.pk).exists()
    vacancy.refresh_from_db()
    assert vacancy.closed_on is None  # the unit is vacant again, since the same day
    assert last_record(stay).reason == "Mauvais ménage"


def test_a_stay_with_a_sublease_is_not_deleted(household, worker, unit):
    stay = StayFactory(household=household, unit=unit, entered_on=D(2024, 2, 1))
    SubLeaseFactory(stay=stay)
    with pytest.raises(ValidationError, match="sous-location"):
        housing.delete_stay(stay, reason="Erreur", acting_user=worker)
    assert Stay.objects.filter(pk=stay.pk).exists()


def test_a_stay_correction_keeps_the_invariants(household, worker, unit, org):
    stay = StayFactory(household=household, unit=unit, entered_on=D(2024, 2, 1))
    other = HouseholdFactory(organisation=org)
    StayFactory(household=other, unit=unit, entered_on=D(2023, 1, 1), exited_on=D(2024, 1, 1))
    with pytest.raises(ValidationError):  # the unit was still occupied then
        housing.correct_stay(
            stay,
            entered_on=D(2023, 6, 1),
            exited_on=None,
            programme=None,
            reason="Date",
            acting_user=worker,
        )
    with pytest.raises(ValidationError, match="sortie"):
        housing.correct_stay(
            stay,
            entered_on=D(2024, 2, 1),
            exited_on=D(2024, 3, 1),
            programme=None,
            reason="Date",
            acting_user=worker,
        )
    housing.correct_stay(
        stay,
        entered_on=D(2024, 1, 15),
        exited_on=None,
        programme=None,
        reason="Date d'entrée mal saisie",
        acting_user=worker,
    )
    stay.refresh_from_db()
    assert stay.entered_on == D(2024, 1, 15)
    assert last_record(stay).reason == "Date d'entrée mal saisie"


def test_stay_correction_pages(client, household, worker, unit):
    stay = StayFactory(household=household, unit=unit, entered_on=D(2024, 2, 1))
    client.force_login(worker)
    page = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert reverse("housing:correct_stay", args=[stay.uuid]) in page
    done = client.post(
        reverse("housing:correct_stay", args=[stay.uuid]),
        {"entered_on": "2024-01-20", "programme": "", "reason": "Erreur", "version": stay.version},
    )
    assert done.status_code == 302
    done = client.post(reverse("housing:delete_stay", args=[stay.uuid]), {"reason": "Erreur"})
    assert done.status_code == 302 and not Stay.objects.filter(pk=stay.pk).exists()
    stranger = UserFactory(role=Role.SOCIAL_WORKER)
    client.force_login(stranger)
    stay = StayFactory(household=household, unit=unit, entered_on=D(2024, 2, 1))
    assert (
        client.post(reverse("housing:delete_stay", args=[stay.uuid]), {"reason": "x"}).status_code
        == 404
    )


# ---- the printable file --------------------------------------------------------------


def test_the_household_file_as_pdf(client, household, worker, tmp_path):
    client.force_login(worker)
    response = client.get(reverse("households:pdf", args=[household.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(object_uuid=household.uuid, action="export").exists()
    text = _pdf_text(response.content, tmp_path)
    assert "Awa Diallo" in text and household.ref in text
    assert "Modifier le ménage" not in text


def test_the_pdf_shows_only_what_the_user_may_see(client, household):
    household.social_note = "Note confidentielle du ménage"
    household.save()
    client.force_login(UserFactory(organisation=household.organisation, role=Role.SOCIAL_WORKER))
    html_page = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Note confidentielle" in html_page
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get(reverse("households:pdf", args=[household.uuid])).status_code == 404


def test_the_right_of_access_export_gives_the_reason_of_a_correction(household, worker):
    from seuil.privacy.subject_access import build

    person = household.memberships.get().person
    record = LegalStatusRecordFactory(person=person, since=D(2021, 6, 1), status="refugee")
    services.correct_legal_status(
        record, acting_user=worker, since=D(2021, 6, 2), status="refugee", reason="Date fausse"
    )
    rows = build(person)["change_history"]
    assert [row["reason"] for row in rows if row["reason"]] == ["Date fausse"]
