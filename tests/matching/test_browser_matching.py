"""In a real browser, the SIAO coordinator logs in (password and second factor), opens
"Appariement", matches the IML programme's waiting list to its vacant units, reads why a
household is proposed for a unit, and turns that pair into a proposal.

A screenshot of each step is saved in a temporary folder, whose path the test prints (and
attaches to the test report as the property "captures")."""

import re

import pytest

from seuil.orientation.enums import ProposalStatus
from seuil.orientation.models import Proposal
from tests.core.two_factor import totp_device
from tests.matching.scenario import admit, scene, vacant
from tests.orientation.test_browser_orientation_path import Captures, field, log_in, main_nav

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_matches_and_proposes_in_the_browser(page, tmp_path, record_property):
    s = scene()
    awa = admit(s, "Awa", adults=2, children=2, bearable_rent=700, received_days_ago=400)
    admit(s, "Bilal", adults=1, bearable_rent=500, received_days_ago=100)
    t4 = vacant(s, "L-T4", typology="T4", rent=550, charges=80)
    vacant(s, "L-T1", typology="T1", rent=320, charges=40)
    shot = Captures(page, tmp_path / "appariement")

    log_in(page, s.coordinator, totp_device(s.coordinator))
    main_nav(page, "Appariement")
    field(page, "Dispositif").select_option(label="IML Somme (Association Accueil)")
    page.get_by_role("button", name="Lancer l'appariement").click()
    page.get_by_role("heading", name="Appariement – IML Somme").wait_for()

    row = page.get_by_role("row").filter(has_text="L-T4")
    row.get_by_text(re.compile("^Pourquoi ce ménage pour ce logement")).click()
    why = row.get_by_role("table", name="Composantes du score de la paire")
    why.wait_for()
    for component in ("Souhait de territoire", "Priorité", "Ancienneté de la demande"):
        assert why.get_by_role("rowheader", name=component).is_visible()
    assert "1er souhait sur 1 (80)" in why.inner_text()
    assert "400 jours d'attente" in why.inner_text()
    assert "TEST Awa" in row.inner_text()
    shot("pourquoi")

    row.get_by_label("Proposer ce logement à ce ménage").check()
    page.get_by_role("button", name="Faire les propositions cochées").click()
    message = page.get_by_text(re.compile(r"^1 proposition faite : PR-"))
    message.wait_for()
    shot("proposition-faite")

    proposal = Proposal.objects.get()
    assert (proposal.referral, proposal.vacancy) == (awa, t4)
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.matching_run is not None
    assert proposal.ref in message.inner_text()
    assert (
        f"Proposition {proposal.ref}"
        in page.get_by_role("row").filter(has_text="L-T4").inner_text()
    )
    record_property("captures", str(shot.folder))
    print(f"\nCaptures de l'appariement : {shot.folder}")
