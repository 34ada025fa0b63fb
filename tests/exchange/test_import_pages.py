"""The import page: a service manager or an administrator downloads the template or the
organisation's workbook, uploads a workbook, sees its errors by sheet, row and column (or
what importing it would change) with nothing written, imports it (the code of
`seuil import`: atomic, idempotent), and finds it in the history."""

import io

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string
from openpyxl import load_workbook

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord, Organisation
from seuil.exchange.exporter import export_organisation
from seuil.exchange.importer import import_exchange
from seuil.exchange.models import ImportStatus, SpreadsheetImport
from seuil.exchange.workbook import XLSX_TYPE, write_workbook
from seuil.households.models import Household
from tests.core.factories import UserFactory
from tests.exchange.conftest import row_counts
from tests.exchange.samples import rich_with_tenancy
from tests.exchange.workbooks import Book

pytestmark = pytest.mark.django_db

IMPORTS = reverse("exchange:imports")


@pytest.fixture
def apremis(db):
    import_exchange(rich_with_tenancy())
    return Organisation.objects.get(ref="apremis")


@pytest.fixture
def manager(apremis):
    return UserFactory(organisation=apremis, role=Role.SERVICE_MANAGER)


@pytest.fixture
def logged(client, manager):
    client.force_login(manager)
    return client


def upload(client, data, name="menages.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(IMPORTS, {"workbook": file})


def the_import():
    return SpreadsheetImport.objects.get()


def exported(organisation):
    return write_workbook(export_organisation(organisation))


def test_the_page_offers_the_template_the_export_and_the_upload(logged):
    page = logged.get(IMPORTS).content.decode()
    assert "Télécharger le modèle vide" in page and 'type="file"' in page
    template = logged.get(reverse("exchange:template"))
    assert template["Content-Type"] == XLSX_TYPE
    assert "attachment" in template["Content-Disposition"]
    book = load_workbook(io.BytesIO(template.content))
    assert "Logements" in book.sheetnames and book["Logements"].max_row <= 2


def test_the_export_is_the_organisations_data_and_is_logged(logged, apremis, manager):
    response = logged.get(reverse("exchange:export"))
    book = Book(response.content)
    assert book.get("Membres", "first_name", "M01") == "Aïcha"
    assert "seuil-apremis-" in response["Content-Disposition"]
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.organisation, log.object_uuid) == (manager, apremis, apremis.uuid)


def test_a_file_that_is_no_workbook_is_refused_at_once_and_nothing_is_kept(logged):
    response = upload(logged, b"%PDF-1.4 not a spreadsheet", name="menages.xlsx")
    page = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;est pas un classeur Excel (.xlsx), quel que soit son nom" in page
    assert not SpreadsheetImport.objects.exists()


def test_a_workbook_with_errors_lists_them_all_and_writes_nothing(logged, apremis):
    book = Book(exported(apremis))
    book.set("Logements", "typology", "L01", "T9")
    row = book.set("Membres", "birth_date", "P02", "31/02/2012", key_field="ref")
    book.set("Séjours", "household", "S02", "M99")
    before = row_counts()
    response = upload(logged, book.bytes())
    record = the_import()
    assert response.url == reverse("exchange:import_detail", args=[record.uuid])
    page = logged.get(response.url).content.decode()
    assert record.status == ImportStatus.INVALID
    assert "3 erreurs à corriger" in page
    assert "Rien n'a été enregistré" in page
    for sheet, line, column, message in [
        ("Logements", 3, "C – Typologie", "valeur inconnue « T9 »"),
        ("Membres", row, "E – Date de naissance", "date inexistante « 31/02/2012 »"),
        ("Séjours", 4, "B – Ménage (référence)", "ménage « M99 » inconnu"),
    ]:
        assert f'<th scope="row">{sheet}</th>' in page
        assert f"<td>{line}</td>" in page and column in page and message in page
    assert "Importer</button>" not in page
    assert row_counts() == before


