"""`seuil backup` then `seuil restore` into an empty database gives back every row."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from seuil.core.audit import record_access
from seuil.core.backup import backed_up_models, kept_in_backups, read_entries
from seuil.core.enums import Role
from seuil.core.models import AccessLog, ApiToken, User
from seuil.households.links import hand_over
from seuil.households.merging import merge_households
from seuil.households.models import ClinicalNote, ClinicalNoteShare, ClinicalReferral, Household
from seuil.housing.models import Programme
from seuil.matching import services as matching_services
from seuil.orientation.models import Referral
from seuil.support.services import issue_calendar_feed
from tests.support.factories import partner_referral_of, path_records_of

pytestmark = pytest.mark.django_db(transaction=True)


def seuil_models():
    """Every Seuil model but those whose rows a backup leaves out on purpose
    (`kept_in_backups`)."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("seuil.") or config.label in ("otp_totp", "otp_static")
        for model in config.get_models()
        if kept_in_backups(model)
    ]


def everything():
    """Every row of every Seuil model (and groups), as plain values, by model.

    Permissions are recreated by each `migrate` (their ids may change): links to them are
    compared by natural key, as are the links of users to groups."""
    models = seuil_models()
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in [*models, Group]
    }
    rows["user groups"] = set(User.groups.through.objects.values_list("user_id", "group__name"))
    rows["user permissions"] = set(
        User.user_permissions.through.objects.values_list(
            "user_id", "permission__content_type__app_label", "permission__codename"
        )
    )
    rows["group permissions"] = set(
        Group.permissions.through.objects.values_list(
            "group__name", "permission__content_type__app_label", "permission__codename"
        )
    )
    return rows


def _contact_details_and_documents(user, household):
    """Dated contact details of a member, and a document of each owner (household, unit,
    stay): rows the demo does not write."""
    from seuil.core.documents import DocumentKind, detect_type
    from seuil.households.models import HouseholdDocument
    from seuil.households.services import record_contact_details
    from seuil.housing.models import HousingDocument, Stay

    person = household.memberships.first().person
    record_contact_details(
        person,
        acting_user=user,
        since=datetime.date(2024, 1, 1),
        phones=["06 12 34 56 78"],
        languages=["fr", "ar"],
    )
    pdf = b"%PDF-1.4\n%%EOF"
    stay = Stay.objects.first()
    for document in (
        HouseholdDocument(household=household, person=person),
        HousingDocument(organisation=stay.organisation, stay=stay),
        HousingDocument(organisation=stay.unit.organisation, unit=stay.unit),
    ):
        document.kind = DocumentKind.OTHER
        document.save_with_file(pdf, detect_type(pdf), "piece.pdf", document.save)


@pytest.fixture
def data(demo_loaded, document_storage):
    user = User.objects.get(username="travailleur-social")
    group = Group.objects.create(name="Référents")
    group.permissions.add(Permission.objects.get(codename="view_household"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="change_household"))
    ApiToken.issue(user, name="export")
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    StaticDevice.objects.create(user=user, name="Codes de secours").token_set.create(
        token="a1b2c3d4"
    )
    record_access(user, AccessLog.Action.VIEW, Household.objects.first())
    note = ClinicalNote.objects.first()  # shared with a colleague the household is referred to
    colleague = User.objects.create(
        username="psychologue-relais", organisation=note.author.organisation, role=Role.PSYCHOLOGIST
    )
    ClinicalReferral.objects.create(
        household=note.household, psychologist=colleague, referred_on=note.written_at.date()
    )
    ClinicalNoteShare.objects.create(note=note, psychologist=colleague, shared_by=note.author)
    coordinator = User.objects.get(username="coordinatrice-siao")
    matching_services.start_run(Programme.objects.get(ref="iml-r"), acting_user=coordinator)
    # A SIAO's household handed over to the operator of the programme it was admitted to.
    referral = Referral.objects.filter(household__organisation=coordinator.organisation).first()
    referral = referral or Referral.objects.first()
    siao_household = Household.objects.filter(organisation=coordinator.organisation).first()
    hand_over(
        siao_household,
        to=Programme.objects.get(ref="iml-r").organisation,
        on=referral.admitted_on,
        by=coordinator,
        reason="Admis en IML : l'opérateur assure l'accompagnement.",
    )
    # The demo holds a bank statement, its CSV mapping, prevention cases, partners, referrals,
    # adults' paths, monthly reviews and meetings already.
    _mobility_path(siao_household)
    # A duplicate file merged into another: the merge and its encrypted undo data.
    kept = Household.objects.filter(organisation=user.organisation).first()
    duplicate = Household.objects.create(organisation=kept.organisation, ref="M-DOUBLON")
    merge_households(kept, duplicate, by=user, reason="Saisi deux fois")
    _checked_workbook(User.objects.get(username="responsable"))
    _contact_details_and_documents(user, Household.objects.first())
    _rent_document(User.objects.get(username="regisseur"))
    issue_calendar_feed(user, by=user)
    _invitation(User.objects.get(username="responsable"))
    _review_and_meeting(user, Household.objects.filter(organisation=user.organisation).first())
    # A referral to a partner and the path of an adult (employment, training, French).
    partner_referral_of(kept)
    path_records_of(kept, kept.memberships.first().person)
    _worker_heartbeat()
    return everything()


