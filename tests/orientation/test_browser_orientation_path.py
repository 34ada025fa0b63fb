"""In a real browser, the whole orientation path as new users click it, each logged in
through the login form and its second factor:

1. the SIAO coordinator records a household's request, assesses it, holds the commission
   that admits it to the IML programme (and downloads the minutes), and finds the household
   first on the programme's waiting list;
2. the operator's service manager records the exit of the unit's previous household (a
   vacancy opens by itself) and offers the unit to the household;
3. the landlord, in its space, gives its agreement;
4. the operator's social worker records the household's acceptance and lets it in.

A screenshot of each step is saved in a temporary folder, whose path the test prints (and
attaches to the test report as the property "captures")."""

import datetime
import re

import pytest

from seuil.core.enums import OrganisationKind, Role
from seuil.housing.models import Landlord, Stay
from seuil.orientation.enums import ProposalStatus, ReferralStatus
from seuil.orientation.models import Proposal, Referral, Vacancy
from tests.conftest import TODAY
from tests.core.factories import OrganisationFactory, UserFactory
from tests.core.two_factor import give_code, totp_device
from tests.households.factories import HouseholdFactory, MembershipFactory, ResourceRecordFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

PASSWORD = "motdepasse-solide-42"
DAY = datetime.timedelta(days=1)


