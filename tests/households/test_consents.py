"""A household's social note reaches a landlord (or the national platform) only with a
consent valid today toward that organisation, for that purpose."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import AccessLog
from seuil.core.permissions import can_view_households, can_view_social_note
from seuil.core.policy import Action
from seuil.households import services
from seuil.households.models import Consent, Household
from tests.conftest import TODAY, examples
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import ConsentFactory, HouseholdFactory, MembershipFactory
from tests.housing.factories import StayFactory
from tests.orientation.factories import RequestFactory, SiaoFactory

NOTE = "Famille très investie dans son projet de relogement à Amiens."
SECRET = "Suivi pour violences conjugales : ne pas transmettre."
D0 = datetime.date(2025, 1, 1)


def days(n):
    return datetime.timedelta(days=n)


pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def landlord_org(db):
    return OrganisationFactory(ref="bailleur-x", name="Bailleur X", kind=OrganisationKind.LANDLORD)


@pytest.fixture
def landlord(landlord_org):
    return UserFactory(organisation=landlord_org, role=Role.LANDLORD)


@pytest.fixture
def household(org_a):
    household = HouseholdFactory(
        organisation=org_a, ref="M-NOTE", social_note=NOTE, sensitive_details=SECRET
    )
    MembershipFactory(household=household, person__first_name="Zénobie")
    return household


def shared_notes_page(client, user):
    client.force_login(user)
    response = client.get(reverse("households:shared_notes"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_landlord_reads_the_social_note_with_a_valid_consent(client, household, landlord, today):
    ConsentFactory(household=household, recipient=landlord.organisation)
    assert can_view_social_note(landlord, household)
    body = shared_notes_page(client, landlord)
    assert "M-NOTE" in body and "relogement à Amiens" in body
    assert "violences" not in body and "Zénobie" not in body
    read = AccessLog.objects.get(user=landlord)
    assert (read.action, read.object_uuid) == ("view", household.uuid)


@pytest.mark.parametrize(
    "dates",
    [
        {"given_on": -400, "expires_on": -35},  # expired
        {"given_on": -30, "expires_on": 300, "revoked_on": -2},  # revoked
        {"given_on": 3, "expires_on": 300},  # not given yet
    ],
    ids=["expired", "revoked", "future"],
)
def test_a_landlord_reads_no_note_without_a_consent_valid_today(
    client, household, landlord, today, dates
):
    ConsentFactory(
        household=household,
        recipient=landlord.organisation,
        **{name: today + days(n) for name, n in dates.items()},
    )
    assert not can_view_social_note(landlord, household)
    body = shared_notes_page(client, landlord)
    assert "M-NOTE" not in body and "Amiens" not in body
    assert not AccessLog.objects.filter(user=landlord).exists()


def test_a_consent_to_another_landlord_opens_nothing_to_this_one(client, household, landlord):
    ConsentFactory(household=household)  # to another landlord
    assert not can_view_social_note(landlord, household)
    assert "M-NOTE" not in shared_notes_page(client, landlord)


def test_a_landlord_never_opens_the_household_file_even_with_a_consent(client, household, landlord):
    ConsentFactory(household=household, recipient=landlord.organisation)
    client.force_login(landlord)
    assert client.get(reverse("households:detail", args=[household.uuid])).status_code == 403
    assert client.get(reverse("households:social_note", args=[household.uuid])).status_code == 403


def test_a_consent_revoked_through_the_page_stops_the_sharing_the_same_day(
    client, household, landlord, member_a
):
    consent = ConsentFactory(household=household, recipient=landlord.organisation)
    client.force_login(member_a)
    url = reverse("households:revoke_consent", args=[household.uuid, consent.uuid])
    assert "Retirer le consentement" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == TODAY
    assert not can_view_social_note(landlord, household)
    detail = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Retiré" in detail
    assert client.post(url).status_code == 302  # a second revocation only says so


def test_a_consent_recorded_through_the_page_defaults_to_one_year(
    client, household, landlord_org, member_a, today
):
    client.force_login(member_a)
    url = reverse("households:add_consent", args=[household.uuid])
    page = client.get(url).content.decode()
    assert f'value="{today.isoformat()}"' in page
    in_a_year = today.replace(year=today.year + 1, day=min(today.day, 28))
    assert f'value="{in_a_year.isoformat()[:8]}' in page
    assert ">Bailleur X</option>" in page and ">Association A</option>" not in page
    # The recipient list offers the organisations' UUIDs, never their integer keys.
    assert f'<option value="{landlord_org.uuid}">Bailleur X</option>' in page
    response = client.post(
        url,
        {
            "scope": "social_note",
            "recipient": str(landlord_org.uuid),
            "given_on": today.isoformat(),
            "expires_on": (today + days(365)).isoformat(),
            "comment": "Signé en entretien.",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.recipient, consent.recorded_by) == (landlord_org, member_a)
    assert consent.is_valid_on(today)
    detail = client.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "Transmission de la note sociale" in detail and "Valide" in detail


def test_a_consent_ending_before_it_starts_is_refused_in_french(
    client, household, landlord_org, member_a, today
):
    client.force_login(member_a)
    response = client.post(
        reverse("households:add_consent", args=[household.uuid]),
        {
            "scope": "social_note",
            "recipient": str(landlord_org.uuid),
            "given_on": today.isoformat(),
            "expires_on": (today - days(1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "La fin de validité ne peut précéder" in response.content.decode()
    assert not Consent.objects.exists()


def test_the_database_refuses_consents_with_dates_out_of_order(household, landlord_org, member_a):
    with pytest.raises(ValidationError, match="ne peut précéder"):
        services.record_consent(
            household,
            acting_user=member_a,
            scope="social_note",
            recipient=landlord_org,
            given_on=D0,
            expires_on=D0 - days(1),
        )
    for dates in ({"expires_on": D0 - days(1)}, {"revoked_on": D0 - days(1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Consent.objects.create(
                household=household,
                scope="social_note",
                recipient=landlord_org,
                **{"given_on": D0, "expires_on": D0 + days(10), **dates},
            )


def test_a_household_cannot_consent_to_its_own_organisation(household, member_a):
    with pytest.raises(ValidationError, match="autre organisation"):
        services.record_consent(
            household,
            acting_user=member_a,
            scope="social_note",
            recipient=household.organisation,
            given_on=D0,
            expires_on=D0 + days(10),
        )


def test_an_integer_key_is_no_recipient(client, household, landlord_org, member_a, today):
    client.force_login(member_a)
    response = client.post(
        reverse("households:add_consent", args=[household.uuid]),
        {
            "scope": "social_note",
            "recipient": landlord_org.pk,
            "given_on": today.isoformat(),
            "expires_on": (today + days(30)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Consent.objects.exists()


# ---- only the organisation holding the file records or revokes its consents ------------


def linked_siao(household):
    """A SIAO coordinator to whom the household's request is addressed: linked, not holder."""
    siao = SiaoFactory()
    RequestFactory(household=household, siao=siao)
    return UserFactory(organisation=siao, role=Role.SIAO_COORDINATOR)


