"""The `orientation` section of the activity report, on the real path: a refusal at the
commission, a refused and an expired proposal, a withdrawn request and an entry each land
where they should, for the SIAO and for the operator."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from seuil.orientation.services.commission import add_to_agenda, decide, schedule_meeting
from seuil.orientation.services.proposals import (
    answer_proposal,
    enter_from_proposal,
    expire_proposals,
    make_proposal,
)
from seuil.orientation.services.requests import record_assessment, record_request, withdraw_request
from seuil.orientation.services.vacancies import declare_vacancy
from seuil.reports.facts import activity_report
from tests.households.factories import HouseholdFactory
from tests.orientation.flow import admitted, today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def path(siao, programme, coordinator, unit, manager):
    referrals = [
        admitted(
            HouseholdFactory(organisation=siao),
            siao=siao,
            programme=programme,
            coordinator=coordinator,
            received_on=today() - (100 + n) * DAY,
            on=today() - 60 * DAY,
        )
        for n in range(4)
    ]
    # a request refused by the commission
    refused = record_request(
        HouseholdFactory(organisation=siao),
        siao=siao,
        received_on=today() - 90 * DAY,
        origin="shelter",
        acting_user=coordinator,
    )
    record_assessment(
        refused,
        acting_user=coordinator,
        assessed_on=today() - 90 * DAY,
        support_level="standard",
    )
    meeting = schedule_meeting(siao, held_on=today() - 59 * DAY, acting_user=coordinator)
    add_to_agenda(meeting, [refused], acting_user=coordinator)
    decide(meeting, refused, outcome="refused", refusal_reason="no_rights", acting_user=coordinator)
    vacancy = declare_vacancy(unit, opened_on=today() - 20 * DAY, acting_user=manager)
    # a proposal refused by the household
    first = make_proposal(
        vacancy,
        referrals[0],
        proposed_on=today() - 19 * DAY,
        acting_user=coordinator,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )
    answer_proposal(
        first,
        party="household",
        accepted=False,
        reason="location",
        on=today() - 18 * DAY,
        acting_user=coordinator,
    )
    # a proposal without answer, expired
    with override_settings(SEUIL_PROPOSAL_DELAY_DAYS=10):
        make_proposal(
            vacancy,
            referrals[1],
            proposed_on=today() - 17 * DAY,
            acting_user=coordinator,
            skip_reason="Ordre de la liste non suivi pour ce test.",
        )
        assert expire_proposals(today()) == 1
    # a withdrawn request
    request = referrals[2].request
    request.refresh_from_db()
    withdraw_request(
        request, on=today() - 10 * DAY, reason="housed_elsewhere", acting_user=coordinator
    )
    # an entry
    third = make_proposal(
        vacancy,
        referrals[3],
        proposed_on=today() - 5 * DAY,
        acting_user=coordinator,
        ask_landlord=False,
        skip_reason="Ordre de la liste non suivi pour ce test.",
    )
    answer_proposal(
        third, party="household", accepted=True, on=today() - 4 * DAY, acting_user=coordinator
    )
    third.refresh_from_db()
    enter_from_proposal(third, entered_on=today() - 3 * DAY, acting_user=manager)
    return referrals


def section(organisation, start=None, end=None):
    start = start or today() - 364 * DAY
    return activity_report(organisation.ref, [], start, end or today())["orientation"]


def test_the_siao_sees_each_event_where_it_belongs(path, siao):
    figures = section(siao)
    assert figures["requests_received"] == 5
    assert figures["admitted"] == 4
    assert figures["refused"] == 1
    assert figures["refused_by_reason"]["no_rights"] == 1
    assert figures["postponed"] == 0
    # the refused and the expired proposals leave their households waiting
    assert figures["waiting_at_end"] == 2
    assert figures["withdrawn"] == 1
    assert figures["housed"] == 1
    assert figures["mean_days_admission_to_entry"] == 57.0
    # the SIAO has no unit: no vacancy of its own
    assert figures["vacancies_closed"] == 0
    assert figures["mean_vacancy_days"] is None


def test_the_operator_counts_its_programme_and_its_units(path, operator):
    figures = section(operator)
    assert figures["requests_received"] == 0  # addressed to the SIAO, households it holds
    assert figures["admitted"] == 4  # admitted to its programme
    assert figures["refused"] == 0
    assert figures["waiting_at_end"] == 2
    assert figures["withdrawn"] == 1
    assert figures["housed"] == 1
    assert figures["mean_days_admission_to_entry"] == 57.0
    assert figures["vacancies_closed"] == 1
    assert figures["mean_vacancy_days"] == 17.0


def test_a_past_period_shows_what_was_true_then(path, siao):
    end = today() - 11 * DAY  # before the withdrawal and the entry
    figures = section(siao, end=end)
    assert figures["waiting_at_end"] == 4
    assert figures["withdrawn"] == 0
    assert figures["housed"] == 0
    assert figures["mean_days_admission_to_entry"] is None


def test_the_report_page_shows_the_section_in_french(path, client, manager):
    client.force_login(manager)
    start = (today() - 364 * DAY).isoformat()
    response = client.get(reverse("reports:activity"), {"start": start, "end": today().isoformat()})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="rapport-orientation"' in text
    assert "Refus en commission par motif" in text
    assert "Délai moyen de l'admission à l'entrée (jours)" in text
    assert "57,0" in text


def test_the_workbook_has_an_orientation_sheet(path, operator):
    import io

    from openpyxl import load_workbook

    from seuil.reports.render.xlsx import render_xlsx

    report = activity_report(operator.ref, [], today() - 364 * DAY, today())
    sheet = load_workbook(io.BytesIO(render_xlsx(report)))["Orientation"]
    values = {
        row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0] is not None
    }
    assert values["Admissions en commission"] == 4
    assert values["Ménages en liste d'attente en fin de période"] == 2
    assert values["Délai moyen de l'admission à l'entrée (jours)"] == 57.0
    assert values["Durée moyenne des vacances closes (jours)"] == 17.0
    assert values["Droits au séjour ou ressources non ouverts"] == 0


def test_the_word_document_has_the_orientation_tables(path, operator):
    import io

    from docx import Document

    from seuil.reports.render.docx import render_docx

    report = activity_report(operator.ref, [], today() - 364 * DAY, today())
    document = Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Orientation" in headings and "Refus en commission par motif" in headings
    values = {
        row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows
    }
    assert values["Admissions en commission"] == "4"
    assert values["Délai moyen de l'admission à l'entrée (jours)"] == "57,0"
    assert values["Durée moyenne des vacances closes (jours)"] == "17,0"
