"""In a real browser, as a tenancy officer: after an entry, set up the sub-lease from the unit
page, call the month, record a partial payment, see the account and the late rent."""

import datetime
import re

import pytest

from seuil.tenancy.models import Payment, RentCall, SubLease
from tests.core.factories import OrganisationFactory, UserFactory
from tests.core.two_factor import give_code, totp_device
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

PASSWORD = "motdepasse-solide-42"


def field(page, label):
    """The form control whose label starts with `label` (labels end with "(obligatoire)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_tenancy_officer_sets_up_the_sub_lease_calls_the_rent_and_records_a_payment(page, today):
    organisation = OrganisationFactory(name="Association Régie")
    device = totp_device(
        UserFactory(username="regisseur", organisation=organisation, tenancy_officer=True)
    )
    unit = HousingUnitFactory(organisation=organisation, ref="AMI-015", rent=420, charges=60)
    stay = StayFactory(
        household__organisation=organisation,
        unit=unit,
        entered_on=today.replace(day=1) - datetime.timedelta(days=40),
    )
    MembershipFactory(household=stay.household, role="head", person__last_name="Diallo")

    page.goto("/connexion/")
    field(page, "Nom d’utilisateur").fill("regisseur")
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    give_code(page, device)
    page.wait_for_url(re.compile(r"/$"))

    # The unit page offers the sub-lease of the household that has just entered.
    page.goto(f"/logements/{unit.uuid}/")
    page.get_by_role("link", name="Établir la sous-location").click()
    field(page, "Jour d'échéance du loyer").fill("5")
    field(page, "APL versée à l'association").fill("310")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("établie").wait_for()
    sub_lease = SubLease.objects.get(stay=stay)
    assert sub_lease.terms.get().share == 170

    # The month page calls this month's rent and last month's.
    page.get_by_role("link", name="Gestion locative").first.click()
    page.get_by_role("button", name=re.compile("Appeler les loyers")).click()
    page.get_by_text("appel de loyer créé").wait_for()
    page.get_by_role("link", name="Mois précédent").click()
    page.get_by_role("button", name=re.compile("Appeler les loyers")).click()
    page.get_by_text("appel de loyer créé").wait_for()
    assert RentCall.objects.filter(sub_lease=sub_lease).count() == 2

    # Last month's rent, due on the 5th, is more than 15 days old: late.
    page.get_by_role("link", name="Mois suivant").click()
    late = page.locator("table", has_text="Loyers en retard")
    assert "Ménage" in late.inner_text()

    # A partial payment at the counter; the account shows what is left.
    page.goto(f"/gestion-locative/sous-locations/{sub_lease.uuid}/")
    page.get_by_role("link", name="Enregistrer un paiement").click()
    field(page, "Montant").fill("100")
    field(page, "Moyen de paiement").select_option(label="Espèces (au guichet)")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Paiement du").wait_for()
    assert Payment.objects.get().amount == 100
    assert "dus" in page.locator("dl.summary").first.inner_text()
    page.screenshot(path="test-results/compte-menage.png", full_page=True)