def test_a_new_workbook_is_previewed_then_imported_and_the_history_names_the_importer(
    client, apremis
):
    fresh = Organisation.objects.create(ref="nouvelle", name="Nouvelle association")
    admin = UserFactory(organisation=fresh, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    document = export_organisation(apremis)
    document["organisation"] = {"ref": "nouvelle", "name": "Nouvelle association"}
    before = row_counts()
    upload(client, write_workbook(document))
    record = the_import()
    page = client.get(reverse("exchange:import_detail", args=[record.uuid])).content.decode()
    assert record.status == ImportStatus.READY
    assert "Le classeur est correct" in page and "Importer</button>" in page
    assert record.counts["households"]["created"] == 3
    assert row_counts() == before  # the preview wrote nothing
    response = client.post(reverse("exchange:import_detail", args=[record.uuid]))
    record.refresh_from_db()
    assert response.status_code == 302 and record.status == ImportStatus.DONE
    assert record.document == ""  # the personal data is not kept once imported
    page = client.get(response.url).content.decode()
    assert "Import réussi" in page
    assert Household.objects.filter(organisation=fresh).count() == 3
    history = ChangeRecord.objects.filter(organisation=fresh, object_type="household")
    assert history.count() == 3 and {r.user for r in history} == {admin}
    assert AccessLog.objects.filter(
        user=admin, action=AccessLog.Action.CHANGE, object_uuid=fresh.uuid
    ).exists()
    assert "Importé" in client.get(IMPORTS).content.decode()


def test_the_exported_workbook_imports_with_no_change_and_twice_changes_nothing(logged, apremis):
    before = row_counts()
    history = ChangeRecord.objects.count()
    for _ in range(2):
        upload(logged, exported(apremis))
        record = SpreadsheetImport.objects.first()
        page = logged.get(reverse("exchange:import_detail", args=[record.uuid])).content
        assert "Rien à changer" in page.decode()
        logged.post(reverse("exchange:import_detail", args=[record.uuid]))
        record.refresh_from_db()
        assert record.status == ImportStatus.DONE and not record.changed
    assert row_counts() == before and ChangeRecord.objects.count() == history


def test_importing_a_changed_workbook_twice_changes_it_once(logged, apremis):
    book = Book(exported(apremis))
    book.set("Logements", "rent", "L01", "450,00")
    data = book.bytes()
    for changed in (True, False):
        upload(logged, data)
        record = SpreadsheetImport.objects.first()
        logged.post(reverse("exchange:import_detail", args=[record.uuid]))
        record.refresh_from_db()
        assert record.changed is changed
        assert record.counts["housing_units"]["updated"] == int(changed)


def test_a_second_click_on_import_does_nothing_more(logged, apremis):
    book = Book(exported(apremis))
    book.set("Logements", "rent", "L01", 450)
    upload(logged, book.bytes())
    url = reverse("exchange:import_detail", args=[the_import().uuid])
    logged.post(url)
    history = ChangeRecord.objects.count()
    assert logged.post(url).status_code == 302
    assert ChangeRecord.objects.count() == history and the_import().status == ImportStatus.DONE


def test_when_the_data_changed_since_the_check_the_import_fails_whole(logged, apremis):
    from seuil.housing.models import HousingUnit, Stay

    book = Book(exported(apremis))
    book.set("Logements", "rent", "L01", 450)
    upload(logged, book.bytes())
    record = the_import()
    assert record.status == ImportStatus.READY
    # Meanwhile, someone lets L01 (occupied by S01) to another household, by mistake.
    Stay.objects.create(
        organisation=apremis,
        ref="S8",
        household=Household.objects.get(ref="M02"),
        unit=HousingUnit.objects.get(ref="L01"),
        entered_on="2024-03-01",
    )
    before = row_counts()
    url = reverse("exchange:import_detail", args=[record.uuid])
    logged.post(url)
    record.refresh_from_db()
    page = logged.get(url).content.decode()
    assert record.status == ImportStatus.FAILED and "L'import a échoué" in page
    assert '<th scope="row">Séjours</th>' in page  # the error placed on its sheet
    assert HousingUnit.objects.get(ref="L01").rent == 420.5  # nothing written
    assert row_counts() == before


def test_a_large_workbook_is_checked_and_imported_in_the_background(
    logged, apremis, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.SEUIL_IMPORT_INLINE_MAX_BYTES = 1
    book = Book(exported(apremis))
    book.set("Logements", "rent", "L01", 450)
    with django_capture_on_commit_callbacks(execute=True):
        upload(logged, book.bytes())
    record = the_import()
    url = reverse("exchange:import_detail", args=[record.uuid])
    assert record.status == ImportStatus.CHECKING and record.workbook
    page = logged.get(url).content.decode()
    assert "<progress" in page and "Vérification en cours" in page

    def run_queued(name):
        [task] = DBTaskResult.objects.filter(task_path__endswith=name)
        import_string(task.task_path).call(*task.args_kwargs["args"])
        task.delete()

    run_queued("check_workbook_task")
    record.refresh_from_db()
    assert record.status == ImportStatus.READY and record.workbook == ""
    with django_capture_on_commit_callbacks(execute=True):
        logged.post(url)
    record.refresh_from_db()
    assert record.status == ImportStatus.QUEUED
    assert logged.get(url, headers={"HX-Request": "true"}).status_code == 200
    run_queued("import_workbook_task")
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.counts["housing_units"]["updated"] == 1
    assert logged.get(url, headers={"HX-Request": "true"}).headers["HX-Refresh"] == "true"


def test_a_background_import_is_not_done_for_a_deactivated_account(
    logged, manager, apremis, settings, django_capture_on_commit_callbacks
):
    from seuil.exchange.tasks import check_workbook_task

    settings.SEUIL_IMPORT_INLINE_MAX_BYTES = 1
    with django_capture_on_commit_callbacks(execute=True):
        upload(logged, exported(apremis))
    manager.is_active = False
    manager.save()
    check_workbook_task.call(str(the_import().uuid), manager.pk)
    record = the_import()
    assert record.status == ImportStatus.FAILED and record.workbook == ""
    assert "désactivé" in record.problems


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TENANCY_OFFICER, Role.SIAO_COORDINATOR])
def test_other_roles_may_neither_import_nor_export(client, apremis, role):
    client.force_login(UserFactory(organisation=apremis, role=role))
    for name in ("exchange:imports", "exchange:template", "exchange:export"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, exported(apremis)).status_code == 403
    assert not SpreadsheetImport.objects.exists()


