"""The support pages as a social worker, a manager, a tenancy officer and the others would
use them: the household file's section and its forms, the week, caseloads, what is due;
who sees what, and every read and write in the access log."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.support.enums import ContactKind, ContactStatus
from seuil.support.models import Amendment, Contact, Objective, Referent, SupportContract
from seuil.support.services import (
    amend_contract,
    assign_referent,
    record_contact,
    set_objective,
    sign_contract,
)
from tests.conftest import TODAY
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(org_a, today):
    programme = ProgrammeFactory(organisation=org_a, max_support_months=18)
    household = HouseholdFactory(organisation=org_a, ref="M-SUIVI")
    MembershipFactory(household=household, role="head", person__first_name="Awa")
    stay = StayFactory(
        household=household,
        unit=HousingUnitFactory(organisation=org_a, ref="L-SUIVI"),
        programme=programme,
        entered_on=D(2024, 11, 15),
    )
    worker = UserFactory(
        organisation=org_a, role=Role.SOCIAL_WORKER, first_name="Inès", last_name="Morel"
    )
    officer = UserFactory(
        organisation=org_a, role=Role.TENANCY_OFFICER, first_name="Paul", last_name="Roche"
    )
    return {
        "programme": programme,
        "household": household,
        "stay": stay,
        "worker": worker,
        "officer": officer,
    }


def signed_in(client, user):
    client.force_login(user)
    return client


def file_of(client, household):
    return client.get(reverse("households:detail", args=[household.uuid])).content.decode()


def test_a_social_worker_signs_late_then_amends_within_the_cap(client, world, today):
    client = signed_in(client, world["worker"])
    stay = world["stay"]
    url = reverse("support:contract_sign", args=[stay.uuid])
    page = client.get(url).content.decode()
    assert "fin au plus tard le 14/05/2026" in page
    response = client.post(
        url, {"signed_on": "2025-01-10", "starts_on": "2025-01-10", "ends_on": "2025-07-09"}
    )
    assert response.status_code == 302
    contract = SupportContract.objects.get(stay=stay)
    assert contract.signed_late  # 56 days after the entry
    html = file_of(client, world["household"])
    assert "signé 56 jours après l&#x27;entrée" in html or "signé 56 jours après l'entrée" in html

    url = reverse("support:amendment_add", args=[contract.uuid])
    response = client.post(url, {"signed_on": "2025-06-20", "ends_on": "2026-05-15"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "au plus tard le 14/05/2026" in text
    assert not Amendment.objects.exists()
    response = client.post(url, {"signed_on": "2025-06-20", "ends_on": "2025-06-30"})
    assert "reporter la fin après le 09/07/2025" in response.content.decode()
    response = client.post(
        url, {"signed_on": "2025-06-20", "ends_on": "2026-05-14", "reason": "objectifs en cours"}
    )
    assert response.status_code == 302
    assert contract.amendments.get().ends_on == D(2026, 5, 14)
    actions = set(
        AccessLog.objects.filter(user=world["worker"]).values_list("object_type", "action")
    )
    assert {("supportcontract", "create"), ("amendment", "create")} <= actions
    assert (
        ChangeRecord.objects.of_household(world["household"].uuid)
        .filter(object_type="amendment")
        .exists()
    )


def test_objectives_contacts_and_referent_from_the_household_file(client, world, today):
    client = signed_in(client, world["worker"])
    household = world["household"]
    response = client.post(
        reverse("support:objective_add", args=[household.uuid]),
        {
            "domain": "french",
            "set_on": "2025-06-01",
            "actions": "Cours de français (A2)",
            "own_words": "Je veux parler avec l'école",
            "agreed": "on",
        },
    )
    assert response.status_code == 302
    objective = Objective.objects.get()
    response = client.post(
        reverse("support:objective_close", args=[objective.uuid]),
        {"closed_on": "2025-06-10", "outcome": "partly_achieved"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("support:contact_add", args=[household.uuid]),
        {
            "on": "2025-06-17",
            "at": "10:30",
            "kind": "joint_home_visit",
            "planned": "planned",
            "worker": str(world["worker"].uuid),
            "tenancy_officer": str(world["officer"].uuid),
            "interpreter": "on",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.status, contact.interpreter) == (ContactStatus.PLANNED, True)
    response = client.post(
        reverse("support:contact_report", args=[contact.uuid]),
        {"done": "missed", "missed_reason": "household_absent"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.status, contact.missed_reason) == ("missed", "household_absent")
    assert [t.to_status for t in contact.transitions.all()] == ["planned", "missed"]
    response = client.post(
        reverse("support:referent_assign", args=[household.uuid]),
        {"worker": str(world["worker"].uuid), "since": "2025-06-01"},
    )
    assert response.status_code == 302
    html = file_of(client, household)
    assert "Apprentissage du français" in html
    assert "Je veux parler avec" in html
    assert "ménage absent, sans prévenir" in html
    assert "Inès Morel" in html


def test_own_words_need_the_households_agreement(client, world):
    client = signed_in(client, world["worker"])
    response = client.post(
        reverse("support:objective_add", args=[world["household"].uuid]),
        {"domain": "budget", "set_on": "2025-06-01", "own_words": "…"},
    )
    assert "qu&#x27;avec son accord" in response.content.decode()
    assert not Objective.objects.exists()


@pytest.fixture
def supported(world, today):
    """A contract, an objective with its text, a planned joint visit and a phone call."""
    worker, officer, household = world["worker"], world["officer"], world["household"]
    sign_contract(
        world["stay"],
        signed_on=D(2024, 12, 1),
        starts_on=D(2024, 12, 1),
        ends_on=D(2025, 5, 31),
        by=worker,
    )
    set_objective(
        household,
        domain="budget",
        set_on=D(2024, 12, 1),
        actions="Texte-ACTIONS-secret",
        by=worker,
    )
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    record_contact(
        household,
        on=monday + DAY,
        kind=ContactKind.JOINT_HOME_VISIT,
        planned=True,
        worker=worker,
        tenancy_officer=officer,
        by=worker,
    )
    record_contact(household, on=monday + 2 * DAY, kind=ContactKind.PHONE, worker=worker, by=worker)
    assign_referent(household, worker, since=D(2024, 11, 15), by=worker)
    return world


def test_the_tenancy_officer_sees_its_joint_visits_and_no_objective_text(client, supported):
    client = signed_in(client, supported["officer"])
    html = file_of(client, supported["household"])
    assert "Accompagnement" in html
    assert "Visite à domicile conjointe" in html
    assert "Entretien téléphonique" not in html  # a contact it takes no part in
    assert "Budget" in html
    assert "Texte-ACTIONS-secret" not in html
    assert "Fixer un objectif" not in html
    week = client.get(reverse("support:week")).content.decode()
    assert "Visite à domicile conjointe" in week and "Entretien téléphonique" not in week
    assert (
        client.post(
            reverse("support:objective_add", args=[supported["household"].uuid]), {}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("role", [Role.PSYCHOLOGIST, Role.STATE, Role.LANDLORD])
def test_the_other_roles_see_nothing_of_support(client, supported, org_a, role):
    client = signed_in(client, UserFactory(organisation=org_a, role=role))
    for name in ("support:week", "support:caseloads", "support:due"):
        assert client.get(reverse(name)).status_code == 403


def test_the_workers_week_lists_its_contacts_day_by_day_and_logs_the_reads(client, supported):
    client = signed_in(client, supported["worker"])
    before = AccessLog.objects.filter(action="view", object_type="contact").count()
    html = client.get(reverse("support:week")).content.decode()
    assert "2 rendez-vous" in html
    assert "Visite à domicile conjointe" in html and "Entretien téléphonique" in html
    assert "compte rendu" in html  # the planned visit
    assert AccessLog.objects.filter(action="view", object_type="contact").count() == before + 2
    later = client.get(reverse("support:week"), {"semaine": "2025-07-01"}).content.decode()
    assert "0 rendez-vous" in later


def test_caseloads_against_the_programmes_target(client, supported, org_a):
    manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    client = signed_in(client, manager)
    programme = supported["programme"]
    response = client.post(
        reverse("support:settings", args=[programme.uuid]),
        {
            "max_support_months": "18",
            "households_per_worker": "10",
            "reinforced_weight": "2",
            "no_contact_days": "45",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("support:caseloads")).content.decode()
    assert "1 pour 10" in html
    assert "10 %" in html  # one household for a target of ten
    # Lowering the cap under a signed contract is refused.
    stay = supported["stay"]
    amend_contract(
        stay.support_contracts.get(),
        signed_on=TODAY,
        ends_on=D(2026, 1, 31),
        by=supported["worker"],
    )
    response = client.post(
        reverse("support:settings", args=[programme.uuid]),
        {
            "max_support_months": "12",
            "households_per_worker": "10",
            "reinforced_weight": "2",
            "no_contact_days": "45",
        },
    )
    assert "ne peut être abaissée" in response.content.decode()


def test_reassigning_a_leaving_worker(client, supported, org_a):
    manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    successor = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER, first_name="Léa")
    client = signed_in(client, manager)
    response = client.post(
        reverse("support:reassign"),
        {
            "worker": str(supported["worker"].uuid),
            "successor": str(successor.uuid),
            "since": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    current = Referent.objects.on(TODAY).get()
    assert current.worker == successor
    assert Referent.objects.get(worker=supported["worker"]).until == TODAY


def test_what_is_due(client, supported, org_a):
    client = signed_in(client, supported["worker"])
    other = HouseholdFactory(organisation=org_a, ref="M-SANS-CONTRAT")
    StayFactory(
        household=other, unit=HousingUnitFactory(organisation=org_a), entered_on=TODAY - 40 * DAY
    )
    html = client.get(reverse("support:due")).content.decode()
    assert "M-SANS-CONTRAT" in html  # 40 days without a contract, nor a contact
    # The contract of M-SUIVI ended on 31/05/2025: it is not in force any more.
    assert "Chaque ménage logé depuis plus d&#x27;un mois a son contrat." not in html


def test_the_printable_contract_and_the_calendar_without_personal_data(client, supported):
    client = signed_in(client, supported["worker"])
    contract = supported["stay"].support_contracts.get()
    response = client.get(reverse("support:contract_print", args=[contract.uuid]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(object_uuid=contract.uuid, action="export").exists()
    calendar = client.get(reverse("support:calendar")).content.decode().replace("\r\n ", "")
    assert calendar.startswith("BEGIN:VCALENDAR") and calendar.count("BEGIN:VEVENT") == 2
    # The kind, the initials and the reference of the household, a link: nothing more.
    assert "SUMMARY:Visite à domicile conjointe (avec le régisseur) – A. N. (M-SUIVI)" in calendar
    assert str(supported["household"].uuid) in calendar
    assert "Awa" not in calendar
    # The tenancy officer does not print contracts (their objectives' text).
    officer = signed_in(client, supported["officer"])
    assert officer.get(reverse("support:contract_print", args=[contract.uuid])).status_code == 403


def test_the_reminder_the_day_before(supported):
    from seuil.support.due import appointments_tomorrow

    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    reminders = appointments_tomorrow(supported["household"].organisation, monday)
    assert {user.username for user in reminders} == {
        supported["worker"].username,
        supported["officer"].username,
    }


def test_an_operator_signs_the_contract_of_a_household_whose_file_a_siao_holds(
    client, org_a, org_b, today
):
    """The SIAO (B) holds the file; the household lives in A's unit: A signs the contract
    of its own stay, and neither sees nor writes B's file beyond what the link gives."""
    household = HouseholdFactory(organisation=org_b, ref="M-SIAO")
    MembershipFactory(household=household, role="head")
    stay = StayFactory(
        household=household,
        organisation=org_a,
        unit=HousingUnitFactory(organisation=org_a),
        entered_on=TODAY - 10 * DAY,
    )
    client = signed_in(client, UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    html = file_of(client, household)
    assert "Enregistrer un contrat d'accompagnement" in html
    assert "Fixer un objectif" not in html  # the file is B's
    response = client.post(
        reverse("support:contract_sign", args=[stay.uuid]),
        {"signed_on": TODAY.isoformat(), "starts_on": TODAY.isoformat(), "ends_on": "2025-12-14"},
    )
    assert response.status_code == 302
    assert SupportContract.objects.get().organisation == org_a
    assert client.get(reverse("support:objective_add", args=[household.uuid])).status_code == 404


def test_the_cost_per_household_and_per_year(supported, org_a):
    from seuil.support.dashboard import costs
    from seuil.support.models import SupportSettings

    SupportSettings.objects.create(programme=supported["programme"], annual_budget=5000)
    (row,) = costs(org_a, TODAY - 364 * DAY, TODAY)
    # One household, housed from 15/11/2024: 213 of the 365 days.
    assert round(row.average_households, 3) == round(213 / 365, 3)
    assert row.per_household == 8568  # 5,000 € × 365 / 213
