"""Requests, assessments and the commission: each step writes its status change, its
access-log rows and its change history; illegal steps are refused in French."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from seuil.core.models import AccessLog, ChangeRecord
from seuil.households.models import Household
from seuil.orientation import minutes
from seuil.orientation.enums import RequestStatus
from seuil.orientation.models import Referral, RequestTransition
from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.requests import record_assessment, record_request, withdraw_request
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def request_(household, siao, coordinator):
    return record_request(
        household,
        siao=siao,
        received_on=today() - 30 * DAY,
        origin="shelter",
        prescriber="CADA de Montdidier",
        acting_user=coordinator,
    )


def assess(request, user, days_ago=25, **fields):
    return record_assessment(
        request,
        acting_user=user,
        assessed_on=today() - days_ago * DAY,
        support_level=fields.pop("support_level", "standard"),
        **fields,
    )


def test_a_request_links_the_household_to_the_siao_and_is_logged(request_, household, coordinator):
    assert Household.objects.visible_to(coordinator).filter(pk=household.pk).exists()
    (transition,) = RequestTransition.objects.all()
    assert (transition.to_status, transition.on, transition.by) == (
        RequestStatus.RECEIVED,
        today() - 30 * DAY,
        coordinator,
    )
    record = ChangeRecord.objects.get(object_uuid=request_.uuid)
    assert record.household_uuid == household.uuid
    assert record.changes["prescriber"] == [None, "CADA de Montdidier"]
    assert AccessLog.objects.filter(object_uuid=request_.uuid, action="create").exists()


def test_a_request_is_addressed_to_a_siao_only(household, operator, coordinator):
    with pytest.raises(ValidationError) as refused:
        record_request(
            household, siao=operator, received_on=today(), origin="shelter", acting_user=coordinator
        )
    assert refused.value.message_dict == {"siao": ["La demande s'adresse à un SIAO."]}


def test_a_second_request_in_progress_to_the_same_siao_is_refused(
    request_, household, siao, coordinator
):
    with pytest.raises(ValidationError) as refused:
        record_request(
            household, siao=siao, received_on=today(), origin="shelter", acting_user=coordinator
        )
    assert "déjà une demande en cours auprès de ce SIAO" in str(refused.value)


def test_an_assessment_suggests_the_bearable_rent_and_keeps_the_earlier_ones(request_, coordinator):
    first = assess(request_, coordinator, monthly_resources=Decimal("1000"), housing_benefit=200)
    assert first.bearable_rent == Decimal("500")  # 200 + 30 % of 1000
    second = assess(request_, coordinator, days_ago=5, bearable_rent=Decimal("450"))
    assert second.bearable_rent == Decimal("450")  # the evaluator's own figure
    request_.refresh_from_db()
    assert request_.status == RequestStatus.ASSESSED
    assert request_.assessment_on(today() - 10 * DAY) == first
    assert request_.assessment_on(None) == second


def test_the_assessment_writes_the_household_s_own_social_note(request_, coordinator, household):
    assess(request_, coordinator, social_note="Ménage autonome.", expected_household_version=1)
    household.refresh_from_db()
    assert household.social_note == "Ménage autonome."
    record = ChangeRecord.objects.get(object_uuid=household.uuid, action="change")
    assert record.changes["social_note"] == [None, "(renseigné)"]  # never the text


def test_only_an_assessed_request_goes_on_the_agenda(request_, siao, coordinator):
    meeting = schedule_meeting(siao, held_on=today(), acting_user=coordinator)
    with pytest.raises(ValidationError) as refused:
        add_to_agenda(meeting, [request_], acting_user=coordinator)
    assert "seule une demande évaluée (ou ajournée) passe en commission" in str(refused.value)


def test_a_commission_decides_admitted_refused_or_postponed(request_, siao, coordinator, programme):
    assess(request_, coordinator)
    postponing = schedule_meeting(siao, held_on=today() - 20 * DAY, acting_user=coordinator)
    add_to_agenda(postponing, [request_], acting_user=coordinator)
    decide(postponing, request_, outcome="postponed", acting_user=coordinator)
    request_.refresh_from_db()
    assert request_.status == RequestStatus.POSTPONED
    admitting = schedule_meeting(siao, held_on=today() - 10 * DAY, acting_user=coordinator)
    add_to_agenda(admitting, [request_], acting_user=coordinator)
    decision = decide(
        admitting, request_, outcome="admitted", programme=programme, acting_user=coordinator
    )
    referral = Referral.objects.get()
    assert (referral.programme, referral.admitted_on, referral.decision) == (
        programme,
        today() - 10 * DAY,
        decision,
    )
    with pytest.raises(ValidationError) as again:
        decide(
            admitting,
            request_,
            outcome="refused",
            refusal_reason="other",
            acting_user=coordinator,
        )
    assert "La demande est « Admise » : la commission ne peut plus en décider." in str(again.value)


def test_a_refusal_has_its_reason_and_a_future_commission_decides_nothing(
    request_, siao, coordinator
):
    assess(request_, coordinator)
    later = schedule_meeting(siao, held_on=today() + 7 * DAY, acting_user=coordinator)
    add_to_agenda(later, [request_], acting_user=coordinator)
    with pytest.raises(ValidationError) as future:
        decide(later, request_, outcome="refused", refusal_reason="other", acting_user=coordinator)
    assert "n'a pas encore eu lieu" in str(future.value)
    now = schedule_meeting(siao, held_on=today(), acting_user=coordinator)
    add_to_agenda(now, [request_], acting_user=coordinator)
    with pytest.raises(ValidationError) as no_reason:
        decide(now, request_, outcome="refused", acting_user=coordinator)
    assert no_reason.value.message_dict == {"refusal_reason": ["Indiquez le motif du refus."]}
    decide(
        now, request_, outcome="refused", refusal_reason="incomplete_file", acting_user=coordinator
    )
    request_.refresh_from_db()
    assert request_.status == RequestStatus.REFUSED
    with pytest.raises(ValidationError) as terminal:
        withdraw_request(request_, on=today(), reason="other", acting_user=coordinator)
    assert "« Refusée » ne peut pas passer à « Retirée »" in str(terminal.value)


def test_the_minutes_say_the_date_the_members_and_each_decision(
    request_, siao, coordinator, programme, client
):
    assess(request_, coordinator)
    meeting = schedule_meeting(
        siao,
        held_on=today() - DAY,
        members_present="Mme Froment (SIAO)\nM. Vasseur (APREMIS)",
        acting_user=coordinator,
    )
    add_to_agenda(meeting, [request_], acting_user=coordinator)
    decide(
        meeting,
        request_,
        outcome="admitted",
        programme=programme,
        comment="Projet de vie dans la Somme.",
        acting_user=coordinator,
    )
    html = render_to_string("orientation/minutes.html", minutes.minutes_context(meeting))
    assert "Procès-verbal de la commission d'orientation" in html
    assert "M. Vasseur (APREMIS)" in html
    assert request_.ref in html and "DIALLO Aïcha" in html
    assert "Admis" in html and "IML Réfugiés (APREMIS)" in html
    assert "Projet de vie dans la Somme." in html
    client.force_login(coordinator)
    pdf = client.get(reverse("orientation:meeting_minutes", args=[meeting.uuid]))
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="proces-verbal-commission-' in pdf["Content-Disposition"]
    assert AccessLog.objects.filter(object_uuid=meeting.uuid, action="export").exists()


def test_an_evaluator_prepares_the_agenda_but_only_the_coordinator_decides(
    client, request_, siao, coordinator, evaluator
):
    assess(request_, evaluator)
    meeting = schedule_meeting(siao, held_on=today(), acting_user=coordinator)
    client.force_login(evaluator)
    client.post(
        reverse("orientation:meeting_agenda", args=[meeting.uuid]), {"requests": [request_.uuid]}
    )
    assert meeting.agenda_items.count() == 1
    response = client.get(reverse("orientation:decide", args=[meeting.uuid, request_.uuid]))
    assert response.status_code == 403