def linked_operator(household):
    """A service manager of an operator in whose unit the household stays."""
    operator = OrganisationFactory()
    StayFactory(household=household, organisation=operator, unit__organisation=operator)
    return UserFactory(organisation=operator, role=Role.SERVICE_MANAGER)


@pytest.mark.parametrize("linked", [linked_siao, linked_operator], ids=["siao", "operator"])
def test_a_linked_organisation_neither_records_nor_revokes_a_consent(
    client, household, landlord_org, today, linked
):
    user = linked(household)
    assert Household.objects.visible_to(user).filter(pk=household.pk).exists()  # linked
    consent = ConsentFactory(household=household, recipient=landlord_org)
    client.force_login(user)
    add = reverse("households:add_consent", args=[household.uuid])
    revoke = reverse("households:revoke_consent", args=[household.uuid, consent.uuid])
    post = {
        "scope": "social_note",
        "recipient": str(OrganisationFactory(kind=OrganisationKind.LANDLORD).uuid),
        "given_on": today.isoformat(),
        "expires_on": (today + days(30)).isoformat(),
    }
    assert client.get(add).status_code == 404
    assert client.post(add, post).status_code == 404
    assert client.get(revoke).status_code == 404
    assert client.post(revoke).status_code == 404
    assert list(Consent.objects.all()) == [consent]
    consent.refresh_from_db()
    assert consent.revoked_on is None
    with pytest.raises(PermissionDenied):
        services.record_consent(
            household,
            acting_user=user,
            scope="social_note",
            recipient=landlord_org,
            given_on=today,
            expires_on=today + days(30),
        )
    with pytest.raises(PermissionDenied):
        services.revoke_consent(consent, acting_user=user)
    assert Consent.objects.count() == 1 and Consent.objects.get().revoked_on is None
    # The holder still records and revokes.
    holder = UserFactory(organisation=household.organisation, role=Role.SOCIAL_WORKER)
    client.force_login(holder)
    assert client.post(add, post).status_code == 302
    assert client.post(revoke).status_code == 302
    assert Consent.objects.count() == 2
    consent.refresh_from_db()
    assert consent.revoked_on == today


