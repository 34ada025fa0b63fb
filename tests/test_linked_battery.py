"""Every household-file URL and API endpoint × every role of an organisation *linked* to a
household it does not hold, for each kind of link, then after the link has ended.

Organisation A holds the household; organisation B is linked to it by a request it received
(B is a SIAO), by an admitted referral to one of its programmes, or by a stay in one of its
units. The expected answer comes from the policy's ``linked`` scope (`core.policy`): a role of
B whose read action is on scope ``linked`` reads the page (200), every other gets what a
stranger gets (403/404); no write of B reaches A's file; A's social note, sensitive details,
consents and clinical notes never appear in any answer to B. Once the link has ended, B
reaches nothing of the household at all.
"""

import datetime

import pytest
from django.urls import reverse

from seuil.core.enums import OrganisationKind, Role
from seuil.core.policy import POLICY, Action, Scope, scope_of
from seuil.households.models import ClinicalNote, HouseholdLink
from seuil.orientation.enums import ReferralStatus
from seuil.orientation.services.requests import withdraw_request
from seuil.orientation.services.waiting_lists import close_referral
from tests.core.factories import UserFactory
from tests.households.factories import (
    ClinicalReferralFactory,
    ConsentFactory,
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory
from tests.orientation.factories import CoordinatorFactory, RequestFactory
from tests.orientation.flow import admitted
from tests.test_every_url_is_scoped import URL_MAP
from tests.test_permission_battery import DENIED, _clients, declared_actions

# The documents are read as the HTML they are printed from: searchable for secrets. The
# pages are read for their status and text only (`templates_not_recorded`).
pytestmark = pytest.mark.usefixtures("pdfs_as_their_html", "templates_not_recorded")

DAY = datetime.timedelta(days=1)
# The objects of a household's file: a URL whose parameters name only these is walked.
FILE_KINDS = {"household", "person", "membership", "consent", "clinical_referral"}
LISTS = ("households:list", "household-list", "person-list")
# What only the holder may read: never in an answer to a linked organisation.
HOLDER_SECRETS = (
    "Projet-du-ménage-NOTE",
    "Violences-SANTÉ-détail",
    "Consentement-COMMENTAIRE",
    "Clinique-TEXTE",
)


def file_urls():
    return sorted(
        name
        for name, params in URL_MAP.items()
        if params and set(params.values()) <= FILE_KINDS and name in declared_actions()
    )


@pytest.fixture
def held(org_a, today):
    household = HouseholdFactory(
        organisation=org_a,
        ref="M-LIEN",
        social_note=HOLDER_SECRETS[0],
        sensitive_details=HOLDER_SECRETS[1],
    )
    person = PersonFactory(organisation=org_a, first_name="Zénobie", last_name="Lien")
    membership = MembershipFactory(household=household, person=person, role="head")
    LegalStatusRecordFactory(person=person)
    consent = ConsentFactory(household=household, comment=HOLDER_SECRETS[2])
    referral = ClinicalReferralFactory(household=household)
    ClinicalNote.objects.create(
        household=household, author=referral.psychologist, text=HOLDER_SECRETS[3]
    )
    return {
        "household": household,
        "person": person,
        "membership": membership,
        "consent": consent,
        "clinical_referral": referral,
    }


def link(kind, household, organisation, today):
    """Link `organisation` to `household` by `kind`; returns how to end that link."""
    if kind == "request":
        organisation.kind = OrganisationKind.SIAO
        organisation.save()
        request = RequestFactory(household=household, siao=organisation, received_on=today - DAY)
        coordinator = UserFactory(organisation=organisation, role=Role.SIAO_COORDINATOR)
        return lambda: withdraw_request(
            request, on=today, reason="household_withdrew", acting_user=coordinator
        )
    if kind == "referral":
        coordinator = CoordinatorFactory()
        referral = admitted(
            household,
            siao=coordinator.organisation,
            programme=ProgrammeFactory(organisation=organisation),
            coordinator=coordinator,
            received_on=today - 30 * DAY,
        )
        return lambda: close_referral(
            referral, ReferralStatus.WITHDRAWN, on=today, acting_user=coordinator, reason="other"
        )
    stay = StayFactory(
        household=household,
        organisation=organisation,
        unit=HousingUnitFactory(organisation=organisation),
        entered_on=today - 800 * DAY,
    )

    def end():  # out for more than the follow-up time after the exit
        stay.exited_on = today - 400 * DAY
        stay.save()

    return end


def walk(client, api, user, data, *, linked):
    """Every household-file URL for `user`: reads and writes as the policy says."""
    actions = declared_actions()
    for name in file_urls():
        url = reverse(name, kwargs={p: data[kind].uuid for p, kind in URL_MAP[name].items()})
        caller = api if url.startswith("/api/") else client
        read, write, *_ = actions[name]
        where = (user.role, name, "linked" if linked else "ended")
        response = caller.get(url)
        body = response.content.decode(errors="replace")
        for secret in HOLDER_SECRETS:
            assert secret not in body, (where, secret)
        if linked and read is not None and scope_of(user, read) == Scope.LINKED:
            assert response.status_code in (200, 405), (where, response.status_code)
        elif read is not None:
            assert response.status_code in DENIED, (where, response.status_code)
            assert "Zénobie" not in body, where
        if write is not None and scope_of(user, write) != Scope.LINKED:
            for method in ("post", "patch") if caller is api else ("post",):
                response = getattr(caller, method)(url, {"ref": "M-VOLÉ"})
                assert response.status_code in DENIED, (where, method, response.status_code)


def lists_show(client, api, household):
    """Do the household lists (page and API) show `household` to the signed-in user?"""
    shown = []
    for name in LISTS:
        url = reverse(name)
        response = (api if url.startswith("/api/") else client).get(url, {"page_size": 1000})
        body = response.content.decode(errors="replace")
        for secret in HOLDER_SECRETS:
            assert secret not in body, (name, secret)
        shown.append(response.status_code == 200 and ("Zénobie" in body or "M-LIEN" in body))
    return shown


def assert_untouched(data):
    household = data["household"]
    household.refresh_from_db()
    assert (household.ref, household.version) == ("M-LIEN", 1)
    assert household.social_note == HOLDER_SECRETS[0]
    assert household.sensitive_details == HOLDER_SECRETS[1]
    data["person"].refresh_from_db()
    assert data["person"].first_name == "Zénobie"


@pytest.mark.parametrize("kind", ["request", "referral", "stay"])
@pytest.mark.parametrize("role", list(Role))
def test_a_linked_organisation_gets_exactly_the_linked_scope(
    client, role, kind, held, org_b, today
):
    link(kind, held["household"], org_b, today)
    assert HouseholdLink.objects.filter(organisation=org_b, household=held["household"]).exists()
    user = UserFactory(organisation=org_b, role=role)
    client, api = _clients(client, user)
    walk(client, api, user, held, linked=True)
    sees = scope_of(user, Action.VIEW_HOUSEHOLDS) == Scope.LINKED
    assert lists_show(client, api, held["household"]) == [sees] * len(LISTS)
    assert_untouched(held)


# The roles that read a linked household while the link lasts (the others never do).
LINKED_READERS = [r for r in Role if POLICY.get(r, {}).get(Action.VIEW_HOUSEHOLDS) == Scope.LINKED]


@pytest.mark.parametrize("kind", ["request", "referral", "stay"])
@pytest.mark.parametrize("role", LINKED_READERS)
def test_when_the_link_ends_the_linked_organisation_reaches_nothing(
    client, role, kind, held, org_b, today
):
    end = link(kind, held["household"], org_b, today)
    end()
    user = UserFactory(organisation=org_b, role=role)
    client, api = _clients(client, user)
    walk(client, api, user, held, linked=False)
    assert lists_show(client, api, held["household"]) == [False] * len(LISTS)
    assert_untouched(held)
