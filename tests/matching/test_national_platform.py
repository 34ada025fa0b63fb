"""The national platform matches, on the national mobility programmes, the households that
consented to share their mobility file with it, to homes in every département; it keeps the
employment prospects of each territory, which every run then uses."""

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from seuil.core.enums import OrganisationKind, Role
from seuil.households.models import Consent
from seuil.housing.enums import ProgrammeKind
from seuil.matching.models import MatchingRun, TerritoryEmployment
from seuil.orientation.enums import ProposalStatus
from seuil.orientation.models import Proposal
from tests.core.factories import OrganisationFactory, UserFactory
from tests.housing.factories import ProgrammeFactory
from tests.matching.scenario import admit, scene, vacant
from tests.orientation.flow import today

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def s(db):
    """The Somme scene with a mobility programme next to its IML programme, and the platform."""
    s = scene()
    s.iml = s.programme
    s.programme = ProgrammeFactory(
        organisation=s.operator, name="Mobilité Somme", kind=ProgrammeKind.MOBILITY
    )
    s.platform_org = OrganisationFactory(
        kind=OrganisationKind.NATIONAL_PLATFORM, name="Plateforme nationale", department=""
    )
    s.platform = UserFactory(organisation=s.platform_org, role=Role.NATIONAL_PLATFORM)
    return s


def consent(referral, recipient, *, scope="mobility_file", given=-30, expires=335, revoked=None):
    """A consent of the referral's household, dates in days from today."""
    return Consent.objects.create(
        household=referral.household,
        scope=scope,
        recipient=recipient,
        given_on=today() + given * DAY,
        expires_on=today() + expires * DAY,
        revoked_on=None if revoked is None else today() + revoked * DAY,
    )


def consented(s, name, **kwargs):
    """A household admitted to the mobility programme that consented to the platform."""
    referral = admit(s, name, **kwargs)
    consent(referral, s.platform_org)
    return referral


def launch(client, s):
    client.force_login(s.platform)
    response = client.post(reverse("matching:runs"), {"programme": s.programme.uuid})
    assert response.status_code == 302
    run = MatchingRun.objects.get()
    return run, client.get(response.url).content.decode()


def by_territory(page):
    """{département: vacant units} of the page's "Par territoire" table."""
    section = page.split("<h2>Par territoire</h2>", 1)[1].split("<h2>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(\w+)</th><td class="num">(\d+)</td>', section)
    return {code: int(units) for code, units in rows}


def test_the_platform_chooses_among_the_mobility_programmes_only(client, s):
    client.force_login(s.platform)

    page = client.get(reverse("matching:runs")).content.decode()

    assert "Mobilité Somme (Association Accueil)" in page
    assert "IML Somme" not in page
    response = client.post(reverse("matching:runs"), {"programme": s.iml.uuid})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_a_platform_run_takes_only_the_households_that_consented_to_it(client, s):
    awa = consented(s, "Awa")
    expired = admit(s, "Bilal")
    consent(expired, s.platform_org, given=-400, expires=-1)
    revoked = admit(s, "Chen")
    consent(revoked, s.platform_org, revoked=0)
    to_another = admit(s, "Dina")
    other_platform = OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM, department="")
    consent(to_another, other_platform)
    social_note_only = admit(s, "Emma")
    consent(social_note_only, s.platform_org, scope="social_note")
    upcoming = admit(s, "Fanta")
    consent(upcoming, s.platform_org, given=2)
    on_the_iml_list = admit(dataclasses.replace(s, programme=s.iml), "Gaby")
    consent(on_the_iml_list, s.platform_org)
    vacant(s, "L1")

    run, page = launch(client, s)

    assert run.links["households"] == {awa.ref: awa.pk}
    assert run.left_out == []  # the others are not the platform's to see, even as left out
    assert "TEST Awa" in page
    for name in ("Bilal", "Chen", "Dina", "Emma", "Fanta", "Gaby"):
        assert f"TEST {name}" not in page


def test_units_of_every_department_are_matched_each_in_its_territory(client, s):
    consented(s, "Awa", wishes=("33", "80"))
    consented(s, "Bilal", wishes=("974",))
    consented(s, "Chen", wishes=("80",))
    amiens = vacant(s, "L-80", commune="80021")
    bordeaux = vacant(s, "L-33", commune="33063")
    saint_denis = vacant(s, "L-974", commune="97411")

    run, page = launch(client, s)

    territories = {unit["ref"]: unit["territory"] for unit in run.instance["units"]}
    assert territories == {amiens.ref: "80", bordeaux.ref: "33", saint_denis.ref: "974"}
    assert by_territory(page) == {"33": 1, "80": 1, "974": 1}
    placed = {a["unit"] for a in run.results["optimal"]["assignments"]}
    assert placed == {amiens.ref, bordeaux.ref, saint_denis.ref}


