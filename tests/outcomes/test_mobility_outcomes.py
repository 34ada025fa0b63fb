"""What became of the households national mobility moved, on the platform's dashboard and,
small cells hidden, on the state's steering page: a small case computed by hand.

Three households moved to the arrival operator (six persons), a fourth is still at the
proposal. A (2 persons) ended its stay there to a social tenancy 500 days ago and was
followed at 6 months (housed, still in the commune, not employed) and twice near 12 months
(the nearer one counts: housed, moved commune, employed). B (3 persons) ended its stay by a
lease transfer 400 days ago and was followed at 368 days (no longer housed, the rest
unknown). C moved 100 days ago and is still supported. A stay of A at another operator
does not count.

At 6 months: cohort 2 (A, B), 1 followed (A), 1 housed, 1 in the commune, 0 employed.
At 12 months: cohort 2, 2 followed, 1 housed, 1 not housed, 0 in the commune, 1 employed.
At 24 months: nobody's day has come."""

import datetime
import re

from django.urls import reverse

from seuil.core.enums import OrganisationKind, Role
from seuil.outcomes.models import FollowUp, MobilityFile
from seuil.reports.outcomes_steering import mobility_table
from tests.conftest import days_ago
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import ConsentFactory, HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

DAY = datetime.timedelta(days=1)


def small_case(today):
    platform = OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM, department="")
    shelter = OrganisationFactory(name="CADA de Créteil", department="94")
    arrival = OrganisationFactory(name="Opérateur de la Somme", department="80")
    elsewhere = OrganisationFactory(name="Autre opérateur", department="80")

    def household(ref, persons, moved_days_ago, status="support"):
        h = HouseholdFactory(organisation=arrival, ref=ref)
        for _ in range(persons):
            MembershipFactory(household=h, person__organisation=arrival)
        ConsentFactory(
            household=h,
            scope="mobility_file",
            recipient=platform,
            given_on=days_ago(900),
            expires_on=today + 300 * DAY,
        )
        MobilityFile.objects.create(
            ref=f"MOB-{ref}",
            household=h,
            platform=platform,
            departure=shelter,
            arrival=arrival,
            departure_department="94",
            arrival_department="80",
            arrival_commune="80021",
            status=status,
            opened_on=days_ago(moved_days_ago + 100),
            file_sent_on=days_ago(moved_days_ago + 10),
            moved_on=None if moved_days_ago is None else days_ago(moved_days_ago),
        )
        return h

    def stay(h, organisation, moved, exited, **exit):
        return StayFactory(
            household=h,
            organisation=organisation,
            unit=HousingUnitFactory(organisation=organisation),
            entered_on=days_ago(moved),
            exited_on=None if exited is None else days_ago(exited),
            **exit,
        )

    def follow_up(s, after, ref, **answers):
        FollowUp.objects.create(
            organisation=s.organisation, ref=ref, stay=s, on=s.exited_on + after * DAY, **answers
        )

    a = household("A", 2, 800)
    b = household("B", 3, 700)
    c = household("C", 1, 100)
    d = household("D", 4, 50, status="proposal")
    MobilityFile.objects.filter(household=d).update(moved_on=None)
    sa = stay(a, arrival, 800, 500, exit_destination="social_landlord")
    follow_up(sa, 180, "F1", housed=True, same_commune=True, employed=False)
    follow_up(sa, 360, "F2", housed=True, same_commune=False, employed=True)
    follow_up(sa, 372, "F3", housed=False, same_commune=True, employed=False)
    sb = stay(b, arrival, 700, 400, exit_destination="other", lease_transferred=True)
    follow_up(sb, 368, "F4", housed=False)
    stay(c, arrival, 100, None)
    other = stay(a, elsewhere, 1500, 1000, exit_destination="private_landlord")
    follow_up(other, 365, "F5", housed=True, same_commune=True, employed=True)
    return platform, arrival


def cells(body, months):
    row = re.search(rf'<th scope="row">à {months} mois</th>(.*?)</tr>', body)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row.group(1))]


def test_the_platform_sees_what_became_of_the_households_moved(db, today, client):
    platform, _ = small_case(today)
    client.force_login(UserFactory(organisation=platform, role=Role.NATIONAL_PLATFORM))
    body = client.get(reverse("mobility:files")).content.decode()
    # cohort, followed, housed, not housed, in the commune, employed, returned
    assert cells(body, 6) == [2, 1, 1, 0, 1, 0, 0]
    assert cells(body, 12) == [2, 2, 1, 1, 0, 1, 0]
    assert cells(body, 24) == [0, 0, 0, 0, 0, 0, 0]
    assert re.search(r">3\s*</[^>]+>\s*<[^>]+>\s*ménages partis", body)
    assert re.search(r">6\s*</[^>]+>\s*<[^>]+>\s*personnes parties", body)


def test_the_state_sees_the_same_figures_with_small_cells_hidden(db, today, client):
    _, arrival = small_case(today)
    state = UserFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.STATE, department="80"),
        role=Role.STATE,
    )
    table = mobility_table(state, today)
    # households 3, persons 6, cohort 2, followed 2, housed 1, in the commune 0, employed 1
    assert table.rows == [(arrival.name, [None, 6, None, None, None, 0, None])]
    assert table.totals == [None, 6, None, None, None, 0, None]
    client.force_login(state)
    body = client.get(reverse("reports:steering")).content.decode()
    assert "Ménages arrivés par la mobilité nationale, par opérateur d'arrivée" in body
    assert "Opérateur de la Somme" in body and "MOB-A" not in body
