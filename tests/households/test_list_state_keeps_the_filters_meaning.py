"""The household list's filters read a state stored on each household (`list_state`): on
random households (stays, members joining and leaving, two heads at once, legal statuses,
dates ahead), written one at a time or in bulk, then changed by single and bulk writes,
and asked about days before, on and after the day the state was computed, they select
exactly the households their definition of before the stored state selected, and the
households and persons housed are counted as the stays and memberships say; and every
write left each household's stored state as computing it again gives."""

import datetime
import itertools

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.households.filters import NO_LEGAL_STATUS, _head_status_on, by_legal_status
from seuil.households.list_state import refresh_list_state, refresh_stale_task, stale_on
from seuil.households.models import Household, LegalStatusRecord, Membership, Person
from seuil.housing.household_pages import by_presence, by_programme, present_counts
from seuil.housing.models import Stay
from tests.conftest import TODAY, examples
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

DAY = datetime.timedelta(days=1)
STATUSES = ["refugee", "asylum_seeker", "french_or_eu"]
STATE = ["list_on", "list_until", "list_presence", "list_programme", "list_head_status"]
STATE += ["list_members"]


# ---- the definitions of before the stored state, word for word --------------------------


def old_by_presence(households, presence, day):
    if presence == "present":
        return households.present_on(day)
    if presence == "left":
        exited = Stay.objects.filter(household=OuterRef("pk"), exited_on__lte=day)
        return households.exclude(households.housed_on(day)).filter(Exists(exited))
    if presence == "never":
        entered = Stay.objects.filter(household=OuterRef("pk"), entered_on__lte=day)
        return households.exclude(Exists(entered))
    return households


def old_by_programme(households, programme_uuid, day):
    entered = Stay.objects.filter(entered_on__lte=day)
    later = entered.filter(household=OuterRef("household")).filter(
        Q(entered_on__gt=OuterRef("entered_on"))
        | Q(entered_on=OuterRef("entered_on"), pk__gt=OuterRef("pk"))
    )
    last_in_programme = entered.filter(programme__uuid=programme_uuid).exclude(Exists(later))
    return households.filter(pk__in=last_in_programme.order_by().values("household_id"))


def old_by_legal_status(households, status, day):
    if status == NO_LEGAL_STATUS:
        households = households.annotate(head_status=_head_status_on(day))
        return households.filter(head_status__isnull=True)
    known = LegalStatusRecord.objects.filter(since__lte=day)
    later = known.filter(person=OuterRef("person")).filter(
        Q(since__gt=OuterRef("since")) | Q(since=OuterRef("since"), pk__gt=OuterRef("pk"))
    )
    last = known.filter(status=status).exclude(Exists(later))
    heads = Membership.objects.filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=day),
        Q(left_on__isnull=True) | Q(left_on__gt=day),
        role="head",
        person__in=last.order_by().values("person"),
    )
    return households.filter(pk__in=heads.order_by().values("household"))


# ---- random households -------------------------------------------------------------------

offsets = st.integers(-20, 20)
maybe_offset = st.one_of(st.none(), offsets)
members = st.tuples(
    st.sampled_from(["head", "head", "partner", "child"]),
    maybe_offset,  # joined
    st.one_of(st.none(), st.integers(0, 15)),  # stays this many days
    st.lists(st.tuples(offsets, st.sampled_from(STATUSES)), max_size=3, unique_by=lambda r: r[0]),
)
stays = st.tuples(offsets, st.one_of(st.none(), st.integers(0, 15)), st.integers(0, 2))
households = st.lists(
    st.tuples(
        st.lists(members, max_size=3),
        st.lists(stays, max_size=3),
        st.booleans(),  # written in bulk
    ),
    min_size=1,
    max_size=4,
)
changes = st.lists(
    st.tuples(
        st.sampled_from(
            ["exit", "delete stay", "leave", "update members", "delete status", "bulk status"]
        ),
        st.integers(0, 10),
        offsets,
    ),
    max_size=4,
)
days = st.lists(st.sampled_from([-8, -1, 0, 1, 3, 9, 16, 30]), min_size=1, max_size=3)


def _write(org, unit, programmes, drawn, refs):
    for member_rows, stay_rows, bulk in drawn:
        household = Household.objects.create(organisation=org, ref=next(refs))
        persons = [
            Person.objects.create(organisation=org, ref=next(refs), last_name="Sy")
            for _ in member_rows
        ]
        memberships = [
            Membership(
                household=household,
                person=person,
                role=role,
                joined_on=None if joined is None else TODAY + joined * DAY,
                left_on=None
                if joined is None or length is None
                else TODAY + (joined + length) * DAY,
            )
            for person, (role, joined, length, _) in zip(persons, member_rows, strict=True)
        ]
        records = [
            LegalStatusRecord(person=person, since=TODAY + since * DAY, status=status)
            for person, (*_, statuses) in zip(persons, member_rows, strict=True)
            for since, status in statuses
        ]
        stays_ = [
            Stay(
                organisation=org,
                ref=next(refs),
                household=household,
                unit=unit,
                programme=programmes[programme],
                entered_on=TODAY + entered * DAY,
                exited_on=None if length is None else TODAY + (entered + length) * DAY,
            )
            for entered, length, programme in stay_rows
        ]
        if bulk:
            Membership.objects.bulk_create(memberships)
            LegalStatusRecord.objects.bulk_create(records)
            Stay.objects.bulk_create(stays_)
        else:
            for row in [*memberships, *records, *stays_]:
                row.save()