def test_another_organisations_import_is_out_of_reach(client, logged, apremis):
    upload(logged, exported(apremis))
    url = reverse("exchange:import_detail", args=[the_import().uuid])
    other = Organisation.objects.create(ref="autre", name="Autre")
    client.force_login(UserFactory(organisation=other, role=Role.SERVICE_MANAGER))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert the_import().status == ImportStatus.READY
    assert "menages.xlsx" not in client.get(IMPORTS).content.decode()


def test_a_workbook_of_another_organisation_is_refused(client, apremis):
    other = Organisation.objects.create(ref="autre", name="Autre")
    client.force_login(UserFactory(organisation=other, role=Role.SERVICE_MANAGER))
    before = row_counts()
    upload(client, exported(apremis))
    record = the_import()
    page = client.get(reverse("exchange:import_detail", args=[record.uuid])).content.decode()
    assert record.status == ImportStatus.INVALID
    assert "ce classeur est celui de l&#x27;organisation « apremis »" in page
    assert row_counts() == before


def test_the_daily_task_forgets_unimported_workbooks_and_old_imports(logged, apremis):
    import datetime

    from django.utils import timezone

    from seuil.core.daily import daily_tasks
    from seuil.exchange.tasks import purge_imports_task

    assert purge_imports_task in daily_tasks()
    upload(logged, exported(apremis))
    ready = the_import()
    old = SpreadsheetImport.objects.create(
        organisation=apremis, filename="ancien.xlsx", status=ImportStatus.DONE
    )
    now = timezone.now()
    SpreadsheetImport.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(400))
    assert (
        purge_imports_task(now, dry_run=True)
        == "1 import de classeur ancien serait purgé (simulation)."
    )
    later = now + datetime.timedelta(days=2)
    assert purge_imports_task(later) == "2 imports de classeurs anciens purgés."
    ready.refresh_from_db()
    assert ready.status == ImportStatus.EXPIRED and ready.document == ""
    assert not SpreadsheetImport.objects.filter(pk=old.pk).exists()
    page = logged.get(reverse("exchange:import_detail", args=[ready.uuid])).content.decode()
    assert "pas importé dans la journée" in page and "Importer</button>" not in page