def _worker_heartbeat():
    """A background worker's sign of life (the demo runs none)."""
    from django.utils import timezone

    from seuil.core.workers import beat

    beat("a1b2c3", started_at=timezone.now())


def _invitation(by):
    """An invitation still pending (the demo sends none)."""
    from django.utils import timezone

    from seuil.accounts.models import Invitation

    invited = User.objects.create(
        username="invitee@example.org", organisation=by.organisation, role=Role.SOCIAL_WORKER
    )
    Invitation.objects.create(
        user=invited, sent_by=by, expires_at=timezone.now() + datetime.timedelta(days=7)
    )


def _rent_document(officer):
    """An avis noted as sent (the demo has none; it holds the inspections' rooms, meters
    and keys, repairs, insurance certificates, charges regularisations and housing benefit
    received)."""
    from seuil.tenancy import services as tenancy
    from seuil.tenancy.models import RentCall

    call = RentCall.objects.filter(sub_lease__organisation=officer.organisation).first()
    tenancy.record_delivery(call, "notice", "sent", call.due_on, by=officer)


def _review_and_meeting(user, household):
    """A monthly review and a meeting with its agenda (encrypted texts included)."""
    from seuil.support import services as support_services

    support_services.record_review(
        household, held_on=datetime.date(2024, 3, 4), by=user, risks="Impayé possible"
    )
    support_services.record_meeting(
        kind="coordination_cell",
        held_on=datetime.date(2024, 3, 5),
        by=user,
        households=[household],
        participants="Mme Martin, CAF",
        minutes="Point sur la situation.",
    )


def _checked_workbook(manager):
    """A workbook checked on the import page and not imported yet (its document kept
    encrypted until then)."""
    import io

    from seuil.exchange.models import ImportStatus
    from seuil.exchange.services import export_workbook, upload_workbook

    upload = io.BytesIO(export_workbook(manager))
    upload.name = "reprise.xlsx"
    assert upload_workbook(upload, manager).status == ImportStatus.READY


def _mobility_path(household):
    """A mobility path of a household held by the SIAO, with a step and a meeting."""
    from seuil.core.models import Organisation
    from seuil.outcomes.models import MobilityFile, MobilityTransition, ThreeWayMeeting

    file = MobilityFile.objects.create(
        ref="MOB-1",
        household=household,
        platform=Organisation.objects.get(ref="plateforme-nationale"),
        departure=household.organisation,
        departure_department="80",
        opened_on=datetime.date(2025, 1, 2),
    )
    MobilityTransition.objects.create(file=file, to_status="information", on=file.opened_on)
    ThreeWayMeeting.objects.create(file=file, planned_on=file.opened_on)


@pytest.mark.parametrize("name", ["sauvegarde.json", "sauvegarde.json.gz"])
def test_a_restored_backup_holds_every_row_again(data, tmp_path, name, capsys):
    rows = sum(len(values) for values in data.values())
    empty = [
        m._meta.label
        for m in seuil_models()
        if m._meta.app_label != "reports" and not data[m._meta.label]
    ]
    assert not empty
    path = str(tmp_path / name)
    call_command("backup", "--output", path)
    if name.endswith(".gz"):
        with open(path, "rb") as file:
            assert file.read(2) == b"\x1f\x8b"  # gzip
    call_command("flush", "--no-input")
    assert not any(everything().values())
    call_command("restore", path)
    assert everything() == data
    assert rows > 1000
    assert "Sauvegarde restaurée" in capsys.readouterr().out