def test_the_national_platform_sees_consenting_households_in_the_list_read_only(
    client, household, org_a
):
    platform_org = OrganisationFactory(kind=OrganisationKind.NATIONAL_PLATFORM)
    platform = UserFactory(organisation=platform_org, role=Role.NATIONAL_PLATFORM)
    other = HouseholdFactory(organisation=org_a, ref="M-AUTRE")
    ConsentFactory(household=household, recipient=platform_org, scope="mobility_file")
    ConsentFactory(household=other, recipient=platform_org, scope="social_note")
    assert can_view_households(platform)
    assert list(Household.objects.visible_to(platform)) == [household]
    client.force_login(platform)
    listing = client.get(reverse("households:list")).content.decode()
    assert "Zénobie" in listing and "M-AUTRE" not in listing
    detail = client.get(reverse("households:detail", args=[household.uuid]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "relogement à Amiens" in body and "violences" not in body
    assert "Modifier" not in body
    assert client.get(reverse("households:edit", args=[household.uuid])).status_code == 403
    # A social-note consent alone does not open the file to the platform, only the note.
    assert client.get(reverse("households:detail", args=[other.uuid])).status_code == 404
    assert Household.objects.visible_to(platform, Action.VIEW_SOCIAL_NOTE).count() == 2


def test_the_shared_notes_page_is_refused_to_roles_that_never_read_notes(client, org_a):
    client.force_login(UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER))
    assert client.get(reverse("households:shared_notes")).status_code == 403


# ---- valid_on, against its definition ----------------------------------------------------

offset = st.integers(-5, 5)


def valid_by_definition(given, expires, revoked, day):
    """Given on or before the day, still running on it, not withdrawn on or before it."""
    return given <= day <= expires and (revoked is None or day < revoked)


class ConsentValidOnADate(TestCase):
    @settings(max_examples=examples(60), deadline=None)
    @given(
        st.lists(
            st.tuples(offset, st.integers(0, 6), st.one_of(st.none(), st.integers(0, 6))),
            min_size=1,
            max_size=6,
        ),
        offset,
    )
    def test_valid_on_matches_the_definition(self, specs, on):
        household = HouseholdFactory()
        recipient = OrganisationFactory(kind=OrganisationKind.LANDLORD)
        expected, day = set(), D0 + days(on)
        for given_at, length, revoked_after in specs:
            given_on, expires_on = D0 + days(given_at), D0 + days(given_at + length)
            revoked_on = None if revoked_after is None else given_on + days(revoked_after)
            consent = Consent.objects.create(
                household=household,
                scope="social_note",
                recipient=recipient,
                given_on=given_on,
                expires_on=expires_on,
                revoked_on=revoked_on,
            )
            if valid_by_definition(given_on, expires_on, revoked_on, day):
                expected.add(consent.pk)
            assert consent.is_valid_on(day) == (consent.pk in expected)
        valid = set(Consent.objects.valid_on(day).values_list("pk", flat=True))
        assert valid == expected
