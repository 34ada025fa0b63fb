"""Two people open the same form; the second to save is refused and loses nothing."""

import pytest
from django.urls import reverse

from seuil.core.concurrency import STALE_EDIT_MESSAGE, StaleEdit
from seuil.households import services
from tests.households.factories import MembershipFactory


@pytest.fixture
def head(org_a):
    return MembershipFactory(
        household__organisation=org_a,
        household__prior_situation="street_or_115",
        person__first_name="Aïcha",
        person__last_name="N'Diaye",
    )


@pytest.fixture
def household(head):
    return head.household


def loaded_version(client, url):
    """The version the form carries when opened (its hidden field)."""
    response = client.get(url)
    form = response.context["form"]
    assert f'name="version" value="{form.initial["version"]}"' in response.content.decode()
    return form.initial["version"]


def errors_of(response):
    return list(response.context["form"].non_field_errors())


def test_a_fresh_household_edit_passes_and_bumps_the_version(client_a, household):
    url = reverse("households:edit", args=[household.uuid])
    version = loaded_version(client_a, url)
    assert version == 1
    response = client_a.post(url, {"prior_situation": "other", "version": version})
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.prior_situation, household.version) == ("other", 2)


def test_a_stale_household_edit_is_refused_and_the_input_is_shown_again(client_a, household):
    url = reverse("households:edit", args=[household.uuid])
    first, second = loaded_version(client_a, url), loaded_version(client_a, url)
    assert client_a.post(url, {"prior_situation": "other", "version": first}).status_code == 302
    response = client_a.post(url, {"prior_situation": "hosted_by_third_party", "version": second})
    assert response.status_code == 200
    assert errors_of(response) == [STALE_EDIT_MESSAGE]
    assert 'value="hosted_by_third_party" selected' in response.content.decode()
    household.refresh_from_db()
    assert (household.prior_situation, household.version) == ("other", 2)


def member_data(version, **fields):
    return {
        "first_name": "Aïcha",
        "last_name": "N'Diaye",
        "sex": "F",
        "role": "head",
        "version": version,
        **fields,
    }


def test_a_fresh_member_edit_passes_and_bumps_the_person_version(client_a, household, head):
    url = reverse("households:edit_member", args=[household.uuid, head.uuid])
    version = loaded_version(client_a, url)
    response = client_a.post(url, member_data(version, last_name="Diallo"))
    assert response.status_code == 302
    head.person.refresh_from_db()
    assert (head.person.last_name, head.person.version) == ("Diallo", version + 1)


def test_a_stale_member_edit_is_refused_and_the_input_is_shown_again(client_a, household, head):
    url = reverse("households:edit_member", args=[household.uuid, head.uuid])
    first, second = loaded_version(client_a, url), loaded_version(client_a, url)
    assert client_a.post(url, member_data(first, last_name="Diallo")).status_code == 302
    response = client_a.post(url, member_data(second, last_name="Kaboré", joined_on="2023-01-02"))
    assert response.status_code == 200
    assert errors_of(response) == [STALE_EDIT_MESSAGE]
    page = response.content.decode()
    assert 'value="Kaboré"' in page
    assert 'value="2023-01-02"' in page
    head.person.refresh_from_db()
    head.refresh_from_db()
    assert (head.person.last_name, head.person.version) == ("Diallo", 2)
    assert head.joined_on is None


def test_services_without_an_expected_version_still_save_and_bump_it(member_a, household, head):
    services.update_household(household, acting_user=member_a, prior_situation="other")
    services.update_member(head, acting_user=member_a, person_fields={"first_name": "A"})
    household.refresh_from_db()
    head.person.refresh_from_db()
    assert (household.version, head.person.version) == (2, 2)


def test_a_stale_expected_version_changes_nothing(member_a, household):
    with pytest.raises(StaleEdit):
        services.update_household(
            household, acting_user=member_a, expected_version=7, prior_situation="other"
        )
    household.refresh_from_db()
    assert (household.prior_situation, household.version) == ("street_or_115", 1)
