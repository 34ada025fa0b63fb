"""In a real browser: a service manager opens the activity report and downloads it in every
format offered by the page (HTML, Excel, Word, PDF)."""

import datetime
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.core.factories import OrganisationFactory, UserFactory
from tests.core.two_factor import give_code, totp_device
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

PASSWORD = "motdepasse-solide-42"
SCREENSHOT = Path("test-results/rapport-activite.png")
DOWNLOADS = [
    # (link name on the page, file extension, first bytes of the file)
    ("HTML", "html", b"<!DOCTYPE html>"),
    ("Excel (XLSX)", "xlsx", b"PK\x03\x04"),
    ("Word (DOCX)", "docx", b"PK\x03\x04"),
    ("PDF", "pdf", b"%PDF"),
]


def field(page, label):
    """The form control whose label starts with `label` (labels end with "(obligatoire)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_service_manager_downloads_the_activity_report_in_every_format(page, today):
    organisation = OrganisationFactory(ref="asso-rapport", name="Association Rapport")
    device = totp_device(UserFactory(username="dominique", organisation=organisation))
    programme = ProgrammeFactory(organisation=organisation, name="IML Réfugiés")
    for days_ago in (900, 400, 120):
        unit = HousingUnitFactory(
            organisation=organisation,
            programme=programme,
            typology="T2",
            captured_on=today - datetime.timedelta(days=days_ago + 30),
        )
        household = HouseholdFactory(organisation=organisation, prior_situation="street_or_115")
        MembershipFactory(household=household, role="head", person__sex="F")
        StayFactory(
            household=household,
            unit=unit,
            programme=programme,
            entered_on=today - datetime.timedelta(days=days_ago),
        )

    page.goto("/connexion/")
    field(page, "Nom d’utilisateur").fill("dominique")
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    give_code(page, device)  # the second factor
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/rapports/activite/")
    page.get_by_role("heading", name="Télécharger ce rapport").wait_for()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    for name, extension, magic in DOWNLOADS:
        with page.expect_download() as download_info:
            page.get_by_role("link", name=name).click()
        download = download_info.value
        assert download.failure() is None
        assert re.fullmatch(
            rf"rapport-activite-asso-rapport-\d{{4}}-\d\d-\d\d-\d{{4}}-\d\d-\d\d\.{extension}",
            download.suggested_filename,
        )
        content = Path(download.path()).read_bytes()
        assert content.startswith(magic), name
        if extension == "html":
            assert "Association Rapport" in content.decode("utf-8")
        elif extension == "xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            assert "Présents – composition" in workbook.sheetnames
        elif extension == "docx":
            document = docx.Document(io.BytesIO(content))
            assert any(p.text == "Ménages présents" for p in document.paragraphs)
