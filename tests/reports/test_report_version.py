"""A stored activity report is stale after every kind of write that changes its figures,
and stays fresh after writes that do not (`reports.inputs`): checking it is one lookup of
a version the writes move, not a reading of the data."""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.core.models import InputsVersion
from seuil.households.list_state import refresh_list_state
from seuil.households.models import Household, LegalStatusRecord, Person, ResourceRecord
from seuil.housing.models import EvictionProcedure, HousingUnit, Sector, Stay
from seuil.orientation.enums import VacancyClosing
from seuil.reports import inputs
from seuil.reports import stored as stored_reports
from seuil.support.enums import ContactKind, ContactStatus
from seuil.support.models import Contact, Objective, SupportContract
from tests.conftest import examples
from tests.households.factories import (
    ClinicalNoteFactory,
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.orientation.factories import ReferralFactory, RequestFactory, VacancyFactory
from tests.reports import test_page
from tests.tenancy.factories import SubLeaseFactory, call, term

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = (D(2024, 1, 1), D(2024, 12, 31))
data = test_page.data


def store(organisation):
    """The stored report of the organisation for 2024 (small: computed at once)."""
    stored = stored_reports.obtain(organisation, [], *YEAR)
    assert stored.status == "done"
    return stored


def figures(stored):
    """The report and charts as computed now, and as stored."""
    now = stored_reports.produce(stored.organisation, [], *YEAR)
    return (now["report"], now["extras"]), (stored.report, stored.extras)


def _sansdate():
    return Person.objects.get(last_name="Sansdate")


def _stay(household):
    return Stay.objects.get(household=household)


def _captured_in_march(d):
    """Organisation A's unit captured on 1 March 2024 (not a room split from it)."""
    return HousingUnit.objects.get(
        organisation=d["org_a"], captured_on=D(2024, 3, 1), parent__isnull=True
    )


def _save(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


# Writes to what organisation A's report reads, each changing its figures.
CHANGING = {
    "person saved": lambda d: _save(_sansdate(), birth_date=D(1980, 1, 1)),
    "household saved": lambda d: _save(d["h2"], prior_situation="street_or_115"),
    "stay saved": lambda d: _save(
        _stay(d["h1"]), exited_on=D(2024, 9, 30), exit_destination="private_landlord"
    ),
    "stay created": lambda d: StayFactory(
        household=HouseholdFactory(organisation=d["org_a"]),
        programme=d["iml"],
        entered_on=D(2024, 2, 1),
    ),
    "stay deleted": lambda d: d["h3"].stays.all().delete(),
    "membership created": lambda d: MembershipFactory(
        household=d["h1"], person=PersonFactory(organisation=d["org_a"]), role="child"
    ),
    "membership deleted (a person deleted)": lambda d: (
        Person.objects.filter(memberships__household=d["h1"], memberships__role="child")
        .order_by("pk")
        .first()
        .delete()
    ),
    "legal status created": lambda d: LegalStatusRecordFactory(
        person=_sansdate(), since=D(2024, 6, 1), status="refugee"
    ),
    "resources saved": lambda d: _save(
        ResourceRecord.objects.get(household=d["h1"]), types=["salary"]
    ),
    "eviction procedure created": lambda d: EvictionProcedure.objects.create(
        stay=_stay(d["h1"]), started_on=D(2024, 2, 1)
    ),
    "unit returned": lambda d: _save(
        _captured_in_march(d),
        returned_on=D(2024, 6, 1),
    ),
    "unit split into rooms": lambda d: HousingUnitFactory(
        organisation=d["org_a"],
        programme=d["iml"],
        parent=_captured_in_march(d),
        typology="room",
        captured_on=D(2024, 3, 1),
    ),
    "sector created": lambda d: Sector.objects.create(
        organisation=d["org_a"], ref="nord", name="Nord"
    ),
    "organisation renamed": lambda d: _save(d["org_a"], ref="asso-z"),
    "request of its household, by a SIAO": lambda d: RequestFactory(
        household=d["h1"], received_on=D(2024, 3, 1)
    ),
    "referral to its programme, by a SIAO": lambda d: ReferralFactory(
        programme=d["iml"], admitted_on=D(2024, 2, 1)
    ),
    "vacancy closed": lambda d: VacancyFactory(
        unit=_stay(d["h2"]).unit,
        opened_on=D(2024, 3, 1),
        closed_on=D(2024, 5, 1),
        closing_reason=VacancyClosing.FILLED,
    ),
    "sub-lease and rent call": lambda d: call(_lease(_stay(d["h1"])), D(2024, 3, 1), 300),
    "support contract": lambda d: SupportContract.objects.create(
        organisation=d["org_a"],
        ref="C-1",
        stay=_stay(d["h1"]),
        signed_on=D(2024, 3, 10),
        starts_on=D(2024, 3, 10),
        ends_on=D(2024, 9, 10),
    ),
    "contact": lambda d: Contact.objects.create(
        organisation=d["org_a"],
        ref="K-1",
        household=d["h1"],
        on=D(2024, 4, 1),
        kind=ContactKind.HOME_VISIT,
        status=ContactStatus.DONE,
    ),
    "objective": lambda d: Objective.objects.create(
        organisation=d["org_a"], ref="O-1", household=d["h1"], domain="budget", set_on=D(2024, 4, 1)
    ),
    "bulk update": lambda d: Stay.objects.filter(household=d["h1"]).update(
        support_intensity="reinforced"
    ),
    "bulk create": lambda d: LegalStatusRecord.objects.bulk_create(
        [LegalStatusRecord(person=_sansdate(), since=D(2024, 7, 1), status="regularised")]
    ),
    # Another day than "bulk create": a sequence may hold both (one status a day).
    "bulk create by COPY (an import, on PostgreSQL)": lambda d: (
        LegalStatusRecord.objects.bulk_create(
            [LegalStatusRecord(person=_sansdate(), since=D(2024, 7, 2), status="regularised")],
            by_copy=True,
        )
    ),
    "bulk update of objects": lambda d: Person.objects.bulk_update(
        [_with(_sansdate(), sex="")], ["sex"]
    ),
    "raw SQL": lambda d: _raw(
        "UPDATE households_person SET sex = '' WHERE id = %s", [_sansdate().pk]
    ),
    "raw SQL with a WITH clause": lambda d: _raw(
        "WITH p AS (SELECT id FROM households_person WHERE id = %s) "
        "UPDATE households_person SET sex = '' WHERE id IN (SELECT id FROM p)",
        [_sansdate().pk],
    ),
}


def _lease(stay):
    lease = SubLeaseFactory(stay=stay, signed_on=stay.entered_on)
    term(lease, stay.entered_on, 300)
    return lease


def _with(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# Writes that do not change what organisation A's report reads.
UNCHANGING = {
    "another organisation's household": lambda d: HouseholdFactory(organisation=d["org_b"]),
    "another organisation's stay": lambda d: StayFactory(
        household=HouseholdFactory(organisation=d["org_b"]), entered_on=D(2024, 2, 1)
    ),
    "another organisation's person saved": lambda d: _save(
        Person.objects.get(last_name="Autreorg"), birth_date=D(1990, 1, 1)
    ),
    "a request of another organisation's household": lambda d: RequestFactory(
        household=Household.objects.get(ref="M-AUTRE-ORG"), received_on=D(2024, 3, 1)
    ),
    "the household list's state computed again": lambda d: refresh_list_state(
        [d["h1"].pk, d["h2"].pk], day=D(2024, 7, 1)
    ),
    "a clinical note": lambda d: ClinicalNoteFactory(household=d["h1"]),
}


@pytest.fixture
def scene(data, org_a, org_b):
    return {**data, "org_a": org_a, "org_b": org_b}


@pytest.mark.parametrize("write", CHANGING)
def test_a_write_that_changes_the_figures_makes_the_stored_report_stale(scene, write):
    stored = store(scene["org_a"])
    assert stored_reports.is_current(stored)
    CHANGING[write](scene)
    assert not stored_reports.is_current(stored)
    if write != "organisation renamed":  # its report is now that of another ref
        now, kept = figures(stored)
        assert now != kept  # the write did change the figures
    # Computed again, it is fresh.
    assert stored_reports.is_current(store(scene["org_a"]))


@pytest.mark.parametrize("write", UNCHANGING)
def test_a_write_the_report_does_not_read_leaves_it_fresh(scene, write):
    stored = store(scene["org_a"])
    UNCHANGING[write](scene)
    assert stored_reports.is_current(stored)
    now, kept = figures(stored)
    assert now == kept


class Rollback(Exception):
    pass


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.sampled_from(sorted({**CHANGING, **UNCHANGING})), min_size=1, max_size=4, unique=True
    )
)
def test_a_report_shown_as_fresh_is_what_computing_it_now_gives(scene, writes):
    """After any sequence of writes, some in savepoints rolled back: when the stored report
    is shown as fresh, computing it again gives the same figures; after a write that
    changes them, it is stale."""
    try:
        with transaction.atomic():
            stored = store(scene["org_a"])
            for number, write in enumerate(writes):
                if write == "organisation renamed":
                    continue
                try:
                    with transaction.atomic():
                        (CHANGING | UNCHANGING)[write](scene)
                        if number % 3 == 2:  # this one is rolled back
                            raise Rollback
                except Rollback:
                    pass
                else:
                    if write in CHANGING:
                        assert not stored_reports.is_current(stored)
                now, kept = figures(stored)
                if stored_reports.is_current(stored):
                    assert now == kept
                else:
                    stored = store(scene["org_a"])
            raise Rollback
    except Rollback:
        pass


def test_a_write_after_the_report_was_computed_in_the_same_transaction_makes_it_stale(scene):
    with transaction.atomic():
        _save(_sansdate(), sex="")
        stored = store(scene["org_a"])
        _save(_sansdate(), birth_date=D(1980, 1, 1))
        assert not stored_reports.is_current(stored)


def test_checking_a_stored_report_is_one_query(scene):
    stored = store(scene["org_a"])
    with CaptureQueriesContext(connection) as queries:
        assert stored_reports.is_current(stored)
    assert len(queries) == 1


def test_every_table_the_report_reads_moves_its_version(scene):
    """The tables of every SELECT of the computation are those `inputs` watches (a new
    table read by the report must be added to `inputs.READ_BY`)."""
    with CaptureQueriesContext(connection) as queries:
        stored_reports.produce(scene["org_a"], [], *YEAR)
        stored_reports.produce(scene["org_a"], ["iml-a"], *YEAR)
    read = {
        table for query in queries for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])
    }
    assert read - {"core_inputsversion"} <= inputs._tables()
    assert {"housing_stay", "households_person", "orientation_request"} <= read


def test_every_path_to_the_organisations_of_a_row_is_known():
    for label in inputs.READ_BY:
        assert inputs.organisations_of(apps.get_model(label), 0) == set()


def test_a_stored_report_whose_versions_are_lost_is_computed_again(scene):
    """As after a restore: the versions are not in backups."""
    stored = store(scene["org_a"])
    InputsVersion.objects.all().delete()
    assert not stored_reports.is_current(stored)