def test_an_import_whose_worker_was_killed_is_taken_back_then_failed(
    logged, apremis, settings, django_capture_on_commit_callbacks
):
    """kill -9 of `seuil db_worker` during an import: a live worker queues it again once
    (the import is one transaction: nothing of the first attempt stays), then fails it."""
    import datetime

    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from seuil.core.workers import reclaim_abandoned

    settings.SEUIL_IMPORT_INLINE_MAX_BYTES = 1
    with django_capture_on_commit_callbacks(execute=True):
        upload(logged, exported(apremis))
    [check] = DBTaskResult.objects.filter(task_path__endswith="check_workbook_task")
    import_string(check.task_path).call(*check.args_kwargs["args"])
    check.delete()
    record = the_import()
    url = reverse("exchange:import_detail", args=[record.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        logged.post(url)
    [task] = DBTaskResult.objects.filter(task_path__endswith="import_workbook_task")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    for worker in ("killed-1", "killed-2"):
        task.claim(worker)  # claimed, the import started, then the worker was killed
        DBTaskResult.objects.filter(pk=task.pk).update(started_at=long_ago)
        SpreadsheetImport.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
        page = logged.get(url).content.decode()
        assert "ne donne plus signe de vie : ce traitement est interrompu" in page
        reclaim_abandoned()
        task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and record.document == ""
    assert "interrompu" in logged.get(url).content.decode()


def values(book):
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.book}


def test_a_large_organisations_workbook_is_prepared_in_the_background(
    logged, apremis, manager, settings, django_capture_on_commit_callbacks
):
    from seuil.core.models import PreparedDownload
    from tests.notifications.conftest import run_worker

    at_once = Book(logged.get(reverse("exchange:export")).content)
    settings.SEUIL_EXPORT_INLINE_MAX_ROWS = Household.objects.filter(organisation=apremis).count()
    assert "plus de" in logged.get(IMPORTS).content.decode()
    settings.SEUIL_EXPORT_INLINE_MAX_ROWS -= 1
    with django_capture_on_commit_callbacks(execute=True):
        response = logged.get(reverse("exchange:export"))
    download = PreparedDownload.objects.get()
    assert response["Location"] == reverse("prepared_download", args=[download.uuid])
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1
    run_worker()
    download.refresh_from_db()
    assert download.status == "done" and download.filename.startswith("seuil-apremis-")
    # Its progress was counted in rows of the main lists: units, households, stays…
    exported = export_organisation(apremis)
    assert download.rows == sum(len(v) for v in exported.values() if isinstance(v, list))
    page = logged.get(reverse("prepared_download", args=[download.uuid])).content.decode()
    assert "Import et export des données" in page  # the way back
    file = logged.get(reverse("prepared_download_file", args=[download.uuid]))
    assert file["Content-Type"] == XLSX_TYPE
    book = Book(b"".join(file.streaming_content))
    assert book.get("Membres", "first_name", "M01") == "Aïcha"
    assert values(book) == values(at_once)
    log = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).latest("pk")
    assert (log.user, log.organisation, log.object_uuid) == (manager, apremis, apremis.uuid)
