"""Every page and API endpoint, walked for an anonymous visitor and for another organisation.

The map below names, for every URL, the object of organisation A its parameters point to.
A URL that is not in the map fails the test, so a new page cannot escape this battery.
"""

import datetime
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from seuil.core.models import ApiToken
from seuil.households.models import ContactDetails, FileMerge
from tests.core.factories import UserFactory
from tests.households.factories import (
    ClinicalNoteFactory,
    ClinicalReferralFactory,
    ConsentFactory,
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory
from tests.matching.factories import matching_run_of
from tests.orientation.factories import orientation_data_of
from tests.support.factories import support_data_of
from tests.tenancy.factories import tenancy_data_of

# The single sign-on pages are public too, and answer 404 on an instance without it.
SSO_PAGES = {"oidc_authentication_init", "oidc_authentication_callback"}
PUBLIC = {
    "login",
    "accessibility",
    "outcomes:answer",
    "support:calendar_feed",
    "outcomes:what_we_keep",
    "invitation_accept",
    *SSO_PAGES,
}
# URL name → {parameter: object of A it points to}
URL_MAP = {
    "home": {},
    "login": {},
    "oidc_authentication_init": {},
    "oidc_authentication_callback": {},
    # An invitation's one-time link: its token stands for the "uuid" of the map.
    "invitation_accept": {"token": "invitation_link"},
    "users:list": {},
    "users:invite": {},
    "users:detail": {"uuid": "account"},
    "users:role": {"uuid": "account"},
    "users:deactivate": {"uuid": "account"},
    "users:reactivate": {"uuid": "account"},
    "users:reset_second_factor": {"uuid": "account"},
    "users:resend_invitation": {"uuid": "account"},
    "users:revoke_invitation": {"uuid": "account"},
    "logout": {},
    "accessibility": {},
    "account": {},
    "password_change": {},
    "password_change_done": {},
    "api_tokens": {},
    "api_token_revoke": {"uuid": "token"},
    "api_token_renew": {"uuid": "token"},
    "recovery_codes": {},
    "two_factor_verify": {},
    "two_factor_setup": {},
    "two_factor_qr": {},
    "organisation_settings": {},
    "organisation_chain": {},
    "partners": {},
    "partner_create": {},
    "partner_edit": {"uuid": "partner"},
    "partner_active": {"uuid": "partner"},
    "notifications:inbox": {},
    "notifications:preferences": {},
    "notifications:todo": {},
    "search": {},
    "households:list": {},
    "households:create": {},
    "households:detail": {"uuid": "household"},
    "households:edit": {"uuid": "household"},
    "households:add_member": {"uuid": "household"},
    "households:edit_member": {"uuid": "household", "membership": "membership"},
    "households:add_legal_status": {"uuid": "household", "person": "person"},
    "households:add_resources": {"uuid": "household"},
    "households:add_contact_details": {"uuid": "household", "person": "person"},
    "households:add_document": {"uuid": "household"},
    "households:document": {"uuid": "household", "document": "household_document"},
    "households:delete_document": {"uuid": "household", "document": "household_document"},
    "households:history": {"uuid": "household"},
    "households:access_log": {"uuid": "household"},
    "households:social_note": {"uuid": "household"},
    "households:add_consent": {"uuid": "household"},
    "households:revoke_consent": {"uuid": "household", "consent": "consent"},
    "households:refer_to_psychologist": {"uuid": "household"},
    "households:end_clinical_referral": {"uuid": "household", "referral": "clinical_referral"},
    "households:clinical_notes": {"uuid": "household"},
    "households:share_clinical_note": {"uuid": "household", "note": "clinical_note"},
    "households:shared_notes": {},
    "households:handover": {"uuid": "household"},
    "households:correct_legal_status": {"uuid": "household", "record": "legal_status"},
    "households:delete_legal_status": {"uuid": "household", "record": "legal_status"},
    "households:correct_contact_details": {"uuid": "household", "record": "contact_details"},
    "households:delete_contact_details": {"uuid": "household", "record": "contact_details"},
    "households:correct_resources": {"uuid": "household", "record": "resource_record"},
    "households:delete_resources": {"uuid": "household", "record": "resource_record"},
    "households:delete_member": {"uuid": "household", "membership": "membership"},
    "households:merge": {"uuid": "household"},
    # The household with itself: the page shows why it cannot be merged.
    "households:merge_with": {"uuid": "household", "other": "household"},
    "households:merge_person": {"uuid": "household", "person": "person"},
    "households:undo_merge": {"uuid": "household", "merge": "file_merge"},
    "households:pdf": {"uuid": "household"},
    "households:subject_access_json": {"uuid": "person"},
    "households:subject_access_pdf": {"uuid": "person"},
    "housing:list": {},
    "housing:create": {},
    "housing:detail": {"uuid": "unit"},
    "housing:edit": {"uuid": "unit"},
    "housing:enter": {"uuid": "unit"},
    "housing:exit": {"stay": "stay"},
    "housing:programmes": {},
    "housing:programme_create": {},
    "housing:programme_edit": {"uuid": "programme"},
    "housing:programme_delete": {"uuid": "programme"},
    "housing:sectors": {},
    "housing:sector_create": {},
    "housing:sector_edit": {"uuid": "sector"},
    "housing:sector_delete": {"uuid": "sector"},
    "housing:landlords": {},
    "housing:landlord_create": {},
    "housing:landlord_edit": {"uuid": "landlord"},
    "housing:landlord_delete": {"uuid": "landlord"},
    "housing:landlord_space": {"uuid": "landlord"},
    "housing:landlord_link": {"uuid": "landlord"},
    "housing:correct_stay": {"stay": "stay"},
    "housing:delete_stay": {"stay": "stay"},
    "housing:add_unit_document": {"uuid": "unit"},
    "housing:add_stay_document": {"stay": "stay"},
    "housing:document": {"document": "stay_document"},
    "housing:delete_unit_document": {"uuid": "unit", "document": "unit_document"},
    "housing:delete_stay_document": {"stay": "stay", "document": "stay_document"},
    "orientation:index": {},
    "orientation:dashboard": {},
    "orientation:waiting_export": {},
    "orientation:requests": {},
    "orientation:request_create": {},
    "orientation:request_detail": {"uuid": "request"},
    "orientation:assess": {"uuid": "request"},
    "orientation:request_withdraw": {"uuid": "request"},
    "orientation:request_schedule": {"uuid": "request"},
    "orientation:meetings": {},
    "orientation:meeting_create": {},
    "orientation:meeting_detail": {"uuid": "meeting"},
    "orientation:meeting_edit": {"uuid": "meeting"},
    "orientation:meeting_agenda": {"uuid": "meeting"},
    "orientation:decide": {"uuid": "meeting", "request_uuid": "request"},
    "orientation:meeting_minutes": {"uuid": "meeting"},
    "orientation:waiting_lists": {},
    "orientation:waiting_list": {"uuid": "programme"},
    "orientation:priority_weights": {},
    "orientation:vacancies": {},
    "orientation:vacancy_declare": {},
    "orientation:vacancy_detail": {"uuid": "vacancy"},
    "orientation:vacancy_close": {"uuid": "vacancy"},
    "orientation:propose": {"uuid": "vacancy"},
    "orientation:proposals": {},
    "orientation:proposal_detail": {"uuid": "proposal"},
    "orientation:proposal_answer": {"uuid": "proposal"},
    "orientation:proposal_withdraw": {"uuid": "proposal"},
    "orientation:proposal_enter": {"uuid": "proposal"},
    "outcomes:due": {},
    "outcomes:outcomes": {},
    "outcomes:stay": {"stay": "stay"},
    "outcomes:record": {"stay": "stay"},
    "outcomes:issue_link": {"stay": "stay"},
    "outcomes:checklist": {"stay": "stay"},
    "outcomes:edit": {"uuid": "follow_up"},
    "outcomes:what_we_keep": {},
    # The household's one-time link: its token stands for the "uuid" of the map.
    "outcomes:answer": {"token": "follow_up_link"},
    "mobility:files": {},
    "mobility:open": {},
    "mobility:detail": {"uuid": "mobility_file"},
    "mobility:step": {"uuid": "mobility_file"},
    "mobility:meeting": {"uuid": "mobility_file"},
    "mobility:transfer": {"uuid": "mobility_file"},
    "mobility:territories": {},
    "mobility:territory_create": {},
    "mobility:territory": {"uuid": "territory_sheet"},
    "mobility:territory_edit": {"uuid": "territory_sheet"},
    "matching:runs": {},
    "matching:run_detail": {"uuid": "matching_run"},
    "matching:accept_pairs": {"uuid": "matching_run"},
    "matching:employment_scores": {},
    "tenancy:month": {},
    "tenancy:account": {"uuid": "sub_lease"},
    "tenancy:sub_lease_edit": {"uuid": "sub_lease"},
    "tenancy:payment_create": {"uuid": "sub_lease"},
    "tenancy:plan_create": {"uuid": "sub_lease"},
    "tenancy:sub_lease_create": {"stay": "stay"},
    "tenancy:inspection_create": {"unit": "unit"},
    "tenancy:rent_call_edit": {"uuid": "rent_call"},
    "tenancy:prevention_open": {"uuid": "sub_lease"},
    "tenancy:prevention_step": {"uuid": "prevention_case"},
    "tenancy:contract_pdf": {"uuid": "sub_lease"},
    "tenancy:convention_pdf": {"uuid": "sub_lease"},
    "tenancy:regularisation_create": {"uuid": "sub_lease"},
    "tenancy:benefit_receipt_create": {"uuid": "sub_lease"},
    "tenancy:notice_pdf": {"uuid": "rent_call"},
    "tenancy:receipt_pdf": {"uuid": "rent_call"},
    "tenancy:delivery": {"uuid": "rent_call"},
    "tenancy:ccapex_pdf": {"uuid": "prevention_case"},
    "tenancy:inspection": {"uuid": "inspection"},
    "tenancy:inspection_room": {"uuid": "inspection"},
    "tenancy:inspection_room_edit": {"uuid": "inspection", "room": "room"},
    "tenancy:inspection_copy_rooms": {"uuid": "inspection"},
    "tenancy:inspection_meter": {"uuid": "inspection"},
    "tenancy:inspection_keys": {"uuid": "inspection"},
    "tenancy:inspection_signatures": {"uuid": "inspection"},
    "tenancy:inspection_pdf": {"uuid": "inspection"},
    "tenancy:inspection_compare": {"uuid": "inspection"},
    "tenancy:repair_create": {"unit": "unit"},
    "tenancy:repair_edit": {"uuid": "repair"},
    "tenancy:repair_move": {"uuid": "repair"},
    "tenancy:insurance_create": {"household": "household"},
    "tenancy:insurance_edit": {"uuid": "insurance"},
    "tenancy:bank": {},
    "tenancy:bank_mapping": {},
    "support:week": {},
    "support:calendar": {},
    "support:my_calendar": {},
    # A worker's calendar feed: its secret key stands for the "uuid" of the map.
    "support:calendar_feed": {"key": "calendar_feed_link"},
    "support:objectives_propose": {"uuid": "household"},
    "support:contract_print": {"uuid": "support_contract"},
    "support:caseloads": {},
    "support:reassign": {},
    "support:due": {},
    "support:dashboard": {},
    "support:settings": {"uuid": "programme"},
    "support:contract_sign": {"stay": "stay"},
    "support:intensity": {"stay": "stay"},
    "support:amendment_add": {"uuid": "support_contract"},
    "support:objective_add": {"uuid": "household"},
    "support:contact_add": {"uuid": "household"},
    "support:referent_assign": {"uuid": "household"},
    "support:objective_close": {"uuid": "objective"},
    "support:contact_report": {"uuid": "contact"},
    "support:review_add": {"uuid": "household"},
    "support:reviews": {},
    "support:review": {"uuid": "monthly_review"},
    "support:meetings": {},
    "support:meeting_add": {},
    "support:meeting": {"uuid": "support_meeting"},
    "support:meeting_edit": {"uuid": "support_meeting"},
    "support:minutes": {"uuid": "support_meeting"},
    "support:partner_referral_add": {"uuid": "household"},
    "support:partner_referral_result": {"uuid": "partner_referral"},
    "support:employment_add": {"uuid": "household", "person": "person"},
    "support:training_add": {"uuid": "household", "person": "person"},
    "support:french_level_add": {"uuid": "household", "person": "person"},
    "support:employment_correct": {"uuid": "employmentrecord"},
    "support:employment_delete": {"uuid": "employmentrecord"},
    "support:training_correct": {"uuid": "trainingrecord"},
    "support:training_delete": {"uuid": "trainingrecord"},
    "support:french_level_correct": {"uuid": "frenchlevelrecord"},
    "support:french_level_delete": {"uuid": "frenchlevelrecord"},
    "reports:activity": {},
    "reports:download": {},
    "reports:steering": {},
    "reports:data_quality": {},
    "api-schema": {},
    "api-root": {},
    "household-list": {},
    "household-detail": {"uuid": "household"},
    "household-members": {"uuid": "household"},
    "household-resources": {"uuid": "household"},
    "person-list": {},
    "person-detail": {"uuid": "person"},
    "person-legal-status": {"uuid": "person"},
    "person-contact-details": {"uuid": "person"},
    "membership-detail": {"uuid": "membership"},
    "housing-unit-list": {},
    "housing-unit-detail": {"uuid": "unit"},
    "stay-list": {},
    "stay-detail": {"uuid": "stay"},
    "stay-exit": {"uuid": "stay"},
    "programme-list": {},
    "programme-detail": {"uuid": "programme"},
    "sector-list": {},
    "sector-detail": {"uuid": "sector"},
    "landlord-list": {},
    "landlord-detail": {"uuid": "landlord"},
    # tenancy
    "sub-lease-list": {},
    "sub-lease-detail": {"uuid": "sub_lease"},
    "sub-lease-account": {"uuid": "sub_lease"},
    "rent-call-list": {},
    "rent-call-detail": {"uuid": "rent_call"},
    "payment-list": {},
    "payment-detail": {"uuid": "payment"},
    "repayment-plan-list": {},
    "repayment-plan-detail": {"uuid": "repayment_plan"},
    "support-contract-list": {},
    "support-contract-detail": {"uuid": "support_contract"},
    "support-contract-amendments": {"uuid": "support_contract"},
    "contact-list": {},
    "contact-detail": {"uuid": "contact"},
    "objective-list": {},
    "objective-detail": {"uuid": "objective"},
    "objective-close": {"uuid": "objective"},
    "partner-referral-list": {},
    "partner-referral-detail": {"uuid": "partner_referral"},
    "partner-referral-result": {"uuid": "partner_referral"},
    "employment-record-list": {},
    "employment-record-detail": {"uuid": "employmentrecord"},
    "training-record-list": {},
    "training-record-detail": {"uuid": "trainingrecord"},
    "french-level-record-list": {},
    "french-level-record-detail": {"uuid": "frenchlevelrecord"},
    "review-list": {},
    "review-detail": {"uuid": "monthly_review"},
    "meeting-list": {},
    "meeting-detail": {"uuid": "support_meeting"},
    "follow-up-list": {},
    "follow-up-detail": {"uuid": "follow_up"},
    "follow-up-due": {},
    "mobility-file-list": {},
    "mobility-file-detail": {"uuid": "mobility_file"},
    "mobility-file-step": {"uuid": "mobility_file"},
    # exchange: the spreadsheet import and export
    "exchange:imports": {},
    "exchange:template": {},
    "exchange:export": {},
    "exchange:import_detail": {"uuid": "spreadsheet_import"},
    # core: a file prepared in the background, its requester's alone
    "prepared_download": {"uuid": "prepared_download"},
    "prepared_download_file": {"uuid": "prepared_download"},
}


def url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and "format" not in pattern.pattern.regex.groupindex:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def documents_of(household, person, unit, stay):
    """A document of each kind of owner (their files in the test's own folder)."""
    from seuil.core.documents import DocumentKind, detect_type
    from seuil.households.models import HouseholdDocument
    from seuil.housing.models import HousingDocument

    pdf = b"%PDF-1.4\nSecret\n%%EOF"
    documents = {
        "household_document": HouseholdDocument(household=household, person=person),
        "unit_document": HousingDocument(organisation=unit.organisation, unit=unit),
        "stay_document": HousingDocument(organisation=stay.organisation, stay=stay),
    }
    for document in documents.values():
        document.kind = DocumentKind.OTHER
        document.save_with_file(pdf, detect_type(pdf), "Secret.pdf", document.save)
    return documents


@pytest.fixture
def data_of_a(org_a, document_storage):
    from seuil.core.models import Partner
    from seuil.housing.models import Landlord, Sector

    household = HouseholdFactory(organisation=org_a, ref="M-SECRET")
    person = PersonFactory(organisation=org_a, first_name="Zénobie", last_name="Q'Secret")
    membership = MembershipFactory(household=household, person=person, role="head")
    legal_status = LegalStatusRecordFactory(person=person)
    contact_details = ContactDetails.objects.create(
        person=person, since=datetime.date(2024, 1, 1), phones=["+33612345678"]
    )
    resource_record = ResourceRecordFactory(household=household)
    file_merge = FileMerge.objects.create(
        organisation=org_a,
        kind=FileMerge.Kind.PERSON,
        household=household,
        kept_uuid=person.uuid,
        kept_ref=person.ref,
        absorbed_uuid=uuid.uuid4(),
        absorbed_ref="P-SECRET-2",
        undo_until=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
        undo_data="{}",
    )
    programme = ProgrammeFactory(organisation=org_a, ref="prog-secret", name="Programme secret")
    sector = Sector.objects.create(organisation=org_a, ref="sect-secret", name="Secteur secret")
    landlord = Landlord.objects.create(organisation=org_a, ref="bail-secret", name="Bail secret")
    unit = HousingUnitFactory(
        organisation=org_a, ref="L-SECRET", programme=programme, sector=sector, landlord=landlord
    )
    stay = StayFactory(household=household, unit=unit, entered_on=datetime.date(2024, 1, 1))
    consent = ConsentFactory(household=household)
    clinical_referral = ClinicalReferralFactory(household=household)
    clinical_note = ClinicalNoteFactory(
        household=household, author=clinical_referral.psychologist, text="Note Secret"
    )
    orientation = orientation_data_of(
        org_a, household=household, programme=programme, landlord=landlord
    )
    return {
        "household": household,
        "person": person,
        "membership": membership,
        "legal_status": legal_status,
        "contact_details": contact_details,
        "resource_record": resource_record,
        "file_merge": file_merge,
        "programme": programme,
        "sector": sector,
        "landlord": landlord,
        "unit": unit,
        "stay": stay,
        "consent": consent,
        "clinical_referral": clinical_referral,
        "clinical_note": clinical_note,
        "token": ApiToken.issue(UserFactory(organisation=org_a), name="jeton-a")[0],
        "partner": Partner.objects.create(organisation=org_a, name="Partenaire Secret", kind="caf"),
        **orientation,
        "matching_run": matching_run_of(org_a, programme),
        **tenancy_data_of(stay),
        **support_data_of(stay),
        **outcomes_data_of(stay),
        **accounts_data_of(org_a),
        "spreadsheet_import": spreadsheet_import_of(org_a),
        "prepared_download": prepared_download_of(org_a),
        **documents_of(household, person, unit, stay),
    }


def accounts_data_of(organisation):
    """An account of A and the link of an invitation pending, whose token stands for its
    uuid in the URL."""
    from types import SimpleNamespace

    from seuil.accounts.invitations import token_of
    from seuil.accounts.models import Invitation

    account = UserFactory(organisation=organisation)
    invited = UserFactory(
        organisation=organisation, username="invite-a", email="invite@a.example", is_active=False
    )
    invitation = Invitation.objects.create(
        user=invited, expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    )
    return {"account": account, "invitation_link": SimpleNamespace(uuid=token_of(invitation))}


def prepared_download_of(organisation):
    """The day's waiting lists prepared for a coordinator of A, ready (its one part names a
    household of A)."""
    from seuil.core.crypto import current_fernet
    from seuil.core.enums import DownloadStatus, Role
    from seuil.core.models import PreparedDownload

    download = PreparedDownload.objects.create(
        organisation=organisation,
        requested_by=UserFactory(organisation=organisation, role=Role.SIAO_COORDINATOR),
        kind="waiting_lists",
        options={"format": "csv", "day": "2026-01-05"},
        filename="Secret-listes.csv",
        content_type="text/csv; charset=utf-8",
        status=DownloadStatus.DONE,
        rows=1,
        size=17,
    )
    download.parts.create(number=0, data=current_fernet().encrypt("M-SECRET;Zénobie\n".encode()))
    return download


def spreadsheet_import_of(organisation):
    """A workbook checked for A, not imported yet (its preview names a file of A)."""
    from seuil.exchange.models import ImportStatus, SpreadsheetImport

    return SpreadsheetImport.objects.create(
        organisation=organisation,
        filename="Secret-menages.xlsx",
        status=ImportStatus.READY,
        document="{}",
        counts={
            "households": {
                "label": "ménages",
                "created": 1,
                "updated": 0,
                "unchanged": 0,
                "deleted": 0,
            }
        },
    )


def outcomes_data_of(stay):
    """A follow-up of A's stay (written as is: the battery needs the stay still open) and a
    one-time link of the household, whose token stands for its uuid in the URL."""
    from types import SimpleNamespace

    from seuil.core.enums import OrganisationKind
    from seuil.core.models import Organisation
    from seuil.outcomes.models import (
        FollowUp,
        FollowUpLink,
        MobilityFile,
        TerritorySheet,
        hash_token,
    )

    follow_up = FollowUp.objects.create(
        organisation=stay.organisation, ref="F-SECRET", stay=stay, on=datetime.date(2025, 1, 2)
    )
    token = "jeton-de-suivi-du-menage-a-0123456789"
    FollowUpLink.objects.create(
        organisation=stay.organisation,
        stay=stay,
        token_hash=hash_token(token),
        expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )
    platform = Organisation.objects.create(
        ref="plateforme-x", name="Plateforme X", kind=OrganisationKind.NATIONAL_PLATFORM
    )
    mobility_file = MobilityFile.objects.create(
        ref="MOB-SECRET",
        household=stay.household,
        platform=platform,
        departure=stay.organisation,
        departure_department="75",
        opened_on=datetime.date(2025, 1, 2),
    )
    sheet = TerritorySheet.objects.create(platform=stay.organisation, department="80", name="Somme")
    return {
        "follow_up": follow_up,
        "follow_up_link": SimpleNamespace(uuid=token),
        "mobility_file": mobility_file,
        "territory_sheet": sheet,
    }


def urls_for(data):
    for name in sorted(set(url_names())):
        kwargs = {param: data[kind].uuid for param, kind in URL_MAP[name].items()}
        yield name, reverse(name, kwargs=kwargs)


SECRETS = (
    "M-SECRET",
    "Zénobie",
    "Secret",
    "L-SECRET",
    "prog-secret",
    "sect-secret",
    "B-SECRET",
    "E-SECRET",
)


def test_every_url_is_in_the_permission_map(db):
    assert set(url_names()) - set(URL_MAP) == set()


def test_an_anonymous_visitor_reaches_only_the_public_pages(client, data_of_a):
    api = APIClient()
    for name, url in urls_for(data_of_a):
        if name in PUBLIC:
            assert client.get(url).status_code == (404 if name in SSO_PAGES else 200), url
        elif url.startswith("/api/"):
            for method in ("get", "post", "patch"):
                assert getattr(api, method)(url).status_code in (401, 403), (method, url)
        else:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 302, (method, url)
                assert response.url.startswith(reverse("login")), (method, url)
