"""The activity report computed once and kept: shown again while its data is unchanged,
computed again after a change, computed in the background when large (the page showing its
progress), and its missing values by household listed 50 a page."""

import datetime
import json

import lxml.html
import pytest
from django.urls import reverse

from seuil.households.models import Person
from seuil.reports import stored as stored_reports
from seuil.reports.facts import activity_report
from seuil.reports.models import ReportStatus, StoredReport
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.notifications.conftest import run_worker
from tests.reports import test_page
from tests.reports.test_page import PERIOD, get_page, table

pytestmark = pytest.mark.django_db

D = datetime.date
# The households of the page's tests: three of asso-a (one with missing data), one of asso-b.
data = test_page.data


def expected():
    """The report of the page's period, computed here."""
    return activity_report("asso-a", [], D(2024, 1, 1), D(2024, 12, 31))


@pytest.fixture
def computations(monkeypatch):
    """The periods the page's report was computed for, in order."""
    done = []
    original = stored_reports.produce

    def counting(organisation, programme_refs, start, end):
        done.append((start, end))
        return original(organisation, programme_refs, start, end)

    monkeypatch.setattr(stored_reports, "produce", counting)
    return done


@pytest.fixture
def in_background(settings, django_capture_on_commit_callbacks):
    """Every report computed by the worker; `in_background(client, params, **headers)` is a
    view whose commit runs (queueing the task)."""
    settings.SEUIL_REPORT_INLINE_MAX_STAYS = 0

    def view(client, params, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(reverse("reports:activity"), params, headers=headers)
        return response, lxml.html.fromstring(response.content.decode())

    return view


def body(response):
    """The page's main content (the header holds a per-response nonce)."""
    return lxml.html.tostring(lxml.html.fromstring(response.content).xpath("//main")[0])


def test_a_stored_report_is_shown_again_without_computing(client_a, data, computations):
    first, doc = get_page(client_a, PERIOD)
    assert table(doc, "presents-chiffres")["Ménages"] == ["2"]
    second, again = get_page(client_a, PERIOD)
    assert len(computations) == 1
    assert body(second) == body(first)
    # The downloads come from the same stored report.
    response = client_a.get(reverse("reports:download"), {**PERIOD, "format": "json"})
    assert (
        client_a.get(reverse("reports:download"), {**PERIOD, "format": "xlsx"}).status_code == 200
    )
    assert len(computations) == 1
    assert json.loads(response.content) == expected()
    # Another scope or period is another report.
    get_page(client_a, {**PERIOD, "programmes": "iml-a"})
    assert len(computations) == 2


def test_any_change_to_what_the_report_reads_computes_it_again(client_a, data, org_b, computations):
    _, doc = get_page(client_a, PERIOD)
    assert table(doc, "donnees-manquantes")["Personnes sans date de naissance"] == ["1"]
    # Another organisation's files are not read by this report: it stays as it is.
    HouseholdFactory(organisation=org_b)
    get_page(client_a, PERIOD)
    assert len(computations) == 1
    # A bulk update (no signal, no history): the next view computes it again, exactly.
    Person.objects.filter(last_name="Sansdate").update(birth_date=D(1980, 1, 1))
    _, doc = get_page(client_a, PERIOD)
    assert len(computations) == 2
    assert table(doc, "donnees-manquantes")["Personnes sans date de naissance"] == ["0"]
    response = client_a.get(reverse("reports:download"), {**PERIOD, "format": "json"})
    assert len(computations) == 2
    assert json.loads(response.content) == expected()
    # A deletion too.
    data["h3"].stays.all().delete()
    _, doc = get_page(client_a, PERIOD)
    assert len(computations) == 3
    assert table(doc, "sorties-chiffres")["Ménages sortis"] == ["0"]


def test_a_large_report_shows_its_progress_then_the_report(
    client_a, data, in_background, computations
):
    response, doc = in_background(client_a, PERIOD)
    assert response.status_code == 200
    assert "Rapport en cours de calcul" in doc.text_content()
    assert doc.xpath('//*[@role="status"]')
    (refresh,) = doc.xpath('//a[text()="Actualiser la page"]')
    assert refresh.get("href").startswith(reverse("reports:activity") + "?")
    assert not doc.xpath('//*[@id="rapport-chiffres-cles"]')
    assert computations == []
    # The page polled by htmx gets the panel alone while it waits.
    polled = client_a.get(reverse("reports:activity"), PERIOD, headers={"HX-Request": "true"})
    assert b"Rapport en cours de calcul" in polled.content
    assert b"<h1>" not in polled.content
    # A download waits too.
    waiting = client_a.get(reverse("reports:download"), {**PERIOD, "format": "json"})
    assert waiting.status_code == 202
    assert "Rapport en cours de calcul" in waiting.content.decode()
    # A second view does not queue it twice.
    in_background(client_a, PERIOD)

    run_worker()

    assert computations == [(D(2024, 1, 1), D(2024, 12, 31))]
    (stored,) = StoredReport.objects.all()
    assert stored.status == ReportStatus.DONE and stored.seconds is not None
    polled = client_a.get(reverse("reports:activity"), PERIOD, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    response, doc = get_page(client_a, PERIOD)
    assert "Rapport en cours de calcul" not in doc.text_content()
    assert table(doc, "presents-chiffres")["Ménages"] == ["2"]
    response = client_a.get(reverse("reports:download"), {**PERIOD, "format": "json"})
    assert response.status_code == 200
    assert len(computations) == 1
    assert json.loads(response.content) == expected()


def test_a_report_stale_again_goes_back_to_the_worker(client_a, data, in_background):
    in_background(client_a, PERIOD)
    run_worker()
    Person.objects.filter(last_name="Sansdate").update(sex="")
    _, doc = in_background(client_a, PERIOD)
    assert "Rapport en cours de calcul" in doc.text_content()
    run_worker()
    _, doc = get_page(client_a, PERIOD)
    assert table(doc, "donnees-manquantes")["Personnes sans sexe renseigné"] == ["1"]


def test_a_failed_computation_is_said_and_can_be_started_again(
    client_a, data, in_background, monkeypatch
):
    in_background(client_a, PERIOD)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    with monkeypatch.context() as patch:
        patch.setattr(stored_reports, "produce", broken)
        run_worker()
    _, doc = get_page(client_a, PERIOD)
    assert "Le calcul du rapport a échoué" in doc.text_content()
    assert "erreur inattendue" in doc.text_content()
    (again,) = doc.xpath('//a[text()="Relancer le calcul"]')
    _, doc = in_background(client_a, {**PERIOD, "relancer": "1"})
    assert "Rapport en cours de calcul" in doc.text_content()
    run_worker()
    _, doc = get_page(client_a, PERIOD)
    assert table(doc, "presents-chiffres")["Ménages"] == ["2"]


def test_missing_values_are_listed_fifty_households_a_page(client_a, org_a, data):
    for n in range(60):
        unit = HousingUnitFactory(organisation=org_a, captured_on=D(2020, 1, 1))
        household = HouseholdFactory(organisation=org_a, ref=f"M-PAGE-{n:02d}")
        person = PersonFactory(organisation=org_a, sex="F", birth_date=None)
        MembershipFactory(household=household, person=person, role="head")
        StayFactory(household=household, unit=unit, entered_on=D(2024, 2, 1))

    def listed(params):
        _, doc = get_page(client_a, params)
        (section,) = doc.xpath('//section[@aria-labelledby="manquantes-dossiers"]')
        return section, [a.text_content().strip() for a in section.xpath(".//ul/li/a")]

    section, first = listed(PERIOD)
    assert "61 ménages comptés dans ce rapport ont des données manquantes" in (
        section.text_content()
    )
    assert first == ["Ménage M-INCOMPLET"] + [f"Ménage M-PAGE-{n:02d}" for n in range(49)]
    (following,) = section.xpath('.//nav[@aria-label="Pagination"]//a')
    assert "Page suivante" in following.text_content()
    assert "page=2" in following.get("href") and "start=2024-01-01" in following.get("href")
    _, second = listed({**PERIOD, "page": 2})
    assert second == [f"Ménage M-PAGE-{n:02d}" for n in range(49, 60)]
    # Each household's lines still name its persons.
    assert "date de naissance non renseignée" in section.text_content()


def test_reports_not_computed_for_a_month_are_forgotten(client_a, data):
    from seuil.core.daily import daily_tasks
    from seuil.reports.tasks import purge_reports_task

    assert purge_reports_task in daily_tasks()
    get_page(client_a, PERIOD)
    computed = StoredReport.objects.get().finished_at
    assert purge_reports_task(computed + datetime.timedelta(days=29)).startswith("0 ")
    soon = computed + datetime.timedelta(days=31)
    assert purge_reports_task(soon, dry_run=True) == (
        "1 rapport d'activité gardé ancien serait effacé (simulation)."
    )
    assert StoredReport.objects.exists()
    assert purge_reports_task(soon) == "1 rapport d'activité gardé ancien effacé."
    assert not StoredReport.objects.exists()
    # The next view computes it again.
    _, doc = get_page(client_a, PERIOD)
    assert table(doc, "presents-chiffres")["Ménages"] == ["2"]
