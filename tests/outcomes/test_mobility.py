"""National mobility, step by step: the steps' state machine (each step by its party, in
order, logged), who sees the path when (the shelter until the move, the arrival operator
once the file was sent, the platform with the household's consent), and the dashboard."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.core.enums import OrganisationKind, Role
from seuil.core.policy import Action
from seuil.outcomes import mobility
from seuil.outcomes.enums import MOBILITY_TRANSITIONS, PATH, STEP_PARTIES, MobilityStatus
from seuil.outcomes.models import MobilityFile
from tests.conftest import examples
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import ConsentFactory, HouseholdFactory, MembershipFactory

S = MobilityStatus
DAY = datetime.timedelta(days=1)


def three_parties():
    platform = OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM, department="")
    shelter = OrganisationFactory(name="CADA de Créteil", department="94")
    arrival = OrganisationFactory(name="Opérateur de la Somme", department="80")
    users = {
        "platform": UserFactory(organisation=platform, role=Role.NATIONAL_PLATFORM),
        "departure": UserFactory(organisation=shelter, role=Role.SOCIAL_WORKER),
        "arrival": UserFactory(organisation=arrival, role=Role.SOCIAL_WORKER),
    }
    household = HouseholdFactory(organisation=shelter)
    MembershipFactory(household=household, role="head")
    ConsentFactory(
        household=household,
        scope="mobility_file",
        recipient=platform,
        given_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2030, 12, 31),
    )
    return platform, shelter, arrival, users, household


def open_path(today):
    platform, shelter, arrival, users, household = three_parties()
    file = mobility.open_file(
        household, platform=platform, departure=shelter, on=today - 60 * DAY, by=users["platform"]
    )
    return file, arrival, users


def visible(user, file):
    return MobilityFile.objects.visible_to(user, Action.VIEW_MOBILITY).filter(pk=file.pk).exists()


def test_a_whole_path_by_its_three_parties(db, today):
    file, arrival, users = open_path(today)
    p, d, a = users["platform"], users["departure"], users["arrival"]
    day = today - 50 * DAY
    mobility.advance(file, S.CHOICE, on=day, by=p, arrival_department="80")
    meeting = mobility.plan_meeting(
        file, planned_on=day + 2 * DAY, interpreter_language="dari", by=d
    )
    mobility.record_meeting(meeting, held_on=day + 3 * DAY, outcome="go_on", by=p)
    file.refresh_from_db()
    assert file.status == S.MEETING
    mobility.advance(
        file, S.PROPOSAL, on=day + 5 * DAY, by=p, arrival=arrival, arrival_commune="80021"
    )
    mobility.advance(file, S.ACCEPTANCE, on=day + 6 * DAY, by=d)
    assert not visible(a, file)  # the file has not travelled yet
    with pytest.raises(ValidationError, match="pas encore été transmis"):
        mobility.advance(file, S.MOVE, on=day + 8 * DAY, by=d)
    mobility.send_file(
        file, on=day + 7 * DAY, parts=["identity", "social_note"], household_agreed=True, by=d
    )
    assert visible(a, file) and visible(d, file)
    mobility.acknowledge_file(file, on=day + 8 * DAY, by=a)
    mobility.advance(file, S.MOVE, on=day + 10 * DAY, by=d, travel_booked_on=day + 7 * DAY)
    assert visible(d, file)  # until the move
    mobility.advance(file, S.ARRIVAL, on=day + 10 * DAY, by=a, stepping_stone_until=today)
    assert not visible(d, file) and visible(a, file) and visible(p, file)
    mobility.advance(file, S.SUPPORT, on=day + 11 * DAY, by=a)
    mobility.advance(file, S.HANDOVER, on=today, by=a)
    file.refresh_from_db()
    assert (file.moved_on, file.welcomed_on) == (day + 10 * DAY, day + 10 * DAY)
    assert file.transmitted == ["identity", "social_note"]
    log = list(file.transitions.order_by("on", "at", "id").values_list("to_status", "by"))
    assert [status for status, _ in log] == list(PATH)
    assert [by for _, by in log][-1] == a.pk
    board = mobility.dashboard(MobilityFile.objects.all())
    assert dict(board.by_step)["Passage de relais"] == 1
    assert (board.moved_households, board.moved_persons, board.arrival_communes) == (1, 1, 1)
    assert board.by_arrival == [("80", 1)]


def test_each_step_belongs_to_its_party(db, today):
    file, arrival, users = open_path(today)
    with pytest.raises(ValidationError, match="revient à une autre partie"):
        mobility.advance(file, S.CHOICE, on=today, by=users["departure"], arrival_department="80")
    with pytest.raises(ValidationError, match="département d'arrivée"):
        mobility.advance(file, S.CHOICE, on=today, by=users["platform"])
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        mobility.advance(file, S.PROPOSAL, on=today, by=users["platform"], arrival=arrival)
    mobility.advance(file, S.CHOICE, on=today, by=users["platform"], arrival_department="80")
    with pytest.raises(ValidationError, match="avant la précédente"):
        mobility.advance(file, S.ABANDONED, on=today - 70 * DAY, by=users["platform"])


def test_the_platform_sees_only_with_the_households_consent(db, today):
    file, _, users = open_path(today)
    assert visible(users["platform"], file)
    file.household.consents.update(revoked_on=today - DAY)
    assert not visible(users["platform"], file)
    other_platform = UserFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM),
        role=Role.NATIONAL_PLATFORM,
    )
    assert not visible(other_platform, file)


def test_no_path_without_consent(db, today):
    platform, shelter, _, users, household = three_parties()
    household.consents.all().delete()
    with pytest.raises(ValidationError, match="consentement"):
        mobility.open_file(
            household, platform=platform, departure=shelter, on=today, by=users["platform"]
        )


# ---------------------------------------------------------------- the state machine

ATTEMPTS = st.lists(
    st.tuples(
        st.sampled_from([*PATH, S.ABANDONED]), st.sampled_from(["platform", "departure", "arrival"])
    ),
    max_size=25,
)


class RandomStepsKeepThePathLegal(TestCase):
    @settings(
        max_examples=examples(40),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ATTEMPTS)
    def test_random_attempts_follow_the_table_and_the_parties(self, attempts):
        today = datetime.date(2025, 6, 15)
        file, arrival, users = open_path(today)
        day = today - 60 * DAY  # the day the path was opened
        expected = [S.INFORMATION]
        for to, party in attempts:
            day += DAY
            fields = {"arrival_department": "80", "arrival": arrival}
            before = MobilityFile.objects.get(pk=file.pk).status
            if to == S.MOVE and party == "departure" and before == S.ACCEPTANCE:
                mobility.send_file(
                    file, on=day, parts=["identity"], household_agreed=True, by=users[party]
                )
            legal = to in MOBILITY_TRANSITIONS[before] and party in STEP_PARTIES[to]
            try:
                mobility.advance(file, to, on=day, by=users[party], **fields)
            except ValidationError:
                assert not legal, (before, to, party)
            else:
                assert legal, (before, to, party)
                expected.append(to)
        logged = list(
            MobilityFile.objects.get(pk=file.pk)
            .transitions.order_by("on", "at", "id")
            .values_list("to_status", flat=True)
        )
        assert logged == expected
        assert MobilityFile.objects.get(pk=file.pk).status == expected[-1]


def test_the_status_declares_its_table_and_its_log():
    from seuil.core.transitions import StateMachine

    machine = MobilityFile.state_machine
    assert isinstance(machine, StateMachine) and machine.model is MobilityFile
    statuses = set(MobilityStatus.values)
    assert set(machine.table) == statuses
    assert all(targets <= statuses for targets in machine.table.values())
    assert MobilityFile._meta.get_field(machine.log).related_model.__name__ == (
        "MobilityTransition"
    )
