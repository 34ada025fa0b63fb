"""In a real browser, as a social worker: from the household's file, sign the support
contract late, be refused an amendment beyond the programme's cap (the last possible day
given), amend within it, plan a joint visit and find it in the week; then see the caseload
against the programme's target."""

import datetime
import re

import pytest

from seuil.core.enums import Role
from seuil.support.models import SupportSettings
from tests.core.factories import OrganisationFactory, UserFactory
from tests.core.two_factor import give_code, totp_device
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

PASSWORD = "motdepasse-solide-42"


def field(page, label):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def log_in(page, username, device):
    page.goto("/connexion/")
    field(page, "Nom d’utilisateur").fill(username)
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    give_code(page, device)
    page.wait_for_url(re.compile(r"/$"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_social_worker_follows_a_household_and_the_manager_sees_the_caseload(page, today):
    organisation = OrganisationFactory(name="Association Accompagnement")
    programme = ProgrammeFactory(organisation=organisation, max_support_months=18)
    SupportSettings.objects.create(programme=programme, households_per_worker=10)
    worker = UserFactory(
        username="ines",
        organisation=organisation,
        role=Role.SOCIAL_WORKER,
        first_name="Inès",
        last_name="Morel",
    )
    UserFactory(
        username="paul",
        organisation=organisation,
        role=Role.TENANCY_OFFICER,
        first_name="Paul",
        last_name="Roche",
    )
    household = HouseholdFactory(organisation=organisation, ref="M-AWA")
    MembershipFactory(
        household=household, role="head", person__first_name="Awa", person__last_name="Keita"
    )
    StayFactory(
        household=household,
        unit=HousingUnitFactory(organisation=organisation),
        programme=programme,
        entered_on=datetime.date(2024, 11, 15),
    )

    log_in(page, "ines", totp_device(worker))
    page.goto(f"/menages/{household.uuid}/")
    page.get_by_role("link", name="Désigner un référent").click()
    field(page, "Travailleur social").select_option(label="Inès Morel")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le référent du ménage est désigné.").wait_for()

    page.get_by_role("link", name="Enregistrer un contrat d'accompagnement").click()
    page.get_by_text("fin au plus tard le 14/05/2026").wait_for()
    field(page, "Signé le").fill("2025-01-10")
    field(page, "Début de l'accompagnement").fill("2025-01-10")
    field(page, "Fin de l'accompagnement").fill("2025-07-09")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("signature tardive").first.wait_for()
    assert page.get_by_text("signé 56 jours après l'entrée", exact=True).is_visible()

    page.get_by_role("link", name=re.compile("Ajouter un avenant")).click()
    field(page, "Avenant signé le").fill("2025-06-20")
    field(page, "Nouvelle fin de l'accompagnement").fill("2026-06-30")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("fin au plus tard le 14/05/2026").first.wait_for()
    field(page, "Nouvelle fin de l'accompagnement").fill("2026-05-14")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'avenant est enregistré").wait_for()

    page.get_by_role("link", name="Enregistrer un rendez-vous ou une visite").click()
    field(page, "Le").fill(today.isoformat())
    field(page, "Type").select_option(value="joint_home_visit")
    field(page, "Statut").select_option(label="Prévu (rendez-vous à venir)")
    field(page, "Régisseur (visite conjointe)").select_option(label="Paul Roche")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le rendez-vous est prévu.").wait_for()
    page.screenshot(path="test-results/accompagnement-dossier.png", full_page=True)

    page.get_by_role("link", name="Accompagnement", exact=True).first.click()
    page.get_by_text("1 rendez-vous").wait_for()
    assert page.get_by_text("Visite à domicile conjointe (avec le régisseur)").first.is_visible()

    page.goto("/accompagnement/referents/")
    row = page.get_by_role("row", name=re.compile("Inès Morel"))
    assert "1 pour 10" in row.first.inner_text()
    page.screenshot(path="test-results/accompagnement.png", full_page=True)
