"""In a real browser: log in, create a household of two through the household pages, then
let it into a vacant unit and see the unit occupied by it."""

import datetime
import re
from pathlib import Path

import pytest

from seuil.households.models import Household
from seuil.housing.models import Stay
from tests.core.factories import OrganisationFactory, UserFactory
from tests.core.two_factor import give_code, totp_device
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory

PASSWORD = "motdepasse-solide-42"
SCREENSHOT = Path("test-results/entree.png")


def field(page, label):
    """The form control whose label starts with `label` (labels end with "(obligatoire)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_service_manager_creates_a_household_of_two_and_lets_it_into_a_vacant_unit(page, today):
    organisation = OrganisationFactory(name="Association Entrée")
    device = totp_device(UserFactory(username="camille", organisation=organisation))
    unit = HousingUnitFactory(
        organisation=organisation,
        ref="AMI-007",
        typology="T2",
        programme=ProgrammeFactory(organisation=organisation, name="IML Réfugiés"),
        captured_on=today - datetime.timedelta(days=12),
    )

    page.goto("/connexion/")
    field(page, "Nom d’utilisateur").fill("camille")
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    give_code(page, device)  # the second factor
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/menages/nouveau/")
    field(page, "Prénom").fill("Aïcha")
    field(page, "Nom").fill("Diallo")
    field(page, "Sexe").select_option(label="Femme")
    field(page, "Situation avant l'accueil").select_option(value="specialised_shelter")
    page.get_by_role("button", name="Créer le ménage").click()
    page.get_by_text("Le ménage a été créé.").wait_for()

    page.get_by_role("link", name="Ajouter un membre").click()
    field(page, "Prénom").fill("Moussa")
    field(page, "Nom").fill("Diallo")
    field(page, "Sexe").select_option(label="Homme")
    field(page, "Date de naissance").fill("2015-09-14")
    field(page, "Rôle dans le ménage").select_option(label="Enfant")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.get_by_text("Moussa Diallo fait maintenant partie du ménage.").wait_for()

    household = Household.objects.get(organisation=organisation)
    assert len(household.members_on(None)) == 2

    page.goto(f"/logements/{unit.uuid}/")
    page.get_by_role("link", name="Faire entrer un ménage").click()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path="test-results/entree-formulaire.png", full_page=True)
    field(page, "Ménage").select_option(label=f"DIALLO Aïcha (réf. {household.ref})")
    # No intensity is chosen for the worker: it feeds the caseloads.
    field(page, "Accompagnement").select_option(label="Accompagnement standard")
    page.get_by_role("button", name="Faire entrer le ménage").click()

    page.get_by_text("Entrée enregistrée").wait_for()
    situation = page.get_by_text("Situation aujourd'hui")
    assert "Occupé" in situation.locator("xpath=..").inner_text()
    assert "DIALLO Aïcha" in situation.locator("xpath=..").inner_text()
    assert page.get_by_role("link", name="Enregistrer la sortie", exact=True).is_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("link", name="Logements", exact=True).first.click()
    page.screenshot(path="test-results/logements.png", full_page=True)

    stay = Stay.objects.get(unit=unit)
    assert stay.household == household
    assert stay.entered_on == today
    assert stay.exited_on is None
    assert stay.programme == unit.programme
