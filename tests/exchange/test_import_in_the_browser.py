"""In a real browser, on the demo: the service manager downloads the organisation's
workbook, uploads it with mistakes and reads each error by sheet, row and column, then
uploads it corrected, sees that nothing would change and imports it; axe-core finds
nothing on these pages, on a phone's width too."""

import pytest
from django.urls import reverse

from tests.exchange.conftest import row_counts
from tests.exchange.workbooks import Book
from tests.test_browser_accessibility import PHONE, assert_accessible, page_width, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_import_page_from_download_to_import(page, live_server, demo_loaded, tmp_path):
    sign_in(page, live_server, "responsable")
    page.set_viewport_size(PHONE)
    page.goto(reverse("home"))
    page.locator("summary", has_text="Menu").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Import / export").click()
    assert page.title() == "Import et export des données – Seuil"
    assert page_width(page) <= PHONE["width"]
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les données de votre organisation").click()
    exported = tmp_path / "export.xlsx"
    download.value.save_as(exported)

    book = Book(exported.read_bytes())
    unit = book.book["Logements"].cell(3, 1).value
    book.set("Logements", "typology", unit, "T9")
    wrong = tmp_path / "avec-erreurs.xlsx"
    wrong.write_bytes(book.bytes())
    before = row_counts()
    page.get_by_label("Classeur à importer (.xlsx)").set_input_files(wrong)
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le classeur").click()
    assert page.title().startswith("Erreur : Classeur « avec-erreurs.xlsx »")
    row = page.get_by_role("row").filter(has_text="Logements")
    assert "valeur inconnue « T9 »" in row.inner_text() and "C – Typologie" in row.inner_text()
    assert page_width(page) <= PHONE["width"]
    assert_accessible(page)
    assert row_counts() == before

    with page.expect_navigation():
        page.get_by_role("link", name="Déposer un classeur corrigé").click()
    page.get_by_label("Classeur à importer (.xlsx)").set_input_files(exported)
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le classeur").click()
    assert "Rien à changer" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Importer").click()
    assert "Aucun changement : les données de Seuil étaient déjà celles du classeur." in (
        page.content()
    )
    assert row_counts() == before
