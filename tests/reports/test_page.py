"""The activity report page `/rapports/activite/` and its downloads."""

import datetime
import json

import lxml.html
import pytest
from django.urls import reverse

from seuil.core.wording import period
from seuil.reports.facts import activity_report
from seuil.reports.forms import (
    CIVIL_CURRENT,
    CIVIL_LAST,
    EXERCISE_CURRENT,
    EXERCISE_LAST,
    preset_period,
)
from tests.core.factories import UserFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"preset": "personnalisee", "start": "2024-01-01", "end": "2024-12-31"}


@pytest.fixture
def data(org_a, org_b):
    """Organisation A: 2 programmes, 3 households; organisation B: one secret household."""
    iml = ProgrammeFactory(organisation=org_a, ref="iml-a", name="IML A")
    asg = ProgrammeFactory(organisation=org_a, ref="asg-a", name="ASG A")
    u1 = HousingUnitFactory(organisation=org_a, programme=iml, captured_on=D(2020, 1, 1))
    u2 = HousingUnitFactory(organisation=org_a, programme=asg, captured_on=D(2020, 1, 1))
    HousingUnitFactory(organisation=org_a, programme=iml, captured_on=D(2024, 3, 1))

    # H1: a woman and her child, present since 2023-03-01 (IML).
    h1 = HouseholdFactory(organisation=org_a, ref="M-FAMILLE")
    mother = PersonFactory(organisation=org_a, sex="F", birth_date=D(1988, 4, 2))
    child = PersonFactory(organisation=org_a, sex="M", birth_date=D(2015, 6, 1))
    MembershipFactory(household=h1, person=mother, role="head")
    MembershipFactory(household=h1, person=child, role="child")
    LegalStatusRecordFactory(person=mother, since=D(2021, 1, 1), status="refugee")
    LegalStatusRecordFactory(person=child, since=D(2021, 1, 1), status="refugee")
    ResourceRecordFactory(household=h1, on=D(2023, 3, 1), types=["rsa", "family_benefits"])
    StayFactory(household=h1, unit=u1, programme=iml, entered_on=D(2023, 3, 1))

    # H2: a man without birth date, legal status, resources nor prior situation (IML).
    h2 = HouseholdFactory(organisation=org_a, ref="M-INCOMPLET", prior_situation="")
    man = PersonFactory(
        organisation=org_a, first_name="Jean", last_name="Sansdate", sex="M", birth_date=None
    )
    MembershipFactory(household=h2, person=man, role="head")
    u4 = HousingUnitFactory(organisation=org_a, programme=iml, captured_on=D(2020, 1, 1))
    StayFactory(household=h2, unit=u4, programme=iml, entered_on=D(2024, 5, 1))

    # H3: a single woman, exited on 2024-06-30 to social housing, lease transferred (ASG).
    h3 = HouseholdFactory(organisation=org_a, ref="M-SORTIE")
    woman = PersonFactory(organisation=org_a, sex="F", birth_date=D(1970, 1, 1))
    MembershipFactory(household=h3, person=woman, role="head")
    LegalStatusRecordFactory(person=woman, since=D(2020, 1, 1), status="french_or_eu")
    ResourceRecordFactory(household=h3, on=D(2022, 1, 1), types=["salary"])
    StayFactory(
        household=h3,
        unit=u2,
        programme=asg,
        entered_on=D(2022, 1, 1),
        exited_on=D(2024, 6, 30),
        exit_destination="social_landlord",
        lease_transferred=True,
    )

    # Organisation B.
    prog_b = ProgrammeFactory(organisation=org_b, ref="prog-b-secret", name="Programme B")
    hb = HouseholdFactory(organisation=org_b, ref="M-AUTRE-ORG")
    pb = PersonFactory(organisation=org_b, first_name="Zéphyrine", last_name="Autreorg")
    MembershipFactory(household=hb, person=pb, role="head")
    unit_b = HousingUnitFactory(organisation=org_b, programme=prog_b, ref="L-B-SECRET")
    StayFactory(household=hb, unit=unit_b, programme=prog_b, entered_on=D(2023, 1, 1))
    return {"h1": h1, "h2": h2, "h3": h3, "iml": iml, "asg": asg}


def get_page(client, params):
    response = client.get(reverse("reports:activity"), params)
    return response, lxml.html.fromstring(response.content.decode())