def test_the_platform_turns_a_pair_into_a_proposal(client, s):
    awa = consented(s, "Awa")
    unit = vacant(s, "L1")
    run, _ = launch(client, s)

    response = client.post(
        reverse("matching:accept_pairs", args=[run.uuid]),
        {"pair": f"{awa.ref}|{unit.ref}"},
        follow=True,
    )

    proposal = Proposal.objects.get()
    assert (proposal.referral, proposal.vacancy) == (awa, unit)
    assert proposal.proposed_by == s.platform
    assert proposal.matching_run == run
    assert proposal.status == ProposalStatus.PROPOSED
    assert f"1 proposition faite : {proposal.ref}." in response.content.decode()


def post_score(client, **data):
    fields = {"territory": "80", "employment_score": "0.5", "source": "France Travail 2026"}
    fields["effective_from"] = today().isoformat()
    return client.post(reverse("matching:employment_scores"), fields | data, follow=True)


def test_the_platform_records_the_employment_prospects_of_a_territory(client, s):
    client.force_login(s.platform)

    page = post_score(client, territory="2a", employment_score="0.725").content.decode()

    assert "Perspectives d&#x27;emploi du 2A enregistrées." in page
    score = TerritoryEmployment.objects.get()
    assert (score.territory, score.employment_score) == ("2A", Decimal("0.725"))
    assert (score.organisation, score.set_by) == (s.platform_org, s.platform)
    assert score.effective_from == today()
    assert "France Travail 2026" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"territory": "99"}, "« 99 » n&#x27;est pas un code de département : indiquez son numéro"),
        ({"employment_score": "1.5"}, "inférieure ou égale à 1"),
        ({"employment_score": "-0.1"}, "supérieure ou égale à 0"),
    ],
)
def test_a_wrong_rating_is_refused_in_french_and_nothing_is_saved(client, s, data, message):
    client.force_login(s.platform)

    response = post_score(client, **data)

    assert message in response.content.decode()
    assert not TerritoryEmployment.objects.exists()


def test_a_second_rating_of_a_territory_on_the_same_day_is_refused(client, s):
    client.force_login(s.platform)
    post_score(client, employment_score="0.5")

    page = post_score(client, employment_score="0.8").content.decode()

    assert "Ce territoire a déjà une note en vigueur à cette date." in page
    assert [float(t.employment_score) for t in TerritoryEmployment.objects.all()] == [0.5]
    # Another day is a new rating, kept with the first.
    post_score(client, employment_score="0.8", effective_from=(today() - DAY).isoformat())
    assert TerritoryEmployment.objects.count() == 2


def test_only_the_platform_keeps_the_employment_prospects(client, s):
    client.force_login(s.coordinator)

    assert client.get(reverse("matching:employment_scores")).status_code == 403
    assert post_score(client).status_code == 403
    assert not TerritoryEmployment.objects.exists()
    assert "Perspectives d&#x27;emploi par territoire" not in (
        client.get(reverse("matching:runs")).content.decode()
    )


def test_a_run_uses_the_platforms_employment_prospects(client, s):
    awa = consented(s, "Awa", wishes=("80", "33"))
    bilal = consented(s, "Bilal", wishes=("33",))
    amiens = vacant(s, "L-80", commune="80021")
    bordeaux = vacant(s, "L-33", commune="33063")
    client.force_login(s.platform)
    post_score(client, territory="80", employment_score="0.5")

    run, page = launch(client, s)

    pairs = {(a["household"], a["unit"]): a for a in run.results["optimal"]["assignments"]}
    # Default employment weight 400: 400 × 0.5 in the Somme, 0 in the Gironde (no rating).
    assert pairs[(awa.ref, amiens.ref)]["components"]["employment"] == 200
    assert pairs[(bilal.ref, bordeaux.ref)]["components"]["employment"] == 0
    assert "Perspectives d&#x27;emploi du 80 : 0,50" in page
    assert "Pas de donnée d&#x27;emploi pour le 33" in page