def test_a_restore_into_a_database_holding_data_is_refused(data, tmp_path):
    path = str(tmp_path / "sauvegarde.json.gz")
    call_command("backup", "--output", path)
    with pytest.raises(CommandError, match="La base de données contient déjà des données"):
        call_command("restore", path)
    assert everything() == data


def test_a_backup_of_accounts_without_groups_is_restored(tmp_path):
    """A user in no group, then rows naming users (by their natural key): the restore
    looks the users up once they are inserted, links to groups or none."""
    from tests.core.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory()
    alone = UserFactory(organisation=organisation, username="sans-groupe")
    grouped = UserFactory(organisation=organisation, username="en-groupe")
    grouped.groups.add(Group.objects.create(name="Référents"))
    ApiToken.issue(alone, name="export")
    rows = everything()
    path = str(tmp_path / "sauvegarde.json")
    call_command("backup", "--output", path)
    call_command("flush", "--no-input")
    call_command("restore", path)
    assert everything() == rows


def test_every_seuil_model_is_backed_up():
    labels = {m._meta.label for m in backed_up_models()}
    assert {m._meta.label for m in seuil_models()} <= labels
    assert "auth.Group" in labels


def test_a_backup_file_needs_a_json_name(tmp_path):
    with pytest.raises(CommandError, match=r"\.json ou \.json\.gz"):
        call_command("backup", "--output", str(tmp_path / "sauvegarde.zip"))


def _documents_on_disk(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_attached_documents_come_back_with_the_rows(data, tmp_path, document_storage):
    from seuil.core.documents import read_decrypted
    from seuil.households.models import HouseholdDocument

    stored = _documents_on_disk(document_storage)
    assert len(stored) == 3
    path = str(tmp_path / "sauvegarde.json.gz")
    call_command("backup", "--output", path)
    call_command("flush", "--no-input")
    for file in stored:
        (document_storage / file).unlink()
    call_command("restore", path)
    assert _documents_on_disk(document_storage) == stored  # still encrypted, same names
    document = HouseholdDocument.objects.get()
    assert read_decrypted(document.stored_name) == b"%PDF-1.4\n%%EOF"


def test_a_backup_without_the_documents(data, tmp_path, capsys):
    path = str(tmp_path / "sauvegarde.json")
    call_command("backup", "--output", path, "--no-documents")
    assert "documents non copiés" in capsys.readouterr().out
    with open(path, encoding="utf-8") as file:
        entries = list(read_entries(file))
    assert len(entries) > 1000
    assert not [entry for entry in entries if "document" in entry]


def test_a_restore_stopped_half_way_leaves_an_empty_database(
    data, tmp_path, document_storage, monkeypatch
):
    from seuil.core import backup

    path = str(tmp_path / "sauvegarde.json.gz")
    call_command("backup", "--output", path)
    call_command("flush", "--no-input")
    for file in _documents_on_disk(document_storage):
        (document_storage / file).unlink()
    inserts = []
    insert = backup._Loader._insert

    def stopped(self, model, rows):
        inserts.append(model)
        if len(inserts) > 20:
            raise KeyboardInterrupt  # Ctrl+C, half-way
        insert(self, model, rows)

    monkeypatch.setattr(backup._Loader, "_insert", stopped)
    with pytest.raises(KeyboardInterrupt):
        call_command("restore", path)
    assert not any(everything().values())
    monkeypatch.setattr(backup._Loader, "_insert", insert)
    call_command("restore", path)  # and the same backup restores entirely afterwards
    assert everything() == data


def test_a_truncated_backup_restores_nothing(data, tmp_path):
    path = tmp_path / "sauvegarde.json"
    call_command("backup", "--output", str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    call_command("flush", "--no-input")
    with pytest.raises(CommandError, match="tronquée"):
        call_command("restore", str(path))
    assert not any(everything().values())


def test_a_backup_written_by_earlier_versions_is_restored(data, tmp_path):
    """Earlier versions wrote Django's serialisation as is (no documents): still read."""
    from django.core import serializers

    from seuil.core.backup import ExactJSONEncoder, _in_dependency_order

    path = tmp_path / "ancienne.json"
    rows = (
        row
        for model in _in_dependency_order(backed_up_models())
        for row in model._base_manager.order_by("pk")
    )
    with open(path, "w", encoding="utf-8") as stream:
        serializers.serialize(
            "json", rows, stream=stream, use_natural_foreign_keys=True, cls=ExactJSONEncoder
        )
    call_command("flush", "--no-input")
    call_command("restore", str(path))
    assert everything() == data
