"""After anonymisation no name, note, history or log of the household remains; a dry run
changes nothing; a person still followed in another household keeps their file there."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command

from seuil.core.audit import record_access
from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.households.models import (
    ClinicalNote,
    ClinicalReferral,
    Consent,
    Household,
    Person,
)
from seuil.housing.models import EvictionProcedure, Stay
from seuil.privacy.anonymisation import anonymise
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
from tests.housing.factories import HousingUnitFactory, StayFactory

D = datetime.date
TODAY = D(2027, 1, 1)  # retention 730 days: households that left before 1 January 2025
NAMES = ("Zéphyrine", "Quillebeuf", "Ondine", "M-ZEPHYR", "S-ZEPHYR", "P-ZEPH")


def history_row(obj, household):
    return ChangeRecord.objects.create(
        action="change",
        object_type=obj._meta.model_name,
        object_uuid=obj.uuid,
        household_uuid=household.uuid,
        changes={"first_name": ["Zéphyrin", "Zéphyrine"]},
    )


@pytest.fixture
def old_family(org_a):
    """Zéphyrine and her daughter Ondine (18 on 20 May 2024), housed 2023 – September 2024."""
    household = HouseholdFactory(organisation=org_a, ref="M-ZEPHYR")
    household.social_note = "Note sociale : Zéphyrine souhaite rester près de l'école."
    household.sensitive_details = "Violences du conjoint, plainte déposée."
    household.save()
    mother = PersonFactory(
        organisation=org_a,
        ref="P-ZEPH-1",
        first_name="Zéphyrine",
        last_name="Quillebeuf",
        birth_date=D(1985, 7, 14),
    )
    daughter = PersonFactory(
        organisation=org_a,
        ref="P-ZEPH-2",
        first_name="Ondine",
        last_name="Quillebeuf",
        birth_date=D(2006, 5, 20),
    )
    MembershipFactory(household=household, person=mother, role="head")
    MembershipFactory(household=household, person=daughter, role="child")
    LegalStatusRecordFactory(person=mother, since=D(2022, 3, 1), status="refugee")
    ResourceRecordFactory(household=household, on=D(2023, 1, 1), types=["rsa"])
    unit = HousingUnitFactory(organisation=org_a, captured_on=D(2020, 1, 1))
    stay = StayFactory(
        household=household,
        unit=unit,
        ref="S-ZEPHYR",
        entered_on=D(2023, 1, 1),
        exited_on=D(2024, 9, 30),
        exit_destination="social_landlord",
    )
    EvictionProcedure.objects.create(stay=stay, started_on=D(2024, 3, 1))
    ConsentFactory(household=household, comment="Accord de Zéphyrine pour le bailleur")
    ClinicalReferralFactory(household=household)
    ClinicalNoteFactory(household=household, text="Zéphyrine : insomnies.")
    user = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    for obj in (household, mother, daughter, stay):
        record_access(user, AccessLog.Action.VIEW, obj)
        history_row(obj, household)
    return {"household": household, "mother": mother, "daughter": daughter, "stay": stay}


@pytest.fixture
def present_family(org_a):
    """A household still housed: nothing of it may change."""
    household = HouseholdFactory(organisation=org_a, ref="M-PRESENT")
    person = PersonFactory(organisation=org_a, first_name="Salomé", last_name="Encore-Là")
    MembershipFactory(household=household, person=person, role="head")
    StayFactory(household=household, entered_on=D(2023, 1, 1))
    record_access(None, AccessLog.Action.VIEW, household)
    return {"household": household, "person": person}


def dump():
    """The whole database as JSON; encrypted texts (a new token at each dump) masked."""
    out = io.StringIO()
    call_command("dumpdata", "--format", "json", stdout=out)
    return re.sub(r"fernet:[\w=-]+", "fernet:…", out.getvalue())


def dumped_text():
    """The whole database as text, with non-ASCII characters as they are."""
    return json.dumps(json.loads(dump()), ensure_ascii=False)


def test_a_dry_run_counts_and_lists_without_changing_anything(old_family, present_family):
    before = dump()
    outcome = anonymise(Household.objects.all(), TODAY, dry_run=True)
    assert dump() == before
    assert outcome.dry_run
    assert outcome.households == [str(old_family["household"].uuid)]
    assert outcome.skipped == [str(present_family["household"].uuid)]
    assert outcome.persons == 2 and outcome.persons_kept == 0
    assert outcome.deleted["access_log"] == 4
    assert outcome.deleted["change_history"] == 4
    assert outcome.deleted["consents"] == 1
    assert outcome.deleted["clinical_notes"] == 1
    assert outcome.deleted["clinical_referrals"] == 1


def test_the_dry_run_says_exactly_what_the_run_does(old_family, present_family):
    planned = anonymise(Household.objects.all(), TODAY, dry_run=True)
    done = anonymise(Household.objects.all(), TODAY)
    assert (planned.households, planned.persons, planned.deleted, planned.birth_dates) == (
        done.households,
        done.persons,
        done.deleted,
        done.birth_dates,
    )


def test_after_anonymisation_no_name_note_or_log_remains(old_family, present_family):
    assert all(secret in dumped_text() for secret in NAMES)  # the search does find them
    anonymise(Household.objects.all(), TODAY)

    text = dumped_text()
    for secret in NAMES:
        assert secret not in text, secret
    household = Household.objects.get(pk=old_family["household"].pk)
    assert household.ref.startswith("ANON-") and household.anonymised_on == TODAY
    assert household.social_note == "" and household.sensitive_details == ""
    assert Stay.objects.get(pk=old_family["stay"].pk).ref.startswith("ANON-")
    for key in ("mother", "daughter"):
        person = Person.objects.get(pk=old_family[key].pk)
        assert (person.first_name, person.last_name) == ("", "Anonyme")
        assert person.ref.startswith("ANON-")
    uuids = [old_family[k].uuid for k in ("household", "mother", "daughter", "stay")]
    assert not AccessLog.objects.filter(object_uuid__in=uuids).exists()
    assert not ChangeRecord.objects.filter(object_uuid__in=uuids).exists()
    assert not ChangeRecord.objects.filter(household_uuid=household.uuid).exists()
    assert not Consent.objects.exists()
    assert not ClinicalNote.objects.exists() and not ClinicalReferral.objects.exists()


def test_the_facts_the_report_counts_are_kept(old_family):
    anonymise(Household.objects.all(), TODAY)
    household = Household.objects.get()
    assert household.prior_situation == "specialised_shelter"
    assert list(household.resource_records.values_list("types", flat=True)) == [["rsa"]]
    stay = household.stays.get()
    assert (stay.entered_on, stay.exited_on, stay.exit_destination) == (
        D(2023, 1, 1),
        D(2024, 9, 30),
        "social_landlord",
    )
    assert EvictionProcedure.objects.filter(stay=stay).count() == 1
    mother = Person.objects.get(pk=old_family["mother"].pk)
    assert mother.sex == "F" and mother.legal_status_on(TODAY) == "refugee"
    assert household.memberships.count() == 2


def test_the_exact_birth_date_stays_only_when_an_age_band_changes_during_the_stay(old_family):
    outcome = anonymise(Household.objects.all(), TODAY)
    # The mother is 37-39 throughout: her year is enough. The daughter turns 18 during the
    # stay (20 May 2024): the report counts that day, so her date stays.
    assert Person.objects.get(pk=old_family["mother"].pk).birth_date == D(1985, 1, 1)
    assert Person.objects.get(pk=old_family["daughter"].pk).birth_date == D(2006, 5, 20)
    assert outcome.birth_dates == {"year": 1, "day": 1}


def test_the_present_household_is_left_untouched(old_family, present_family):
    anonymise(Household.objects.all(), TODAY)
    household = Household.objects.get(pk=present_family["household"].pk)
    assert household.ref == "M-PRESENT" and household.anonymised_on is None
    assert Person.objects.get(pk=present_family["person"].pk).last_name == "Encore-Là"
    assert AccessLog.objects.filter(object_uuid=household.uuid).count() == 1


def test_a_person_still_followed_in_another_household_keeps_their_file_there(
    old_family, present_family
):
    mother = old_family["mother"]
    MembershipFactory(
        household=present_family["household"], person=mother, role="partner", joined_on=TODAY
    )
    outcome = anonymise(Household.objects.all(), TODAY)
    assert outcome.persons == 1 and outcome.persons_kept == 1
    mother.refresh_from_db()
    assert (mother.first_name, mother.last_name, mother.birth_date) == (
        "Zéphyrine",
        "Quillebeuf",
        D(1985, 7, 14),
    )
    # Her old household is anonymised all the same.
    old = Household.objects.get(pk=old_family["household"].pk)
    assert old.ref.startswith("ANON-") and old.social_note == ""

    # When the other household leaves and its retention ends, she goes with it.
    StayFactory._meta.model.objects.filter(household=present_family["household"]).update(
        exited_on=D(2027, 6, 1)
    )
    later = anonymise(Household.objects.all(), D(2030, 1, 1))
    assert later.households == [str(present_family["household"].uuid)]
    mother.refresh_from_db()
    # She turned 40 (14 July 2025) while housed there: the report counts that day.
    assert mother.last_name == "Anonyme" and mother.birth_date == D(1985, 7, 14)


def test_persons_spread_over_batches_are_anonymised_once_all_their_households_are(org_a):
    person = PersonFactory(organisation=org_a, first_name="Itinérante")
    households = []
    for n in range(3):
        household = HouseholdFactory(organisation=org_a)
        MembershipFactory(household=household, person=person, role="head")
        StayFactory(household=household, entered_on=D(2019 + n, 1, 1), exited_on=D(2019 + n, 6, 1))
        households.append(household)
    seen = []
    outcome = anonymise(
        Household.objects.order_by("pk"),
        TODAY,
        batch_size=1,
        progress=lambda number, batches, outcome: seen.append((number, batches, outcome.persons)),
    )
    assert seen == [(1, 3, 0), (2, 3, 0), (3, 3, 1)]
    assert outcome.persons == 1 and outcome.persons_kept == 0
    assert Person.objects.get(pk=person.pk).last_name == "Anonyme"


def test_the_command_reports_in_french_and_the_dry_run_changes_nothing(old_family):
    out = io.StringIO()
    call_command("anonymise", "--dry-run", "--today", "2027-01-01", stdout=out)
    text = out.getvalue()
    assert "Simulation" in text and "rien n'a été modifié" in text
    assert "Ménages sortis avant le 01/01/2025 (conservation : 730 jours)" in text
    assert "Ménages seraient anonymisés : 1." in text
    assert "Lot 1/1" in text
    for secret in NAMES:
        assert secret not in text
    assert Household.objects.get().ref == "M-ZEPHYR"

    out = io.StringIO()
    call_command("anonymise", "--today", "2027-01-01", "--retention-days", "730", stdout=out)
    text = out.getvalue()
    assert "Ménages anonymisés : 1." in text
    assert "Personnes anonymisées : 2" in text
    assert Household.objects.get().ref.startswith("ANON-")


def test_the_command_refuses_a_date_it_cannot_read(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Date invalide"):
        call_command("anonymise", "--today", "01/01/2027")


def test_the_daily_tasks_anonymise_and_say_so_in_one_french_line(old_family, monkeypatch):
    from seuil.core.daily import daily_tasks
    from seuil.privacy.anonymisation import anonymise_task

    assert anonymise_task in daily_tasks()
    now = datetime.datetime(2027, 1, 1, 3, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    out = io.StringIO()
    call_command("daily", "--dry-run", stdout=out)
    assert (
        "1 ménage sorti avant le 01/01/2025 serait anonymisé, 2 personnes (simulation)."
        in out.getvalue()
    )
    assert Household.objects.get().ref == "M-ZEPHYR"
    out = io.StringIO()
    call_command("daily", stdout=out)
    assert "1 ménage sorti avant le 01/01/2025 anonymisé, 2 personnes." in out.getvalue()
    assert Household.objects.get().anonymised_on == D(2027, 1, 1)
