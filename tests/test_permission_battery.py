"""Every URL and API endpoint × every role × own / other organisation, against the policy.

`ACTIONS` below is the central map of what each URL needs: the policy action a read needs
and the one a write needs (`None`: any signed-in user). The expected answer comes from
`seuil.core.policy.POLICY`: a user whose role has the action on scope ``own`` reaches the
objects of its own organisation (200) and none of another's (403/404, no secret in the
body); every other scope (referred, consented, aggregate) reaches nothing here, since the
data of A refers or consents nothing to anyone (targeted tests check those scopes).
A URL missing from the map fails the test.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from seuil.core.enums import Role
from seuil.core.models import ApiToken
from seuil.core.policy import Action, Scope, scope_of
from tests.core.factories import UserFactory
from tests.test_every_url_is_scoped import SECRETS, URL_MAP, data_of_a, url_names  # noqa: F401

A = Action
PUBLIC = {"login", "logout", "accessibility"}
# URL name → (action a GET needs, action a POST/PATCH needs); None: any signed-in user.
ACTIONS = {
    "home": (None, None),
    "households:list": (A.VIEW_HOUSEHOLDS, None),
    "households:create": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:detail": (A.VIEW_HOUSEHOLDS, None),
    "households:edit": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:add_member": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:edit_member": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:add_legal_status": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:add_resources": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "housing:list": (A.VIEW_UNITS, None),
    "housing:create": (A.CHANGE_UNITS, A.CHANGE_UNITS),
    "housing:detail": (A.VIEW_UNITS, None),
    "housing:edit": (A.CHANGE_UNITS, A.CHANGE_UNITS),
    "housing:enter": (A.CHANGE_STAYS, A.CHANGE_STAYS),
    "housing:exit": (A.CHANGE_STAYS, A.CHANGE_STAYS),
    "reports:activity": (A.VIEW_ACTIVITY_REPORT, None),
    "reports:download": (A.VIEW_ACTIVITY_REPORT, None),
    "reports:steering": (A.VIEW_AGGREGATES, None),
    "api-schema": (None, None),
    "household-list": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "household-detail": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "household-members": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "household-resources": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "person-list": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "person-detail": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "person-legal-status": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "membership-detail": (A.VIEW_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "housing-unit-list": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "housing-unit-detail": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "stay-list": (A.VIEW_HOUSEHOLDS, A.CHANGE_STAYS),
    "stay-detail": (A.VIEW_HOUSEHOLDS, A.CHANGE_STAYS),
    "stay-exit": (A.VIEW_HOUSEHOLDS, A.CHANGE_STAYS),
    "programme-list": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "programme-detail": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "sector-list": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "sector-detail": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "landlord-list": (A.VIEW_UNITS, A.CHANGE_UNITS),
    "landlord-detail": (A.VIEW_UNITS, A.CHANGE_UNITS),
}
DENIED = (403, 404, 405)


def test_every_url_says_which_action_it_needs(db):
    assert set(url_names()) - PUBLIC - set(ACTIONS) == set()


def _may(user, action, *, own):
    """What the policy promises `user` for `action` on the objects of organisation A."""
    if action is None:
        return True
    return own and scope_of(user, action) == Scope.OWN


def _may_list(user, action):
    return action is None or scope_of(user, action) is not None


def _clients(client, user):
    client.force_login(user)
    _, key = ApiToken.issue(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, api


def _assert_no_secret(response, where):
    body = response.content.decode(errors="replace")
    for secret in SECRETS:
        assert secret not in body, (where, secret)


@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_what_the_policy_gives_it(
    client,
    role,
    own,
    org_a,
    org_b,
    data_of_a,  # noqa: F811 (the imported fixture)
):
    user = UserFactory(organisation=org_a if own else org_b, role=role)
    client, api = _clients(client, user)
    for name in sorted(set(url_names()) & set(ACTIONS)):
        params = URL_MAP[name]
        url = reverse(name, kwargs={p: data_of_a[kind].uuid for p, kind in params.items()})
        caller = api if url.startswith("/api/") else client
        read, write = ACTIONS[name]
        where = (role, "own" if own else "other", name)
        response = caller.get(url)
        if params:  # one object of A
            if _may(user, read, own=own):
                assert response.status_code in (200, 405), where
            else:
                assert response.status_code in DENIED, (where, response.status_code)
                _assert_no_secret(response, where)
        else:  # a list or a page of one's own organisation
            if _may_list(user, read):
                assert response.status_code == 200, (where, response.status_code)
            else:
                assert response.status_code in (403, 200), (where, response.status_code)
            if not _may(user, read, own=own) and name != "api-schema":
                _assert_no_secret(response, where)
        if write is not None and not _may(user, write, own=own):
            methods = ("post", "patch") if caller is api else ("post",)
            for method in methods:
                if not params and _may_list(user, write):
                    continue  # creating in one's own organisation is allowed
                response = getattr(caller, method)(url, {})
                assert response.status_code in DENIED, (where, method, response.status_code)
    household = data_of_a["household"]
    household.refresh_from_db()
    assert household.ref == "M-SECRET" and household.version == 1
    assert household.stays.get().exited_on is None