def _change(org, drawn):
    for kind, n, offset in drawn:
        on = TODAY + offset * DAY
        stays_ = list(Stay.objects.filter(organisation=org).order_by("pk"))
        memberships = list(Membership.objects.filter(household__organisation=org).order_by("pk"))
        records = list(LegalStatusRecord.objects.filter(person__organisation=org).order_by("pk"))
        if kind == "exit" and stays_:
            stay = stays_[n % len(stays_)]
            stay.exited_on = max(on, stay.entered_on)
            stay.save()
        elif kind == "delete stay" and stays_:
            stays_[n % len(stays_)].delete()
        elif kind == "leave" and memberships:
            Membership.objects.filter(pk=memberships[n % len(memberships)].pk).update(
                left_on=on, joined_on=None
            )
        elif kind == "update members" and memberships:
            changed = memberships[n % len(memberships)]
            changed.role = "head" if changed.role != "head" else "child"
            Membership.objects.bulk_update([changed], ["role"])
        elif kind == "delete status" and records:
            records[n % len(records)].delete()
        elif kind == "bulk status" and records:
            record = records[n % len(records)]
            record.status = STATUSES[n % len(STATUSES)]
            LegalStatusRecord.objects.bulk_update([record], ["status"])


def _selected(narrowing, value, day, org):
    return set(narrowing(Household.objects.filter(organisation=org), value, day).values_list("pk"))


def _assert_same_meaning(org, programmes, day):
    for value in ["present", "left", "never"]:
        assert _selected(by_presence, value, day, org) == _selected(
            old_by_presence, value, day, org
        ), (value, day)
    for programme in programmes:
        uuid = str(programme.uuid)
        assert _selected(by_programme, uuid, day, org) == _selected(
            old_by_programme, uuid, day, org
        ), ("programme", day)
    for status in [*STATUSES, NO_LEGAL_STATUS]:
        assert _selected(by_legal_status, status, day, org) == _selected(
            old_by_legal_status, status, day, org
        ), (status, day)
    # The home page's households and persons housed: the members on that day of the
    # households housed on that day.
    housed = old_by_presence(Household.objects.filter(organisation=org), "present", day)
    persons = Membership.objects.on(day).filter(household__in=housed).count()
    households = Household.objects.filter(organisation=org)
    assert present_counts(households, day) == (housed.count(), persons), ("housed", day)


def _stored(org):
    return list(Household.objects.filter(organisation=org).order_by("pk").values_list(*STATE))


@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(households, changes, days)
def test_the_filters_select_what_their_definition_selects(org_a, drawn, changed, asked):
    with transaction.atomic():
        unit = HousingUnitFactory(organisation=org_a)
        programmes = [ProgrammeFactory(organisation=org_a) for _ in range(3)]
        refs = (f"R-{n}" for n in itertools.count())
        _write(org_a, unit, programmes, drawn, refs)
        _change(org_a, changed)
        # Every write kept the stored state as computing it again gives.
        stored = _stored(org_a)
        refresh_list_state(
            Household.objects.filter(organisation=org_a).values_list("pk", flat=True)
        )
        assert _stored(org_a) == stored
        # Asked on other days than the one it was computed on: stale before it and from
        # the next dated fact on, the definition decides for those households.
        for offset in asked:
            _assert_same_meaning(org_a, programmes, TODAY + offset * DAY)
        transaction.set_rollback(True)


def test_the_daily_task_computes_the_states_that_no_longer_hold(org_a, frozen_now):
    """An exit planned in ten days: the state holds until then; on that day `seuil daily`
    computes it again, and the list filters by the stored columns once more."""
    household = Household.objects.create(organisation=org_a, ref="M-1")
    Stay.objects.create(
        organisation=org_a,
        ref="S-1",
        household=household,
        unit=HousingUnitFactory(organisation=org_a),
        entered_on=TODAY - 30 * DAY,
        exited_on=TODAY + 10 * DAY,
    )
    household.refresh_from_db()
    assert (household.list_presence, household.list_until) == ("present", TODAY + 10 * DAY)
    later = TODAY + 10 * DAY
    assert Household.objects.filter(stale_on(later)).count() == 1
    refresh_stale_task(frozen_now + 10 * DAY)
    household.refresh_from_db()
    assert (household.list_presence, household.list_on) == ("left", later)
    assert not Household.objects.filter(stale_on(later)).exists()
