"""Merging two duplicate files (households, persons) and undoing the merge."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from seuil.core.daily import daily_tasks
from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.households import merging
from seuil.households.links import refresh_links
from seuil.households.models import (
    ClinicalNote,
    ContactDetails,
    FileMerge,
    Handover,
    Household,
    HouseholdDocument,
    HouseholdLink,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.households.services import record_resources, update_social_note
from seuil.housing.models import Stay
from seuil.orientation.enums import RequestStatus
from seuil.outcomes.models import MobilityFile
from seuil.support.models import (
    AgendaItem,
    Contact,
    Meeting,
    Objective,
    PartnerReferral,
    Referent,
    Review,
)
from seuil.tenancy.models import Insurance
from tests.conftest import NOON, TODAY
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import (
    ClinicalReferralFactory,
    ConsentFactory,
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.orientation.factories import ReferralFactory, RequestFactory, SiaoFactory
from tests.support.factories import partner_referral_of, path_records_of

D = datetime.date


def household_with_head(org, first_name, last_name="Diallo", **fields):
    household = HouseholdFactory(organisation=org, **fields)
    MembershipFactory(
        household=household, person__first_name=first_name, person__last_name=last_name
    )
    return household


def one_row_of_each(household):
    """One row of every model that points at a household, pointing at `household`:
    {(model, field name): row}."""
    org = household.organisation
    siao = SiaoFactory()
    psychologist = UserFactory(organisation=org, role=Role.PSYCHOLOGIST)
    stay = StayFactory(household=household, entered_on=D(2019, 3, 1), exited_on=D(2019, 9, 1))
    stay.unit.captured_on = D(2019, 1, 1)
    stay.unit.save()
    referral = ReferralFactory(
        request__household=household, request__siao=siao, programme__organisation=org
    )
    rows = {
        (Membership, "household"): Membership.objects.get(household=household),
        (ResourceRecord, "household"): ResourceRecordFactory(household=household),
        (ConsentFactory._meta.model, "household"): ConsentFactory(household=household),
        (ClinicalReferralFactory._meta.model, "household"): ClinicalReferralFactory(
            household=household, psychologist=psychologist
        ),
        (ClinicalNote, "household"): ClinicalNote.objects.create(
            household=household, author=psychologist, text="Entretien."
        ),
        (Handover, "household"): Handover.objects.create(
            household=household,
            from_organisation=OrganisationFactory(),
            to_organisation=org,
            on=D(2024, 1, 1),
            reason="Reprise",
        ),
        (Stay, "household"): stay,
        (referral.request._meta.model, "household"): RequestFactory(
            household=household, siao=siao, status=RequestStatus.WITHDRAWN
        ),
        (type(referral), "household"): referral,
        (Contact, "household"): Contact.objects.create(
            organisation=org, ref="K-1", household=household, on=D(2024, 5, 1), kind="home_visit"
        ),
        (Objective, "household"): Objective.objects.create(
            organisation=org, ref="OB-1", household=household, domain="budget", set_on=D(2024, 5, 1)
        ),
        (Referent, "household"): Referent.objects.create(
            organisation=org,
            household=household,
            worker=UserFactory(organisation=org, role=Role.SOCIAL_WORKER),
            since=D(2024, 1, 1),
            until=D(2024, 6, 1),
        ),
        (Review, "household"): Review.objects.create(
            organisation=org, ref="RV-1", household=household, held_on=D(2024, 5, 2)
        ),
        (AgendaItem, "household"): AgendaItem.objects.create(
            meeting=Meeting.objects.create(
                organisation=org, ref="RE-1", kind="coordination_cell", held_on=D(2024, 5, 3)
            ),
            household=household,
        ),
        (PartnerReferral, "household"): partner_referral_of(household),
        **{
            (model, "household"): row
            for model, row in path_records_of(
                household, Membership.objects.get(household=household).person
            ).items()
        },
        (MobilityFile, "household"): MobilityFile.objects.create(
            ref="MOB-1",
            household=household,
            platform=OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM),
            departure=org,
            departure_department="75",
            opened_on=D(2024, 2, 1),
        ),
        (HouseholdDocument, "household"): _document(household),
        (Insurance, "household"): Insurance.objects.create(
            organisation=org,
            household=household,
            certificate_on=D(2024, 1, 1),
            expires_on=D(2025, 1, 1),
        ),
        (FileMerge, "household"): FileMerge.objects.create(
            organisation=org,
            kind=FileMerge.Kind.HOUSEHOLD,
            household=household,
            kept_uuid=household.uuid,
            kept_ref=household.ref,
            absorbed_uuid=HouseholdFactory.build().uuid,
            absorbed_ref="M-OLD",
            undo_until=NOON,
        ),
    }
    return rows


def _document(household, person=None):
    """A document row (its stored file is not read by a merge: only the row moves)."""
    return HouseholdDocument.objects.create(
        household=household,
        person=person,
        kind="other",
        original_name="attestation.pdf",
        file_type="pdf",
        size=4,
        stored_name=f"test-{household.pk}-{person.pk if person else 0}",
    )


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Association Accueil")


@pytest.fixture
def manager(org):
    return UserFactory(organisation=org, role=Role.SERVICE_MANAGER)


def test_every_relation_to_a_household_is_moved(org, manager, frozen_now):
    kept = household_with_head(org, "Awa")
    absorbed = household_with_head(org, "Awa", "Diallo-Traoré")
    rows = one_row_of_each(absorbed)
    # No relation forgotten: a new model pointing at households must be built here too.
    assert {(fk.model, fk.name) for fk in merging.relations(Household)} == set(rows)
    refresh_links([absorbed.pk])
    assert HouseholdLink.objects.filter(household=absorbed).exists()

    merge = merging.merge_households(kept, absorbed, by=manager, reason="Saisi deux fois")

    for (model, name), row in rows.items():
        row = model._base_manager.get(pk=row.pk)
        assert getattr(row, f"{name}_id") == kept.pk, model
    assert not Household.objects.filter(pk=absorbed.pk).exists()
    # The links were rebuilt for the kept household (the SIAO's request links it).
    assert HouseholdLink.objects.filter(household=kept).exists()
    assert merge.absorbed_ref == absorbed.ref
    # The merge is in the kept file's history, with its reason.
    record = ChangeRecord.objects.get(object_type="filemerge", object_uuid=merge.uuid)
    assert record.household_uuid == kept.uuid and record.reason == "Saisi deux fois"


def test_every_relation_to_a_person_is_moved(org, manager, frozen_now):
    household = household_with_head(org, "Awa")
    kept = household.memberships.get().person
    absorbed = MembershipFactory(household=household, role="other").person
    status = LegalStatusRecordFactory(person=absorbed, since=D(2020, 1, 1))
    other_household = HouseholdFactory(organisation=org)
    elsewhere = MembershipFactory(household=other_household, person=absorbed, role="head")
    contact = ContactDetails.objects.create(person=absorbed, since=D(2024, 1, 1))
    document = _document(household, absorbed)
    path = path_records_of(household, absorbed)
    assert {(fk.model, fk.name) for fk in merging.relations(Person)} == {
        (Membership, "person"),
        (LegalStatusRecord, "person"),
        (ContactDetails, "person"),
        (HouseholdDocument, "person"),
        *((model, "person") for model in path),
    }

    merging.merge_persons(kept, absorbed, household=household, by=manager, reason="Doublon")

    assert LegalStatusRecord.objects.get(pk=status.pk).person == kept
    assert ContactDetails.objects.get(pk=contact.pk).person == kept
    assert HouseholdDocument.objects.get(pk=document.pk).person == kept
    for model, row in path.items():
        assert model.objects.get(pk=row.pk).person == kept
    assert Membership.objects.get(pk=elsewhere.pk).person == kept
    # Its membership of the shared household is dropped: the kept one's remains.
    assert list(household.memberships.values_list("person", flat=True)) == [kept.pk]
    assert not Person.objects.filter(pk=absorbed.pk).exists()


def snapshot_of_everything():
    """Every row of the models a merge touches, as plain values."""
    models = {fk.model for fk in merging.relations(Household)} | {Household, Person}
    models |= {fk.model for fk in merging.relations(Person)}
    models.discard(FileMerge)
    return {
        model._meta.label: sorted(
            json.dumps(v, sort_keys=True, default=str)
            for v in model._base_manager.values().order_by("pk")
        )
        for model in models
    }


def test_undo_restores_both_files_exactly(org, manager, frozen_now):
    kept = household_with_head(org, "Awa", prior_situation="")
    absorbed = household_with_head(org, "Awa", "Diallo-Traoré")
    update_social_note(absorbed, acting_user=manager, social_note="Note du second dossier.")
    one_row_of_each(absorbed)
    ResourceRecordFactory(household=kept, on=D(2023, 1, 1), types=["rsa"])  # a twin, dropped
    refresh_links([kept.pk, absorbed.pk])
    before = snapshot_of_everything()

    merge = merging.merge_households(kept, absorbed, by=manager, reason="Saisi deux fois")
    kept.refresh_from_db()
    assert kept.social_note == "Note du second dossier."
    assert kept.prior_situation == "specialised_shelter"
    assert ResourceRecord.objects.filter(household=kept).count() == 1
    # The kept file reads the absorbed one's history (and of the files merged into it).
    assert absorbed.uuid in merging.merged_uuids(kept)

    merging.undo_merge(merge, by=manager, reason="Homonymes")

    after = snapshot_of_everything()
    for label in before:
        if label == "households.Household":
            # Only the counters of the kept file moved on.
            strip = [
                {k: v for k, v in json.loads(row).items() if k not in ("version", "updated_at")}
                for row in after[label]
            ]
            expected = [
                {k: v for k, v in json.loads(row).items() if k not in ("version", "updated_at")}
                for row in before[label]
            ]
            assert strip == expected
        elif label != "households.HouseholdLink":
            assert after[label] == before[label], label
    links = lambda: sorted(  # noqa: E731
        HouseholdLink.objects.values_list("organisation", "household", "reason", "valid_from")
    )
    refresh_links([kept.pk, absorbed.pk])
    assert links() == links()
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undo_data is None
    assert merging.merged_uuids(kept) == []
    # Both histories say it: the kept file's and the restored one's.
    undo_records = ChangeRecord.objects.filter(object_uuid=merge.uuid, reason="Homonymes")
    assert {r.household_uuid for r in undo_records} == {kept.uuid, absorbed.uuid}
    with pytest.raises(ValidationError, match="déjà été annulée"):
        merging.undo_merge(merge, by=manager)


def test_undo_is_refused_after_30_days_and_its_data_purged(org, manager, frozen_now):
    kept = household_with_head(org, "Awa")
    absorbed = household_with_head(org, "Awa")
    merge = merging.merge_households(kept, absorbed, by=manager, reason="Doublon")
    with time_machine.travel(NOON + datetime.timedelta(days=29), tick=False):
        assert merging.undo_refusal(merge) is None
        assert merging.undoable_merges(kept) == [merge]
    with time_machine.travel(NOON + datetime.timedelta(days=30, hours=1), tick=False):
        assert "30 jours" in merging.undo_refusal(merge)
        with pytest.raises(ValidationError, match="30 jours"):
            merging.undo_merge(merge, by=manager)
        assert merging.purge_merge_undo_task in daily_tasks()
        from django.utils import timezone

        line = merging.purge_merge_undo_task(timezone.now())
        assert "1 fusion" in line
    merge.refresh_from_db()
    assert merge.undo_data is None
    # The record stays: the kept file still reads the absorbed one's history.
    assert merging.merged_uuids(kept) == [absorbed.uuid]


# ---- refusals ------------------------------------------------------------------------


def refusal(kept, absorbed):
    return " ".join(merging.plan_household_merge(kept, absorbed).conflicts)


def test_merge_refusals_say_why(org, manager):
    a = household_with_head(org, "Awa")
    b = household_with_head(org, "Awa")
    other_org = household_with_head(OrganisationFactory(), "Awa")
    assert "lui-même" in refusal(a, a)
    assert "même organisation" in refusal(a, other_org)
    b.anonymised_on = TODAY
    b.save()
    assert "anonymisé" in refusal(a, b)
    with pytest.raises(ValidationError):
        merging.merge_households(a, b, by=manager, reason="x")
    assert Household.objects.filter(pk=b.pk).exists()


def test_two_requests_in_progress_refuse_the_merge(org):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    RequestFactory(household=a, status=RequestStatus.RECEIVED)
    RequestFactory(household=b, status=RequestStatus.ASSESSED)
    assert "demande d'orientation en cours" in refusal(a, b)


def test_a_database_rule_refuses_the_merge_unless_the_rows_are_twins(org):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    ResourceRecordFactory(household=a, on=D(2023, 1, 1), types=["rsa"])
    ResourceRecordFactory(household=b, on=D(2023, 1, 1), types=["salary"])
    assert "Des ressources sont déjà enregistrées à cette date." in refusal(a, b)
    ResourceRecord.objects.filter(household=b).update(types=["rsa"])
    plan = merging.plan_household_merge(a, b)
    assert plan.allowed and len(plan.drops) == 1


def test_the_absorbed_head_becomes_another_member(org, manager):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Moussa")
    merging.merge_households(a, b, by=manager, reason="Doublon")
    roles = sorted(a.memberships.values_list("person__first_name", "role"))
    assert roles == [("Awa", "head"), ("Moussa", "other")]


DAYS = st.integers(min_value=0, max_value=60)


class OverlappingStaysRefuseTheMerge(HypothesisTestCase):
    """Two households whose stays share a day are not merged; stays one after the other
    are (a stay occupies [entry, exit))."""

    @classmethod
    def setUpTestData(cls):
        org = OrganisationFactory()
        cls.a, cls.b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
        cls.unit_a = HousingUnitFactory(organisation=org)
        cls.unit_b = HousingUnitFactory(organisation=org)

    @settings(deadline=None)
    @given(start_a=DAYS, length_a=DAYS, start_b=DAYS, length_b=st.one_of(st.none(), DAYS))
    def test_overlap(self, start_a, length_a, start_b, length_b):
        base = D(2022, 1, 1)
        a, b = self.a, self.b
        Stay.objects.all().delete()
        enter_a, enter_b = base + datetime.timedelta(start_a), base + datetime.timedelta(start_b)
        exit_a = enter_a + datetime.timedelta(length_a)
        exit_b = None if length_b is None else enter_b + datetime.timedelta(length_b)
        StayFactory(household=a, unit=self.unit_a, entered_on=enter_a, exited_on=exit_a)
        StayFactory(household=b, unit=self.unit_b, entered_on=enter_b, exited_on=exit_b)
        end_b = exit_b or D.max
        overlap = enter_a != exit_a and enter_b != exit_b and enter_a < end_b and enter_b < exit_a
        assert ("se chevauchent" in refusal(a, b)) == overlap


# ---- pages and permissions ----------------------------------------------------------


def test_the_merge_pages_compare_then_merge_then_undo(client, org, manager, frozen_now):
    kept = household_with_head(org, "Awa", "Diallo")
    absorbed = household_with_head(org, "Awa", "Dialo")
    RequestFactory(household=absorbed, status=RequestStatus.WITHDRAWN)
    client.force_login(manager)

    page = client.get(reverse("households:detail", args=[kept.uuid])).content.decode()
    assert "Fusionner avec un autre dossier" in page
    found = client.get(reverse("households:merge", args=[kept.uuid]), {"q": "Dialo"})
    assert absorbed.ref in found.content.decode()
    compare = client.get(reverse("households:merge_with", args=[kept.uuid, absorbed.uuid]))
    text = compare.content.decode()
    assert "Dossier gardé" in text and "Après la fusion" in text
    assert "Demandes d&#x27;orientation" in text or "Demandes d'orientation" in text
    refused = client.post(
        reverse("households:merge_with", args=[kept.uuid, absorbed.uuid]), {"reason": ""}
    )
    assert refused.status_code == 200 and Household.objects.filter(pk=absorbed.pk).exists()
    done = client.post(
        reverse("households:merge_with", args=[kept.uuid, absorbed.uuid]),
        {"reason": "Même ménage saisi deux fois"},
    )
    assert done.status_code == 302
    assert not Household.objects.filter(pk=absorbed.pk).exists()
    page = client.get(reverse("households:detail", args=[kept.uuid])).content.decode()
    assert "Annuler la fusion" in page
    history = client.get(reverse("households:history", args=[kept.uuid])).content.decode()
    assert (
        "Même ménage saisi deux fois" in history and f"Fusion du ménage {absorbed.ref}" in history
    )
    merge = FileMerge.objects.get()
    undone = client.post(
        reverse("households:undo_merge", args=[kept.uuid, merge.uuid]), {"reason": "Homonymes"}
    )
    assert undone.status_code == 302
    assert Household.objects.filter(uuid=absorbed.uuid).exists()


def test_a_conflicting_merge_shows_the_reason_and_no_confirm_button(client, org, manager):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    RequestFactory(household=a)
    RequestFactory(household=b)
    client.force_login(manager)
    text = client.get(reverse("households:merge_with", args=[a.uuid, b.uuid])).content.decode()
    assert "La fusion est impossible" in text and "Fusionner les deux dossiers" not in text
    client.post(reverse("households:merge_with", args=[a.uuid, b.uuid]), {"reason": "Doublon"})
    assert Household.objects.filter(pk=b.pk).exists()


def test_person_merge_page(client, org, manager, frozen_now):
    household = household_with_head(org, "Awa")
    kept = household.memberships.get().person
    absorbed = MembershipFactory(household=household, role="other", person__ref="P-DOUBLE").person
    client.force_login(manager)
    url = reverse("households:merge_person", args=[household.uuid, kept.uuid])
    assert "P-DOUBLE" in client.get(url).content.decode()
    compare = client.get(url, {"other": str(absorbed.uuid)}).content.decode()
    assert "Dossier fusionné" in compare
    client.post(f"{url}?other={absorbed.uuid}", {"reason": "Même personne"})
    assert not Person.objects.filter(pk=absorbed.pk).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TENANCY_OFFICER, Role.PSYCHOLOGIST])
def test_only_managers_merge(client, org, role):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    client.force_login(UserFactory(organisation=org, role=role))
    assert client.get(reverse("households:merge_with", args=[a.uuid, b.uuid])).status_code == 403
    assert (
        client.post(
            reverse("households:merge_with", args=[a.uuid, b.uuid]), {"reason": "x"}
        ).status_code
        == 403
    )


def test_another_organisation_reaches_neither_file(client, org):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    client.force_login(UserFactory(role=Role.SERVICE_MANAGER))
    assert client.get(reverse("households:merge_with", args=[a.uuid, b.uuid])).status_code == 404
    assert client.get(reverse("households:merge", args=[a.uuid])).status_code == 404


def test_the_merge_is_in_the_access_log(org, manager):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    merging.merge_households(a, b, by=manager, reason="Doublon")
    assert AccessLog.objects.filter(object_uuid=b.uuid, action="change").exists()


def test_a_later_resource_on_the_kept_file_stays_there_after_the_undo(org, manager, frozen_now):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    merge = merging.merge_households(a, b, by=manager, reason="Doublon")
    record = record_resources(a, acting_user=manager, on=D(2025, 1, 1), types=["rsa"])
    merging.undo_merge(merge, by=manager, reason="Erreur")
    assert ResourceRecord.objects.get(pk=record.pk).household_id == a.pk


def test_anonymising_the_kept_file_removes_the_merged_ones_history(org, manager, frozen_now):
    from seuil.privacy.anonymisation import anonymise

    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    record_resources(b, acting_user=manager, on=D(2024, 1, 1), types=["rsa"])
    merging.merge_households(a, b, by=manager, reason="Doublon")
    assert ChangeRecord.objects.filter(household_uuid=b.uuid).exists()
    outcome = anonymise(Household.objects.filter(pk=a.pk), TODAY)
    assert outcome.deleted["file_merges"] == 1
    assert not ChangeRecord.objects.filter(household_uuid=b.uuid).exists()
    assert not AccessLog.objects.filter(object_uuid=b.uuid).exists()
    assert not FileMerge.objects.exists()


def test_clinical_notes_move_unspoken(client, org, manager, frozen_now):
    """The manager who merges never learns that clinical notes exist: no count on the page,
    no line in the history; the notes follow the household all the same."""
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    note = ClinicalNote.objects.create(
        household=b, author=UserFactory(organisation=org, role=Role.PSYCHOLOGIST), text="x"
    )
    client.force_login(manager)
    text = client.get(reverse("households:merge_with", args=[a.uuid, b.uuid])).content.decode()
    assert "clinique" not in text
    merging.merge_households(a, b, by=manager, reason="Doublon")
    assert ClinicalNote.objects.get(pk=note.pk).household_id == a.pk
    assert not ChangeRecord.objects.filter(object_uuid=note.uuid).exists()


def test_two_referents_today_refuse_the_merge(org, frozen_now):
    a, b = household_with_head(org, "Awa"), household_with_head(org, "Awa")
    worker = UserFactory(organisation=org, role=Role.SOCIAL_WORKER)
    for household in (a, b):
        Referent.objects.create(
            organisation=org, household=household, worker=worker, since=D(2025, 1, 1)
        )
    assert "référent·e désigné·e aujourd'hui" in refusal(a, b)
    Referent.objects.filter(household=b).update(until=D(2025, 3, 1))
    assert refusal(a, b) == ""
