"""Inspections room by room, the exit compared with the entry, repairs of a unit and the
household's home insurance, as the tenancy officer and the others use them."""

import datetime

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from seuil.core.models import AccessLog, ChangeRecord
from seuil.notifications.models import Notification
from seuil.notifications.services import tasks_of
from seuil.tenancy import notices, upkeep
from seuil.tenancy.enums import ROOM_STATE_RANK, RoomState
from seuil.tenancy.inspections import compare_rooms
from seuil.tenancy.models import Inspection, InspectionRoom, Insurance, Repair
from tests.core.factories import UserFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer_user(org_a):
    return UserFactory(organisation=org_a, tenancy_officer=True)


@pytest.fixture
def officer(client, officer_user):
    client.force_login(officer_user)
    return client


@pytest.fixture
def stay(org_a):
    unit = HousingUnitFactory(organisation=org_a, ref="L-U1")
    return StayFactory(
        household__organisation=org_a,
        household__ref="M-U1",
        unit=unit,
        entered_on=D(2025, 3, 10),
        exited_on=D(2025, 11, 30),
    )


def page_of(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def text_of(response):
    return " ".join(page_of(response).text_content().split())


def signature(tree, party):
    (dd,) = tree.xpath(f'//dt[normalize-space()="{party}"]/following-sibling::dd')
    return dd.text_content().strip()


def titles_of_tasks(user, today):
    overdue, to_do = tasks_of(user, today)
    return [todo.title for todo in overdue + to_do]


def record(officer, unit, kind, done_on):
    response = officer.post(
        reverse("tenancy:inspection_create", args=[unit.uuid]), {"kind": kind, "done_on": done_on}
    )
    inspection = Inspection.objects.get(kind=kind)
    assert response.url == inspection.get_absolute_url()
    return inspection


def add_room(officer, inspection, name, state, remarks=""):
    response = officer.post(
        reverse("tenancy:inspection_room", args=[inspection.uuid]),
        {"name": name, "state": state, "remarks": remarks},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_officer_records_an_entry_inspection_room_by_room_and_prints_it(officer, stay):
    inspection = record(officer, stay.unit, "entry", "2025-03-10")
    add_room(officer, inspection, "Séjour", "good", "Peinture refaite")
    add_room(officer, inspection, "Cuisine", "fair")
    officer.post(
        reverse("tenancy:inspection_meter", args=[inspection.uuid]),
        {"meter": "electricity", "index": "1520,5", "read_on": "2025-03-10"},
    )
    officer.post(
        reverse("tenancy:inspection_keys", args=[inspection.uuid]),
        {"kind": "Porte d'entrée", "count": "2"},
    )
    officer.post(
        reverse("tenancy:inspection_signatures", args=[inspection.uuid]),
        {"signed_by_household_on": "2025-03-10", "signed_by_operator_on": "2025-03-10"},
    )
    page = text_of(officer.get(inspection.get_absolute_url()))
    assert "Séjour Bon état Peinture refaite" in page
    assert "Cuisine État d'usage" in page
    assert "Électricité 1520,50" in page or "Électricité 1520.50" in page
    assert "Porte d'entrée 2" in page
    tree = page_of(officer.get(inspection.get_absolute_url()))
    assert signature(tree, "Signé par le ménage") == "le 10/03/2025"
    assert signature(tree, "Signé par le bailleur") == "Pas encore"
    # Each part is in the household's history.
    assert (
        ChangeRecord.objects.filter(
            object_type="inspectionroom", household_uuid=stay.household.uuid
        ).count()
        == 2
    )

    response = officer.get(reverse("tenancy:inspection_pdf", args=[inspection.uuid]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(
        object_uuid=inspection.uuid, action=AccessLog.Action.DOWNLOAD
    ).exists()


def test_the_unit_and_household_pages_link_the_inspection(officer, stay):
    inspection = record(officer, stay.unit, "entry", "2025-03-10")
    for url in (stay.unit.get_absolute_url(), stay.household.get_absolute_url()):
        links = page_of(officer.get(url)).xpath("//a/@href")
        assert inspection.get_absolute_url() in links, url


def test_the_exit_is_compared_with_the_entry_room_by_room(officer, stay):
    entry = record(officer, stay.unit, "entry", "2025-03-10")
    add_room(officer, entry, "Séjour", "good")
    add_room(officer, entry, "Chambre", "new")
    officer.post(
        reverse("tenancy:inspection_meter", args=[entry.uuid]),
        {"meter": "water", "index": "100", "read_on": "2025-03-10"},
    )
    exit_ = record(officer, stay.unit, "exit", "2025-11-30")
    # The exit starts from the entry's rooms, then each is corrected.
    officer.post(reverse("tenancy:inspection_copy_rooms", args=[exit_.uuid]))
    assert [r.name for r in exit_.rooms.all()] == ["Séjour", "Chambre"]
    chambre = exit_.rooms.get(name="Chambre")
    response = officer.post(
        reverse("tenancy:inspection_room_edit", args=[exit_.uuid, chambre.uuid]),
        {"name": "Chambre", "state": "poor", "remarks": "Porte du placard cassée"},
    )
    assert response.status_code == 302
    officer.post(
        reverse("tenancy:inspection_meter", args=[exit_.uuid]),
        {"meter": "water", "index": "142", "read_on": "2025-11-30"},
    )
    page = text_of(officer.get(reverse("tenancy:inspection_compare", args=[exit_.uuid])))
    assert (
        "Chambre : dégradée : neuf à l'entrée, mauvais état à la sortie – Porte du placard cassée"
        in page
    )
    assert "Séjour Bon état Bon état Pas de dégradation" in page
    assert "Eau 100,00 142,00 42,00" in page or "Eau 100.00 142.00 42.00" in page


def room(name, state):
    return InspectionRoom(name=name, state=state)


@given(
    st.lists(st.sampled_from(RoomState.values), min_size=1, max_size=5),
    st.lists(st.sampled_from(RoomState.values), min_size=1, max_size=5),
)
def test_a_room_is_degraded_exactly_when_its_state_got_worse(entry_states, exit_states):
    entry = [room(f"Pièce {i}", s) for i, s in enumerate(entry_states)]
    # The exit names the rooms in another case and spacing: still the same rooms.
    exits = [room(f"  pièce   {i} ", s) for i, s in enumerate(exit_states)]
    rows = compare_rooms(entry, exits)
    assert len(rows) == max(len(entry_states), len(exit_states))
    for i, row in enumerate(rows):
        if i < len(entry_states) and i < len(exit_states):
            worse = ROOM_STATE_RANK[exit_states[i]] > ROOM_STATE_RANK[entry_states[i]]
            assert row.degraded == worse
        else:
            assert not row.degraded


def test_a_repair_is_reported_scheduled_and_done_on_the_unit_page(officer, stay, officer_user):
    unit = stay.unit
    response = officer.post(
        reverse("tenancy:repair_create", args=[unit.uuid]),
        {
            "reported_on": "2025-06-02",
            "reported_by": "household",
            "description": "Fuite sous l'évier",
            "contractor": "Plomberie Martin",
            "cost": "180",
            "paid_by": "landlord",
        },
    )
    assert response.url == unit.get_absolute_url()
    repair = Repair.objects.get()
    assert (repair.status, repair.stay, repair.household) == ("reported", stay, stay.household)
    # Scheduling needs the appointment.
    url = reverse("tenancy:repair_move", args=[repair.uuid])
    refused = text_of(officer.post(url, {"to": "scheduled", "on": "2025-06-03"}))
    assert "Indiquez la date du rendez-vous." in refused
    officer.post(url, {"to": "scheduled", "on": "2025-06-03", "appointment_on": "2025-06-10"})
    officer.post(url, {"to": "done", "on": "2025-06-10"})
    repair.refresh_from_db()
    assert (repair.status, repair.appointment_on, repair.closed_on) == (
        "done",
        D(2025, 6, 10),
        D(2025, 6, 10),
    )
    assert [t.to_status for t in repair.transitions.all()] == ["reported", "scheduled", "done"]
    page = text_of(officer.get(unit.get_absolute_url()))
    assert "Fuite sous l'évier le 02/06/2025 par le ménage Plomberie Martin 10/06/2025" in page
    assert "Le bailleur Faite" in page
    # A repair done is not reopened.
    with pytest.raises(ValidationError) as error:
        upkeep.move_repair(repair, "cancelled", on=D(2025, 6, 11), by=officer_user)
    assert error.value.messages == ["Une réparation « Faite » ne peut pas passer à « Annulée »."]


def test_the_month_page_lists_the_repairs_open_and_those_closed_in_the_month(
    officer, stay, officer_user, org_a, today
):
    def reported(description, on):
        repair = Repair(
            unit=stay.unit,
            stay=stay,
            reported_on=on,
            reported_by="household",
            description=description,
        )
        return upkeep.save_repair(repair, by=officer_user)

    to_schedule = reported("Volet bloqué", today - datetime.timedelta(days=3))
    overdue = reported("Chauffe-eau en panne", today - datetime.timedelta(days=20))
    upkeep.move_repair(
        overdue,
        "scheduled",
        on=overdue.reported_on,
        by=officer_user,
        appointment_on=today - datetime.timedelta(days=2),
    )
    done_before = reported("Serrure changée", today - datetime.timedelta(days=90))
    upkeep.move_repair(done_before, "done", on=today - datetime.timedelta(days=80), by=officer_user)
    other = HousingUnitFactory(ref="L-AUTRE")  # another organisation's unit
    Repair.objects.create(
        organisation=other.organisation,
        ref="T-AUTRE",
        unit=other,
        reported_on=today,
        reported_by="landlord",
        description="Toiture d'une autre organisation",
    )
    tree = page_of(officer.get(reverse("tenancy:month")))
    (table,) = [
        t for t in tree.iter("table") if "Réparations à suivre" in t.find("caption").text_content()
    ]
    rows = [" ".join(row.text_content().split()) for row in table.iter("tr")][1:]
    assert len(rows) == 2
    assert "Chauffe-eau en panne" in rows[0] and "Rendez-vous passé" in rows[0]
    assert "Volet bloqué" in rows[1] and "Rendez-vous à prendre" in rows[1]
    assert f"L-U1 (ménage M-U1) {to_schedule.description}" in rows[1]


def test_the_insurance_is_recorded_and_recalled_a_month_before_it_ends(
    officer, stay, officer_user, today
):
    household = stay.household
    response = officer.post(
        reverse("tenancy:insurance_create", args=[household.uuid]),
        {
            "insurer": "Mutuelle Habitat",
            "certificate_on": (today - datetime.timedelta(days=340)).isoformat(),
            "expires_on": (today + datetime.timedelta(days=25)).isoformat(),
        },
    )
    assert response.url == household.get_absolute_url()
    insurance = Insurance.objects.get()
    page = text_of(officer.get(household.get_absolute_url()))
    assert f"valable jusqu'au {insurance.expires_on:%d/%m/%Y}" in page

    assert notices.remind_insurances(today) == 1
    assert notices.remind_insurances(today) == 0  # told once
    notification = Notification.objects.get(recipient=officer_user, kind="insurance_expiring")
    assert "M-U1" in notification.message and "expire le" in notification.message
    titles = titles_of_tasks(officer_user, today)
    assert "Attestation d'assurance habitation (ménage M-U1)" in titles

    # The new certificate ends the reminder.
    officer.post(
        reverse("tenancy:insurance_create", args=[household.uuid]),
        {
            "certificate_on": today.isoformat(),
            "expires_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
    )
    titles = titles_of_tasks(officer_user, today)
    assert "Attestation d'assurance habitation (ménage M-U1)" not in titles


def test_an_insurance_cannot_end_before_its_certificate(officer, stay):
    page = text_of(
        officer.post(
            reverse("tenancy:insurance_create", args=[stay.household.uuid]),
            {"certificate_on": "2025-05-01", "expires_on": "2025-04-01"},
        )
    )
    assert "L'assurance ne peut expirer avant l'attestation." in page
    assert not Insurance.objects.exists()


def test_the_social_worker_reads_the_inspection_but_changes_nothing(client, org_a, stay):
    inspection = Inspection.objects.create(
        organisation=org_a,
        ref="I-1",
        unit=stay.unit,
        stay=stay,
        kind="entry",
        done_on=D(2025, 3, 10),
    )
    worker = UserFactory(organisation=org_a, social_worker=True)
    client.force_login(worker)
    page = text_of(client.get(inspection.get_absolute_url()))
    assert "Ajouter une pièce" not in page
    assert AccessLog.objects.filter(object_uuid=inspection.uuid, user=worker).exists()
    response = client.post(
        reverse("tenancy:inspection_room", args=[inspection.uuid]),
        {"name": "Séjour", "state": "good"},
    )
    assert response.status_code == 403
    assert not InspectionRoom.objects.exists()


def test_the_landlord_and_another_organisation_see_nothing(client, org_a, org_b, stay):
    inspection = Inspection.objects.create(
        organisation=org_a,
        ref="I-1",
        unit=stay.unit,
        stay=stay,
        kind="entry",
        done_on=D(2025, 3, 10),
    )
    client.force_login(UserFactory(organisation=org_a, role="landlord"))
    assert client.get(inspection.get_absolute_url()).status_code == 403
    client.force_login(UserFactory(organisation=org_b, tenancy_officer=True))
    assert client.get(inspection.get_absolute_url()).status_code == 404
    response = client.get(reverse("tenancy:insurance_create", args=[stay.household.uuid]))
    assert response.status_code == 404