def table(doc, table_id):
    """{row label: [cell texts]} of a report table, total row included under « Total »."""
    (node,) = doc.xpath(f'//table[@id="tableau-{table_id}"]')
    rows = {}
    for tr in node.xpath(".//tbody/tr | .//tfoot/tr"):
        header = tr.xpath("./th")
        if header:
            rows[header[0].text_content().strip()] = [
                td.text_content().strip() for td in tr.xpath("./td")
            ]
    return rows


def test_the_page_shows_the_exact_figures_of_the_report(client_a, data):
    response, doc = get_page(client_a, PERIOD)
    assert response.status_code == 200
    report = activity_report("asso-a", [], D(2024, 1, 1), D(2024, 12, 31))
    present = table(doc, "presents-chiffres")
    # Known by hand: H1 (2 persons) and H2 (1 person) are present on 31/12/2024.
    assert present["Ménages"] == ["2"] == [str(report["present"]["households"])]
    assert present["Personnes"] == ["3"] == [str(report["present"]["persons"])]
    assert present["Enfants"] == [str(report["present"]["children"])]
    assert table(doc, "entrees-chiffres")["Ménages entrés"] == ["1"]
    exits = table(doc, "sorties-chiffres")
    assert exits["Ménages sortis"] == ["1"] == [str(report["exits"]["households"])]
    destinations = table(doc, "sorties-destinations")
    assert destinations["Logement social (bail propre)"] == ["1", "1", "0"]
    assert destinations["Total"] == ["1", "1", "0"]
    composition = table(doc, "presents-composition")
    assert composition["Femme seule avec enfant(s)"][0] == "1"
    assert composition["Homme seul"][0] == "1"
    assert composition["Total"][0] == "2"
    ages = table(doc, "presents-ages")
    for code, label in (("0-17", "0-17 ans"), ("unknown", "Âge inconnu")):
        assert ages[label][0] == str(report["present"]["age_bands"][code]["persons"])
    resources = table(doc, "presents-ressources")
    assert resources["Prestations familiales + RSA"] == ["1"]
    assert resources["Ressources non renseignées"] == ["1"]
    stock = table(doc, "parc-synthese")
    assert stock["Logements captés pendant la période"] == ["1"]
    assert stock["dont bail glissé"] == [str(report["housing"]["returned"]["lease_transferred"])]
    rate = report["housing"]["occupancy_rate"] * 100
    assert stock["Taux d'occupation"] == [f"{rate:.1f}\u00a0%".replace(".", ",")]
    body = doc.text_content()
    assert "Conforme" in body and "Échec" not in body


def test_the_previous_year_is_beside_the_current_one(client_a, data):
    _, doc = get_page(client_a, PERIOD)
    headline = table(doc, "chiffres-cles")
    # 31/12/2023: H1 (2 persons) and H3 (1 person) present; 2023: H1 entered, nobody left.
    assert headline["Présents en fin de période – ménages"] == ["2", "2", "0"]
    assert headline["Présents en fin de période – personnes"] == ["3", "3", "0"]
    assert headline["Entrées – ménages"] == ["1", "1", "0"]
    assert headline["Entrées – personnes"] == ["2", "1", "−1"]
    assert headline["Sorties – ménages"] == ["0", "1", "+1"]
    header = [th.text_content() for th in doc.xpath('//table[@id="tableau-chiffres-cles"]//th')]
    assert any("1er janvier 2023 – 31 décembre 2023" in text for text in header)


def test_a_chart_is_an_accessible_svg_with_its_data_table(client_a, data):
    _, doc = get_page(client_a, PERIOD)
    (svg,) = doc.xpath('//svg[@id="graphique-sorties-destinations"]')
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.xpath(f'.//title[@id="{title_id}"]')[0].text == "Destination des ménages sortis"
    assert "Logement social (bail propre) : 1" in svg.xpath(f'.//desc[@id="{desc_id}"]')[0].text
    # The data table follows the figure (in its scroll container).
    figure = svg.getparent()
    assert figure.getnext().xpath("./table/@id") == ["tableau-sorties-destinations"]
    # Occupancy by month: one row per month of the period.
    months = table(doc, "parc-occupation-mois")
    assert list(months)[0] == "janvier 2024" and list(months)[-1] == "décembre 2024"
    assert len(months) == 12
    # No inline style nor script anywhere on the page.
    assert not doc.xpath("//*[@style]") and not doc.xpath("//script[not(@src)]")


