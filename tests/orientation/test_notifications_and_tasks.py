"""Orientation tells the people concerned (notifications, e-mails) and gives each role its
« Mes tâches »: a proposal awaiting an answer or near its end, a request to assess, a
commission's agenda and decisions, a vacancy open too long."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from seuil.notifications.enums import Delivery
from seuil.notifications.models import Notification
from seuil.notifications.services import set_preferences
from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.proposals import answer_proposal, make_proposal
from seuil.orientation.services.requests import record_assessment, record_request
from seuil.orientation.services.vacancies import declare_vacancy
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.notifications.conftest import run_worker
from tests.orientation.conftest import DAY, days_ago
from tests.orientation.flow import admitted, today

TODO = reverse("notifications:todo")
INBOX = reverse("notifications:inbox")


def iso(day):
    return day.isoformat()


def told(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return list((rows.filter(kind=kind) if kind else rows).values_list("message", flat=True))


@pytest.fixture
def named(landlord_user, coordinator, evaluator, manager):
    """The people of the cast get a first name, a surname and an e-mail address."""
    people = [
        (landlord_user, "Philippe", "Delplanque"),
        (coordinator, "Amandine", "Froment"),
        (evaluator, "Julien", "Lecomte"),
        (manager, "Nadia", "Benkhelifa"),
    ]
    for user, first, last in people:
        user.first_name, user.last_name = first, last
        user.email = f"{user.username}@example.org"
        user.save()


@pytest.fixture
def referral(household, siao, programme, coordinator):
    return admitted(
        household,
        siao=siao,
        programme=programme,
        coordinator=coordinator,
        received_on=days_ago(60),
    )


@pytest.fixture
def vacancy(unit, manager):
    return declare_vacancy(unit, opened_on=days_ago(9), acting_user=manager)


def test_a_proposal_made_reaches_the_landlords_inbox_and_mailbox(
    client,
    named,
    referral,
    vacancy,
    coordinator,
    landlord_user,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orientation:propose", args=[vacancy.uuid]),
            {"referral": referral.uuid, "proposed_on": iso(today()), "ask_landlord": "on"},
        )
    assert response.status_code == 302
    proposal = vacancy.proposals.get()
    client.force_login(landlord_user)
    home = client.get(reverse("home")).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> non lue</span>' in home
    inbox = client.get(INBOX).content.decode()
    assert (
        f"Le logement L19 est proposé à un ménage (proposition {proposal.ref}) : votre réponse "
        f"est attendue au plus tard le {proposal.expires_on:%d/%m/%Y}." in inbox
    )
    assert reverse("orientation:proposal_detail", args=[proposal.uuid]) in inbox
    assert "Diallo" not in inbox and "Aïcha" not in inbox
    run_worker()
    [message] = [m for m in smtp_server if m.envelope_recipients == ["bailleur@example.org"]]
    assert message["Subject"] == "Seuil : Nouvelle proposition de logement"
    body = message.get_content()
    assert body.startswith("Bonjour Philippe,")
    assert "De la part de Amandine F." in body
    assert f"http://127.0.0.1:8000/orientation/propositions/{proposal.uuid}/" in body
    for private in ("Froment", "Delplanque", "Diallo", "Aïcha", proposal.ref, "L19"):
        assert private not in body, private
    tasks = client.get(TODO).content.decode()
    assert f"Répondre à la proposition {proposal.ref} (logement L19)" in tasks


def test_a_proposal_tells_the_siao_and_the_file_holder_and_its_answer_tells_the_proposer(
    referral, vacancy, coordinator, evaluator, manager, landlord_user, siao
):
    proposal = make_proposal(vacancy, referral, proposed_on=today(), acting_user=manager)
    # The SIAO holds the household's file: it records the household's answer.
    assert len(told(coordinator, "proposal_made")) == 1
    assert "sa réponse est attendue" in told(coordinator, "proposal_made")[0]
    assert "orienté par votre SIAO" in told(evaluator, "proposal_made")[0]
    assert told(manager) == []  # who acted is not told
    answer_proposal(proposal, party="household", accepted=True, on=today(), acting_user=coordinator)
    assert told(manager, "proposal_answered") == []  # the landlord has not answered yet
    answer_proposal(
        proposal, party="landlord", accepted=False, reason="other", on=today(),
        acting_user=landlord_user,
    )  # fmt: skip
    assert told(manager, "proposal_answered") == [
        f"La proposition {proposal.ref} (logement L19) est refusée par le bailleur."
    ]


def test_requests_the_agenda_and_decisions_tell_those_concerned(
    siao, coordinator, evaluator, operator, manager, programme
):
    household = HouseholdFactory(organisation=operator, ref="M-OP")
    MembershipFactory(household=household, role="head", person__organisation=operator)
    request = record_request(
        household, siao=siao, received_on=days_ago(3), origin="shelter", acting_user=manager
    )
    assert told(evaluator, "request_received") == [
        f"Demande {request.ref} reçue le {days_ago(3):%d/%m/%Y} (ménage M-OP) : elle attend "
        "son évaluation."
    ]
    assert len(told(coordinator, "request_received")) == 1
    assert told(manager, "request_received") == []
    record_assessment(
        request, acting_user=evaluator, assessed_on=days_ago(2), support_level="standard",
        needs=["rights"], wished_territories=["80"], wished_typologies=["T2"],
    )  # fmt: skip
    meeting = schedule_meeting(siao, held_on=today(), acting_user=coordinator)
    add_to_agenda(meeting, [request], acting_user=coordinator)
    assert told(manager, "commission_agenda") == [
        f"La demande {request.ref} (ménage M-OP) est inscrite à l'ordre du jour de la "
        f"commission du {today():%d/%m/%Y}."
    ]
    assert told(evaluator, "commission_agenda") == [
        f"1 demande ajoutée à l'ordre du jour de la commission du {today():%d/%m/%Y} : "
        f"{request.ref}."
    ]
    decide(meeting, request, outcome="admitted", programme=programme, acting_user=coordinator)
    assert told(manager, "commission_decision") == [
        f"La commission du {today():%d/%m/%Y} a rendu sa décision sur la demande "
        f"{request.ref} (ménage M-OP) : admis."
    ]


def test_the_siaos_tasks_requests_to_assess_and_its_commissions(
    client, siao, coordinator, evaluator, household, settings
):
    settings.SEUIL_ASSESSMENT_DELAY_DAYS = 15
    late = record_request(
        household, siao=siao, received_on=days_ago(20), origin="shelter", acting_user=evaluator
    )
    other = HouseholdFactory(organisation=siao, ref="M-AUTRE")
    fresh = record_request(
        other, siao=siao, received_on=days_ago(1), origin="shelter", acting_user=evaluator
    )
    client.force_login(evaluator)
    page = client.get(TODO).content.decode()
    overdue, to_do = page.split("<h2>À faire</h2>")
    assert f"Évaluer la demande {late.ref} (ménage M-ORIENT)" in overdue
    assert "5 jours" in overdue
    assert f"Évaluer la demande {fresh.ref}" in to_do
    assert reverse("orientation:assess", args=[fresh.uuid]) in to_do

    for request in (late, fresh):
        record_assessment(
            request, acting_user=evaluator, assessed_on=today(), support_level="standard",
            needs=["rights"], wished_territories=["80"], wished_typologies=["T2"],
        )  # fmt: skip
    past = schedule_meeting(siao, held_on=days_ago(2), acting_user=coordinator)
    add_to_agenda(past, [late], acting_user=coordinator)
    coming = schedule_meeting(siao, held_on=today() + 3 * DAY, acting_user=coordinator)
    add_to_agenda(coming, [fresh], acting_user=coordinator)
    page = client.get(TODO).content.decode()
    assert "Évaluer la demande" not in page
    assert f"Commission d&#x27;orientation du {coming.held_on:%d/%m/%Y} : 1 demande" in page
    assert "Enregistrer les décisions" not in page  # the evaluator does not decide
    client.force_login(coordinator)
    page = client.get(TODO).content.decode()
    overdue = page.split("<h2>À faire</h2>")[0]
    assert (
        f"Enregistrer les décisions de la commission du {past.held_on:%d/%m/%Y} (1 demande "
        "sans décision)" in overdue
    )


def test_a_landlords_late_answer_and_the_reminder_before_expiry(
    client, referral, vacancy, coordinator, landlord_user, manager, settings
):
    settings.SEUIL_PROPOSAL_DELAY_DAYS = 2
    settings.SEUIL_PROPOSAL_REMINDER_DAYS = 2
    proposal = make_proposal(vacancy, referral, proposed_on=today(), acting_user=manager)
    call_command("daily")
    call_command("daily")  # run twice: each party is reminded once
    reminders = told(landlord_user, "proposal_expiring")
    assert reminders == [
        f"Proposition {proposal.ref} (logement L19) : votre réponse est attendue au plus "
        f"tard le {proposal.expires_on:%d/%m/%Y}, sinon elle expirera."
    ]
    assert len(told(coordinator, "proposal_expiring")) == 1  # the household's answer too
    client.force_login(landlord_user)
    page = client.get(TODO).content.decode()
    assert f"Répondre à la proposition {proposal.ref}" in page.split("<h2>À faire</h2>")[1]


def test_a_vacancy_open_too_long_is_signalled_once_and_listed_until_proposed(
    client, unit, manager, operator, settings, referral
):
    settings.SEUIL_VACANCY_ALERT_DAYS = 30
    vacancy = declare_vacancy(unit, opened_on=days_ago(45), acting_user=manager)
    set_preferences(manager, {"vacancy_long": Delivery.IMMEDIATE})
    client.force_login(manager)
    page = client.get(TODO).content.decode()
    overdue = page.split("<h2>À faire</h2>")[0]
    # Vacant since its capture (never occupied), as the home page says: not since the
    # later declaration.
    days = (today() - unit.captured_on).days
    assert f"Proposer un ménage pour le logement L19 (vacant depuis {days} jours)" in overdue
    assert "15 jours" in overdue  # late since the 30th day
    call_command("daily")
    call_command("daily")
    assert told(manager, "vacancy_long") == [
        f"Le logement L19 est vacant depuis {days} jours (vacance {vacancy.ref}) sans "
        "proposition en cours."
    ]
    make_proposal(vacancy, referral, proposed_on=today(), acting_user=manager)
    assert "Proposer un ménage" not in client.get(TODO).content.decode()


@pytest.mark.parametrize("who", ["coordinator", "evaluator", "manager", "landlord_user"], ids=str)
def test_every_role_gets_its_task_page(client, request, who, referral, vacancy):
    client.force_login(request.getfixturevalue(who))
    page = client.get(TODO)
    assert page.status_code == 200
    assert "<h1>Mes tâches</h1>" in page.content.decode()