def field(page, label):
    """The form control whose label starts with `label` (labels end with "(obligatoire)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def main_nav(page, name):
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=name
    ).click()


class Captures:
    def __init__(self, page, folder):
        self.page, self.folder, self.count = page, folder, 0
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name):
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)


def log_in(page, user, device):
    """Through the login form (opened unless signing out has just landed on it) and the
    second factor."""
    if "/connexion/" not in page.url:
        page.goto("/connexion/")
    field(page, "Nom d’utilisateur").fill(user.username)
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    give_code(page, device)
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/connexion/"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_household_goes_from_its_request_to_its_home_in_the_browser(
    page, tmp_path, record_property
):
    today = TODAY
    siao = OrganisationFactory(
        ref="siao80", name="SIAO de la Somme", kind=OrganisationKind.SIAO, department="80"
    )
    operator = OrganisationFactory(ref="apremis", name="APREMIS", department="80")
    landlord_org = OrganisationFactory(
        ref="opac80", name="OPAC de la Somme", kind=OrganisationKind.LANDLORD
    )
    coordinator = UserFactory(username="amandine", organisation=siao, role=Role.SIAO_COORDINATOR)
    manager = UserFactory(username="nadia", organisation=operator, role=Role.SERVICE_MANAGER)
    landlord_user = UserFactory(username="philippe", organisation=landlord_org, role=Role.LANDLORD)
    social_worker = UserFactory(username="camille", organisation=operator, role=Role.SOCIAL_WORKER)
    programme = ProgrammeFactory(organisation=operator, ref="iml-r", name="IML Réfugiés")
    unit = HousingUnitFactory(
        organisation=operator,
        ref="L19",
        typology="T2",
        address="16 rue Vulfran-Warmé",
        programme=programme,
        landlord=Landlord.objects.create(
            organisation=operator, ref="opac80", name="OPAC de la Somme", account=landlord_org
        ),
        rent=341,
        charges=52,
        captured_on=today - 400 * DAY,
    )
    previous = StayFactory(
        household=HouseholdFactory(organisation=operator), unit=unit, entered_on=today - 300 * DAY
    )
    household = HouseholdFactory(organisation=siao, ref="M-0042")
    MembershipFactory(
        household=household,
        role="head",
        person__organisation=siao,
        person__first_name="Aïcha",
        person__last_name="Diallo",
    )
    ResourceRecordFactory(household=household, on=today - 60 * DAY, types=["rsa"])
    devices = {
        user: totp_device(user) for user in (coordinator, manager, landlord_user, social_worker)
    }
    shot = Captures(page, tmp_path / "parcours-orientation")

    # 1. The SIAO: request, assessment, commission, waiting list.
    log_in(page, coordinator, devices[coordinator])
    main_nav(page, "Orientation")
    page.get_by_role("link", name="Enregistrer une demande").click()
    field(page, "Ménage").select_option(label="DIALLO Aïcha (réf. M-0042)")
    field(page, "Demande reçue le").fill((today - 45 * DAY).isoformat())
    field(page, "Origine de la demande").select_option(
        label="Structure d'hébergement (CADA, HUDA, CAO, CHRS…)"
    )
    field(page, "Prescripteur").fill("CADA de Montdidier")
    shot("demande")
    page.get_by_role("button", name="Enregistrer la demande").click()
    page.get_by_text("a été enregistrée").wait_for()

    page.get_by_role("link", name="Évaluer la demande").click()
    field(page, "Évaluée le").fill((today - 40 * DAY).isoformat())
    field(page, "Niveau d'accompagnement").select_option(label="Accompagnement global")
    page.get_by_label("Accès aux droits, démarches administratives").check()
    page.get_by_label("Apprentissage du français").check()
    field(page, "Territoire souhaité en premier").fill("80")
    page.get_by_label("T2", exact=True).check()
    field(page, "Situation d'emploi").select_option(label="En formation")
    field(page, "Ressources mensuelles hors aide au logement (€)").fill("900")
    field(page, "Aide au logement estimée (€ par mois)").fill("250")
    page.get_by_label("Doit quitter son hébergement (fin de prise en charge)").check()
    field(page, "Note sociale").fill(
        "Ménage autonome, en formation linguistique ; souhaite rester à Amiens."
    )
    shot("evaluation")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.get_by_text("L'évaluation a été enregistrée.").wait_for()
    assert "520,00 € par mois" in page.content()  # the bearable rent suggested
    shot("demande-evaluee")

    main_nav(page, "Orientation")
    page.get_by_role("link", name="Commissions").click()
    page.get_by_role("link", name="Programmer une commission").click()
    field(page, "Date de la commission").fill((today - 30 * DAY).isoformat())
    field(page, "Membres présents").fill("Amandine Froment (SIAO)\nJulien Lecomte (SIAO)")
    page.get_by_role("button", name="Programmer la commission").click()
    page.get_by_role("link", name="Inscrire des demandes à l'ordre du jour").click()
    page.get_by_label(re.compile(r"DIALLO Aïcha")).check()
    page.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    page.get_by_text("1 demande inscrite").wait_for()
    page.get_by_role("link", name=re.compile("^Décider")).click()
    page.get_by_label("Admis", exact=True).check()
    field(page, "Dispositif d'admission").select_option(label="IML Réfugiés (APREMIS)")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    shot("commission")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le procès-verbal (PDF)").click()
    minutes = tmp_path / "proces-verbal.pdf"
    download.value.save_as(minutes)
    assert minutes.read_bytes().startswith(b"%PDF")

    main_nav(page, "Orientation")
    page.get_by_role("link", name="Listes d'attente").click()
    page.get_by_role("link", name="IML Réfugiés").click()
    row = page.get_by_role("row", name=re.compile("DIALLO Aïcha"))
    assert row.get_by_role("cell").first.inner_text().strip() == "1"  # first on the list
    assert "Doit quitter son hébergement" in row.inner_text()
    assert "Inchangée" in row.inner_text()  # first already 30 days ago, on its admission
    shot("liste-d-attente")
    log_out(page)

    # 2. The operator: exit of the previous household, vacancy, proposal.
    log_in(page, manager, devices[manager])
    page.goto(f"/logements/{unit.uuid}/")
    page.get_by_role("link", name="Enregistrer la sortie", exact=True).click()
    field(page, "Destination à la sortie").select_option(label="Logement social (bail propre)")
    page.get_by_role("button", name="Enregistrer la sortie").click()
    page.get_by_text("Sortie enregistrée").wait_for()
    main_nav(page, "Orientation")
    page.get_by_role("link", name="Vacances", exact=True).click()
    page.get_by_role("link", name=re.compile("L19 – T2")).click()
    page.get_by_text("sortie du ménage précédent").wait_for()  # opened by the exit itself
    shot("vacance")
    page.get_by_role("link", name="Proposer le logement à un ménage").click()
    field(page, "Ménage").select_option(label="1. DIALLO Aïcha (réf. M-0042)")
    page.get_by_role("button", name="Proposer le logement").click()
    page.get_by_text("réponse attendue au plus tard le").first.wait_for()
    shot("proposition")
    log_out(page)

    # 3. The landlord's agreement, in its space (no consent: no social note).
    log_in(page, landlord_user, devices[landlord_user])
    main_nav(page, "Orientation")
    page.get_by_role("link", name="Propositions").click()
    page.get_by_role("link", name=re.compile("^PR-")).click()
    page.get_by_role("link", name="Donner votre réponse").wait_for()  # the proposal's page is open
    assert "souhaite rester à Amiens" not in page.content()
    page.get_by_role("link", name="Donner votre réponse").click()
    page.get_by_label("Accepte le logement").check()
    page.get_by_role("button", name="Enregistrer la réponse").click()
    page.get_by_text("la réponse du ménage est attendue").wait_for()
    shot("accord-du-bailleur")
    log_out(page)

    # 4. The household's acceptance, then the entry.
    log_in(page, social_worker, devices[social_worker])
    main_nav(page, "Orientation")
    page.get_by_role("link", name="Propositions").click()
    page.get_by_role("link", name=re.compile("^PR-")).click()
    page.get_by_role("link", name="Enregistrer une réponse").click()
    # Only the household's answer is awaited: said, not a radio group of one button.
    page.get_by_text("Vous enregistrez la réponse du ménage.").wait_for()
    assert page.get_by_role("radio", name="Le ménage").count() == 0
    page.get_by_label("Accepte le logement").check()
    page.get_by_role("button", name="Enregistrer la réponse").click()
    page.get_by_text("La proposition est acceptée").wait_for()
    shot("acceptation")
    page.get_by_role("link", name="Faire entrer").click()
    page.get_by_role("button", name="Faire entrer le ménage").click()
    page.get_by_text("Entrée enregistrée").wait_for()
    situation = page.get_by_text("Situation aujourd'hui").locator("xpath=..").inner_text()
    assert "Occupé" in situation and "DIALLO Aïcha" in situation
    shot("entree")

    stay = Stay.objects.exclude(pk=previous.pk).get()
    assert (stay.household, stay.unit, stay.organisation) == (household, unit, operator)
    assert stay.entered_on == today
    referral = Referral.objects.get()
    assert (referral.status, referral.stay) == (ReferralStatus.HOUSED, stay)
    assert Proposal.objects.get().status == ProposalStatus.ACCEPTED
    vacancy = Vacancy.objects.get()
    assert vacancy.opened_on == vacancy.closed_on == today
    record_property("captures", str(shot.folder))
    print(f"\nCaptures du parcours d'orientation : {shot.folder}")