def test_tables_have_captions_and_scopes_and_headings_are_in_order(client_a, data):
    _, doc = get_page(client_a, PERIOD)
    for node in doc.xpath("//table"):
        assert node.xpath("./caption")
        assert all(th.get("scope") in ("col", "row") for th in node.xpath(".//th"))
    levels = [int(h.tag[1]) for h in doc.xpath("//h1|//h2|//h3|//h4")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_programme_filter_is_applied(client_a, data):
    response, doc = get_page(client_a, {**PERIOD, "programmes": ["asg-a"]})
    assert response.status_code == 200
    report = activity_report("asso-a", ["asg-a"], D(2024, 1, 1), D(2024, 12, 31))
    assert report["present"]["households"] == 0
    assert table(doc, "presents-chiffres")["Ménages"] == ["0"]
    assert table(doc, "sorties-chiffres")["Ménages sortis"] == ["1"]
    # Named, never by its code.
    assert "dispositif : ASG A" in doc.text_content()
    assert "asg-a" not in doc.text_content()
    checked = doc.xpath('//input[@name="programmes"][@checked]/@value')
    assert checked == ["asg-a"]


@pytest.mark.parametrize(
    ("today", "preset", "period"),
    [
        (D(2024, 11, 23), EXERCISE_LAST, (D(2023, 11, 1), D(2024, 10, 31))),
        (D(2024, 11, 23), EXERCISE_CURRENT, (D(2024, 11, 1), D(2024, 11, 23))),
        (D(2024, 10, 31), EXERCISE_LAST, (D(2022, 11, 1), D(2023, 10, 31))),
        (D(2024, 10, 31), EXERCISE_CURRENT, (D(2023, 11, 1), D(2024, 10, 31))),
        (D(2024, 3, 5), CIVIL_LAST, (D(2023, 1, 1), D(2023, 12, 31))),
        (D(2024, 3, 5), CIVIL_CURRENT, (D(2024, 1, 1), D(2024, 3, 5))),
    ],
)
def test_presets_give_the_right_periods(today, preset, period):
    assert preset_period(preset, today) == period


def test_the_page_uses_the_preset_and_dates_win(client_a, data, today):
    start, end = preset_period(CIVIL_LAST, today)
    _, doc = get_page(client_a, {"preset": CIVIL_LAST})
    assert f"Période : {period(start, end)}" in doc.text_content()
    _, doc = get_page(client_a, {"preset": CIVIL_LAST, **{k: PERIOD[k] for k in ("start", "end")}})
    assert "Période : 1er janvier 2024 – 31 décembre 2024" in doc.text_content()
    # Without any parameter: the last completed 1 November – 31 October year.
    start, end = preset_period(EXERCISE_LAST, today)
    response, doc = get_page(client_a, {})
    assert response.status_code == 200
    assert f"Période : {period(start, end)}" in doc.text_content()


def test_missing_data_is_linked_to_the_household_file(client_a, data):
    _, doc = get_page(client_a, PERIOD)
    missing = table(doc, "donnees-manquantes")
    assert missing["Personnes sans date de naissance"] == ["1"]
    (section,) = doc.xpath('//section[@aria-labelledby="manquantes-dossiers"]')
    links = {a.text_content().strip(): a.get("href") for a in section.xpath(".//a")}
    assert links == {"Ménage M-INCOMPLET": reverse("households:detail", args=[data["h2"].uuid])}
    text = section.text_content()
    assert "Jean Sansdate : date de naissance non renseignée" in text
    assert "Jean Sansdate : situation administrative inconnue" in text
    assert "ressources non renseignées" in text
    assert "situation avant l'accueil non renseignée" in text


@pytest.mark.parametrize("trait", ["social_worker", "tenancy_officer"])
def test_social_workers_and_tenancy_officers_see_the_report(client, org_a, data, trait):
    client.force_login(UserFactory(organisation=org_a, **{trait: True}))
    response, doc = get_page(client, PERIOD)
    assert response.status_code == 200
    assert table(doc, "presents-chiffres")["Ménages"] == ["2"]
    assert "Rapport d'activité" in doc.xpath("//nav")[0].text_content()


def test_json_download_equals_the_report(client_a, data):
    response = client_a.get(reverse("reports:download"), {**PERIOD, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == activity_report(
        "asso-a", [], D(2024, 1, 1), D(2024, 12, 31)
    )
    response = client_a.get(
        reverse("reports:download"), {**PERIOD, "programmes": "iml-a", "format": "json"}
    )
    assert json.loads(response.content) == activity_report(
        "asso-a", ["iml-a"], D(2024, 1, 1), D(2024, 12, 31)
    )


def test_the_page_links_every_format(client_a, data):
    _, doc = get_page(client_a, PERIOD)
    hrefs = doc.xpath('//a[starts-with(@href, "/rapports/activite/telecharger/")]/@href')
    assert {href.rsplit("format=", 1)[1] for href in hrefs} == {
        "json",
        "html",
        "xlsx",
        "docx",
        "pdf",
    }
    assert all("start=2024-01-01" in href for href in hrefs)


def test_other_formats_are_rendered_or_announced(client_a, data):
    response = client_a.get(reverse("reports:download"), {**PERIOD, "format": "pdf"})
    if response.status_code == 503:
        assert "Format bientôt disponible" in response.content.decode()
    else:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
    response = client_a.get(reverse("reports:download"), {**PERIOD, "format": "exe"})
    assert response.status_code == 400
    assert "Format inconnu" in response.content.decode()


@pytest.mark.parametrize("trait", ["state", "landlord"])
def test_state_and_landlord_users_are_refused(client, org_a, data, trait):
    client.force_login(UserFactory(organisation=org_a, **{trait: True}))
    assert client.get(reverse("reports:activity"), PERIOD).status_code == 403
    assert client.get(reverse("reports:download"), PERIOD).status_code == 403
    assert "Rapport d'activité" not in client.get(reverse("home")).content.decode()


def test_another_organisation_never_appears(client, member_b, data):
    client.force_login(member_b)
    response, doc = get_page(client, PERIOD)
    body = response.content.decode()
    for secret in ("M-FAMILLE", "M-INCOMPLET", "iml-a", "asg-a", "Sansdate"):
        assert secret not in body
    assert table(doc, "presents-chiffres")["Ménages"] == ["1"]
    # A programme of A asked by B is an unknown choice, not data of A.
    response, doc = get_page(client, {**PERIOD, "programmes": ["iml-a"]})
    assert response.status_code == 400
    assert "Dispositif inconnu" in doc.text_content()
    response = client.get(reverse("reports:download"), {**PERIOD, "format": "json"})
    assert json.loads(response.content)["scope"]["organisation"] == "asso-b"
    _, doc_a = get_page(client, {"preset": EXERCISE_LAST})
    assert "M-FAMILLE" not in doc_a.text_content()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2024-13-01", "end": "2024-12-31"}, "Saisissez une date valide"),
        ({"start": "2024-12-31", "end": "2024-01-01"}, "est antérieure à la date de début"),
        ({"start": "2024-01-01"}, "Indiquez les deux dates"),
        ({"preset": "personnalisee"}, "Indiquez les dates de début et de fin"),
        ({"preset": "n-importe"}, "Choisissez une période de la liste"),
        ({"start": "2000-01-01", "end": "2024-12-31"}, "ne peut pas dépasser cinq ans"),
    ],
)
def test_bad_input_gives_french_errors(client_a, data, params, message):
    response, doc = get_page(client_a, params)
    assert response.status_code == 400
    assert message in doc.text_content()
    assert not doc.xpath('//*[@id="rapport-chiffres-cles"]')
    assert client_a.get(reverse("reports:download"), params).status_code == 400


def test_the_page_indexes_the_facts_once(client_a, data, monkeypatch):
    """The report, its monthly chart and its missing values read one index of the facts."""
    from seuil.reports import compute

    built = []
    original = compute._Index.__init__

    def counting(self, facts):
        built.append(facts)
        original(self, facts)

    monkeypatch.setattr(compute._Index, "__init__", counting)
    response = client_a.get(reverse("reports:activity"), PERIOD)
    assert response.status_code == 200
    assert "M-INCOMPLET" in response.content.decode()  # the missing values were listed
    assert len(built) == 1
