"""Anonymisation and support: once a household is anonymised, the free text of its support
is gone (objectives' text, contacts' notes, amendments' reasons) with the access log of its
support records; its dated facts stay, so the support figures of past periods do not move."""

import datetime

from seuil.core.models import AccessLog
from seuil.privacy.anonymisation import anonymise_expired
from seuil.reports.facts import activity_report
from seuil.support.enums import ContactKind
from seuil.support.models import Amendment, Contact, Objective
from seuil.support.services import amend_contract, record_contact, set_objective, sign_contract
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

D = datetime.date
TODAY = D(2027, 6, 1)  # retention of 730 days: limit on 2025-06-01


def test_support_free_text_goes_and_the_figures_stay(db):
    household = HouseholdFactory()
    organisation = household.organisation
    worker = UserFactory(organisation=organisation, role="social_worker")
    unit = HousingUnitFactory(organisation=organisation, captured_on=D(2020, 1, 1))
    stay = StayFactory(
        household=household, unit=unit, entered_on=D(2021, 1, 1), exited_on=D(2022, 1, 1)
    )
    contract = sign_contract(
        stay, signed_on=D(2021, 1, 20), starts_on=D(2021, 1, 20), ends_on=D(2021, 7, 19), by=worker
    )
    amend_contract(
        contract, signed_on=D(2021, 7, 1), ends_on=D(2021, 12, 31), reason="Dette CAF", by=worker
    )
    set_objective(
        household,
        domain="budget",
        set_on=D(2021, 2, 1),
        actions="Dossier FSL",
        own_words="…",
        by=worker,
    )
    contact = record_contact(
        household,
        on=D(2021, 3, 1),
        kind=ContactKind.HOME_VISIT,
        notes="Propos du ménage",
        by=worker,
    )
    before = activity_report(organisation.ref, [], D(2021, 1, 1), D(2021, 12, 31))["support"]
    assert AccessLog.objects.filter(object_uuid=contact.uuid).exists()
    outcome = anonymise_expired(TODAY, 730)
    assert str(household.uuid) in outcome.households
    assert outcome.deleted["support_free_text"] == 3
    objective = Objective.objects.get()
    assert (objective.actions, objective.own_words, objective.domain) == ("", "", "budget")
    assert Contact.objects.get().notes == ""
    assert Amendment.objects.get().reason == ""
    assert not AccessLog.objects.filter(object_uuid=contact.uuid).exists()
    after = activity_report(organisation.ref, [], D(2021, 1, 1), D(2021, 12, 31))["support"]
    assert after == before and after["contracts_signed"] == 1


def test_the_right_of_access_gives_the_households_support(db):
    from seuil.privacy import subject_access
    from tests.households.factories import MembershipFactory

    household = HouseholdFactory()
    organisation = household.organisation
    person = MembershipFactory(household=household, role="head").person
    unit = HousingUnitFactory(organisation=organisation, captured_on=D(2020, 1, 1))
    stay = StayFactory(household=household, unit=unit, entered_on=D(2024, 1, 1))
    sign_contract(
        stay, signed_on=D(2024, 1, 20), starts_on=D(2024, 1, 20), ends_on=D(2024, 7, 19), by=None
    )
    set_objective(household, domain="french", set_on=D(2024, 2, 1), own_words="Mes mots", by=None)
    record_contact(household, on=D(2024, 3, 1), kind=ContactKind.PHONE, notes="Appel", by=None)
    document = subject_access.build(person)
    support = document["households"][0]["support"]
    assert [c["signed_on"] for c in support["contracts"]] == ["2024-01-20"]
    assert support["objectives"][0]["own_words"] == "Mes mots"
    assert support["contacts"][0]["notes"] == "Appel"
    html = subject_access.render_html(document)
    assert "Apprentissage du français" in html and "Mes mots" in html


