"""In a real browser, a national mobility path across three organisations, each user
logged in through the login form and its second factor:

1. the national platform opens the path of a household that consented (held by a shelter
   in Île-de-France), records its choice of the Somme, plans and holds the three-way
   meeting, and proposes the arrival operator;
2. the departure shelter records the household's acceptance, sends its file (with its
   agreement, what is transmitted listed) and records the move;
3. the arrival operator acknowledges the file, records the arrival, the support and, at
   the end, the handover;
4. the platform's dashboard counts the household moved, at the last step.

Screenshots are saved in a temporary folder, printed as the property "captures"."""

import datetime
import re

import pytest

from seuil.core.enums import OrganisationKind, Role
from seuil.outcomes.enums import PATH
from seuil.outcomes.models import MobilityFile
from tests.core.factories import OrganisationFactory, UserFactory
from tests.core.two_factor import totp_device
from tests.households.factories import ConsentFactory, HouseholdFactory, MembershipFactory
from tests.orientation.test_browser_orientation_path import Captures, field, log_in, log_out

DAY = datetime.timedelta(days=1)


def step(page, label, **fields):
    """Fill and send the form of the next step `label` on a path's page."""
    form = page.locator("form", has=page.get_by_role("button", name=f"Enregistrer : {label}"))
    for name, value in fields.items():
        control = form.get_by_label(re.compile(rf"^{re.escape(name)}"))
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    form.get_by_role("button", name=f"Enregistrer : {label}").click()
    page.get_by_text(f"Étape enregistrée : {label}.").wait_for()


def open_mobility(page, ref):
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mobilité"
    ).click()
    page.get_by_role("link", name=ref).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_household_moves_from_a_shelter_to_the_somme_in_the_browser(
    page, tmp_path, record_property
):
    today = datetime.date.today()
    platform = OrganisationFactory(
        ref="plateforme", name="Plateforme nationale", kind=OrganisationKind.NATIONAL_PLATFORM
    )
    shelter = OrganisationFactory(ref="cada94", name="CADA de Créteil", department="94")
    arrival = OrganisationFactory(ref="apremis", name="APREMIS", department="80")
    agent = UserFactory(username="karim", organisation=platform, role=Role.NATIONAL_PLATFORM)
    watcher = UserFactory(username="ines", organisation=platform, role=Role.NATIONAL_PLATFORM)
    shelter_worker = UserFactory(username="sarah", organisation=shelter, role=Role.SOCIAL_WORKER)
    arrival_worker = UserFactory(username="camille", organisation=arrival, role=Role.SOCIAL_WORKER)
    household = HouseholdFactory(organisation=shelter, ref="M-MOB1")
    MembershipFactory(
        household=household,
        role="head",
        person__organisation=shelter,
        person__first_name="Farida",
        person__last_name="Ahmadi",
    )
    ConsentFactory(
        household=household,
        scope="mobility_file",
        recipient=platform,
        given_on=today - 30 * DAY,
        expires_on=today + 300 * DAY,
    )
    devices = {user: totp_device(user) for user in (agent, watcher, shelter_worker, arrival_worker)}
    shot = Captures(page, tmp_path / "parcours-mobilite")
    record_property("captures", str(shot.folder))

    # 1. The platform: opening, choice, three-way meeting, proposal.
    log_in(page, agent, devices[agent])
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mobilité"
    ).click()
    page.get_by_role("link", name="Ouvrir un parcours").click()
    field(page, "Ménage").select_option(value=str(household.uuid))
    field(page, "Structure de départ").select_option(label="CADA de Créteil")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text(re.compile("Parcours MOB-.* ouvert")).wait_for()
    ref = MobilityFile.objects.get().ref
    step(page, "Choix du territoire", **{"Département d'arrivée": "80"})
    page.get_by_role("button", name="Planifier une rencontre").click()
    page.get_by_text("Rencontre à trois enregistrée.").wait_for()
    page.get_by_label("Tenue le").fill(today.isoformat())
    page.get_by_label("Issue").select_option(label="Le ménage confirme son choix")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    page.get_by_text("Étape actuelle : Rencontre à trois").wait_for()
    step(
        page,
        "Proposition de logement",
        **{"Opérateur d'arrivée": "APREMIS", "Commune d'arrivée": "80021"},
    )
    shot("plateforme")
    log_out(page)

    # 2. The departure shelter: acceptance, the file, the move.
    log_in(page, shelter_worker, devices[shelter_worker])
    open_mobility(page, ref)
    step(page, "Acceptation")
    page.get_by_label("Identité et composition du ménage").check()
    page.get_by_label("Situation administrative").check()
    page.get_by_label("Le ménage est d'accord pour que son dossier soit transmis").check()
    page.get_by_role("button", name="Transmettre le dossier").click()
    page.get_by_text("Dossier transmis à l'opérateur d'arrivée.").wait_for()
    step(page, "Déménagement", **{"Voyage réservé le": today.isoformat()})
    shot("structure-de-depart")
    log_out(page)

    # 3. The arrival operator: receipt, arrival, support, handover.
    log_in(page, arrival_worker, devices[arrival_worker])
    open_mobility(page, ref)
    page.get_by_role("button", name="Accuser réception du dossier").click()
    page.get_by_text("Réception du dossier enregistrée.").wait_for()
    step(page, "Arrivée")
    step(page, "Accompagnement (12 mois)")
    step(page, "Passage de relais")
    shot("operateur-d-arrivee")
    log_out(page)

    file = MobilityFile.objects.get()
    assert list(
        file.transitions.order_by("on", "at", "id").values_list("to_status", flat=True)
    ) == [*PATH]
    assert file.transmitted == ["identity", "legal_status"]
    assert file.file_received_on == today and file.moved_on == today

    # 4. The platform's dashboard.
    log_in(page, watcher, devices[watcher])
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mobilité"
    ).click()
    steps = page.get_by_role("table", name=re.compile("Ménages à chaque étape"))
    assert re.search(r"Passage de relais\s+1", steps.inner_text())
    assert "1\nménages partis" in page.locator(".stats").inner_text()
    shot("tableau-de-bord")