def test_referrals_and_paths_lose_their_text_and_keep_their_facts(db):
    from seuil.support.models import (
        EmploymentRecord,
        FrenchLevelRecord,
        PartnerReferral,
        TrainingRecord,
    )
    from tests.households.factories import MembershipFactory
    from tests.support.factories import partner_referral_of, path_records_of

    household = HouseholdFactory()
    person = MembershipFactory(household=household, role="head").person
    unit = HousingUnitFactory(organisation=household.organisation, captured_on=D(2020, 1, 1))
    StayFactory(household=household, unit=unit, entered_on=D(2021, 1, 1), exited_on=D(2022, 1, 1))
    referral = partner_referral_of(household, on=D(2021, 3, 1))
    path_records_of(household, person, on=D(2021, 3, 1))
    outcome = anonymise_expired(TODAY, 730)
    assert str(household.uuid) in outcome.households
    referral = PartnerReferral.objects.get()
    assert (referral.details, referral.purpose, referral.partner.name) == (
        "",
        "employment",
        f"France Travail {household.ref}",
    )
    assert EmploymentRecord.objects.get().employer == ""
    assert EmploymentRecord.objects.get().situation == "fixed_term"
    assert TrainingRecord.objects.get().name == ""
    assert (FrenchLevelRecord.objects.get().assessed_by, FrenchLevelRecord.objects.get().level) == (
        "",
        "A2",
    )
    assert not AccessLog.objects.filter(object_uuid=referral.uuid).exists()


def test_the_right_of_access_gives_the_referrals_and_the_persons_own_path(db):
    from seuil.privacy import subject_access
    from tests.households.factories import MembershipFactory
    from tests.support.factories import partner_referral_of, path_records_of

    household = HouseholdFactory()
    person = MembershipFactory(household=household, role="head").person
    other = MembershipFactory(household=household, role="partner").person
    partner_referral_of(household, on=D(2024, 5, 2))
    path_records_of(household, person)
    path_records_of(household, other, on=D(2024, 6, 1))
    document = subject_access.build(person)
    path = document["support_path"]
    assert [r["details"] for r in path["partner_referrals"]] == ["Inscription, rendez-vous le 3"]
    # The person's own path, not the other member's.
    assert path["employment"] == [
        {"since": "2024-05-02", "situation": "fixed_term", "employer": "Boulangerie Martin"}
    ]
    assert [t["name"] for t in path["trainings"]] == ["Aide à domicile"]
    assert [f["level"] for f in path["french_levels"]] == ["A2"]
    html = subject_access.render_html(document)
    assert "En emploi, CDD" in html and "A2 (intermédiaire)" in html and "OFII" in html


def test_the_access_log_of_every_record_of_the_file_goes_and_a_meetings_stays(db):
    """The access log of the records each app registers as following the household goes
    with the file's (its orientation request, its stays), whichever app holds them; a
    meeting it was discussed at belongs to the organisation: who opened it stays known."""
    from seuil.core.audit import record_access
    from seuil.support.models import AgendaItem, Meeting, MeetingKind
    from tests.orientation.factories import RequestFactory

    household = HouseholdFactory()
    organisation = household.organisation
    worker = UserFactory(organisation=organisation, role="social_worker")
    unit = HousingUnitFactory(organisation=organisation, captured_on=D(2020, 1, 1))
    stay = StayFactory(
        household=household, unit=unit, entered_on=D(2021, 1, 1), exited_on=D(2022, 1, 1)
    )
    request = RequestFactory(household=household, received_on=D(2020, 6, 1), status="admitted")
    meeting = Meeting.objects.create(
        organisation=organisation,
        ref="RE-1",
        kind=MeetingKind.COORDINATION_CELL,
        held_on=D(2021, 3, 1),
    )
    AgendaItem.objects.create(meeting=meeting, household=household)
    for record in (request, stay, meeting):
        record_access(worker, AccessLog.Action.VIEW, record)

    outcome = anonymise_expired(TODAY, 730)

    assert str(household.uuid) in outcome.households
    assert not AccessLog.objects.filter(object_uuid__in=[request.uuid, stay.uuid]).exists()
    assert AccessLog.objects.filter(object_uuid=meeting.uuid).exists()
