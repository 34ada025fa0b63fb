"""Every URL and API endpoint × every role × own / other organisation, against the policy.

Each view declares the policy action a read needs and the one a write needs (`@policy` of
`seuil.core.views_policy`; a DRF viewset, its `policy` attribute); `None`: any signed-in
user. The battery reads those declarations from the URL's callback. The expected answer
comes from `seuil.core.policy.POLICY`: a user whose role has the action on scope ``own`` or
``linked`` reaches the objects of its own organisation (200) and none of another's (403/404,
no secret in the body); every other scope (referred, consented, aggregate) reaches nothing
here, since the data of A refers, consents and links nothing to anyone (targeted tests
check those scopes; `test_linked_battery.py` links B to A's household in every way).
A page declared `personal` (a file prepared for one person) answers 404 to every user of the
battery, none of whom asked for it (its requester's own tests open it). A URL that declares
nothing fails the test.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from seuil.core.enums import Role
from seuil.core.models import ApiToken
from seuil.core.policy import Scope, scope_of
from seuil.core.views_policy import policy_of
from tests.core.factories import UserFactory
from tests.test_every_url_is_scoped import SECRETS, URL_MAP, data_of_a, url_names  # noqa: F401

# The documents are read as the HTML they are printed from: searchable for secrets. The
# pages are read for their status and text only (`templates_not_recorded`).
pytestmark = pytest.mark.usefixtures("pdfs_as_their_html", "templates_not_recorded")

# Not walked: the sign-in and accessibility pages are public (`login_not_required`), and
# signing out would end the session the battery walks with.
PUBLIC = {
    "login",
    "logout",
    "accessibility",
    "outcomes:answer",
    "outcomes:what_we_keep",
    "invitation_accept",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


def callbacks(patterns=None, namespace=None):
    """URL name → the view it calls (the names of `url_names()`)."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found.update(callbacks(pattern.url_patterns, pattern.namespace or namespace))
        elif isinstance(pattern, URLPattern) and "format" not in pattern.pattern.regex.groupindex:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern.callback
    return found


def declared_actions():
    """URL name → (read, write, scope, personal) as its view declares them."""
    actions = {}
    for name, view in callbacks().items():
        declared = policy_of(view)
        if declared is not None:
            actions[name] = (declared.read, declared.write, declared.scope, declared.personal)
    return actions


DENIED = (403, 404, 405)


def test_every_url_says_which_action_it_needs(db):
    assert set(url_names()) - PUBLIC - set(declared_actions()) == set()


def test_the_public_pages_say_so_and_the_others_declare_their_policy():
    views = callbacks()
    for name in PUBLIC:
        assert getattr(views[name], "login_required", True) is False or policy_of(views[name])


def _may(user, action, *, own):
    """What the policy promises `user` for `action` on the objects of organisation A."""
    if action is None:
        return True
    return own and scope_of(user, action) in (Scope.OWN, Scope.LINKED)


def _may_list(user, action, scope=None):
    """A page of one's own organisation opens on any scope of the action, unless the view
    narrows it to one (`@policy(scope=…)`: the caseloads, not for a referred psychologist)."""
    if action is None:
        return True
    has = scope_of(user, action)
    return has is not None and (scope is None or has == scope)


def _clients(client, user):
    client.force_login(user)
    _, key = ApiToken.issue(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, api


def _assert_no_secret(response, where):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    for secret in SECRETS:
        assert secret not in body, (where, secret)


def _assert_handed_over_safely(response, where):
    """A file given as an attachment goes through `core.documents.as_attachment`: its name
    arrives whole (accents included: `filename*`), the browser neither sniffs nor runs it."""
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or not disposition.startswith("attachment"):
        return
    assert "filename*=UTF-8''" in disposition, (where, disposition)
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert "no-store" in response["Cache-Control"], where
    assert response["Content-Security-Policy"].startswith("sandbox"), where


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
    actions = declared_actions()
    for name in sorted(set(url_names()) & set(actions) - PUBLIC):
        params = URL_MAP[name]
        url = reverse(name, kwargs={p: data_of_a[kind].uuid for p, kind in params.items()})
        caller = api if url.startswith("/api/") else client
        read, write, scope, personal = actions[name]
        where = (role, "own" if own else "other", name)
        response = caller.get(url)
        _assert_handed_over_safely(response, where)
        if personal:  # a user's own object: nobody else reaches it, whatever the role
            assert response.status_code == 404, (where, response.status_code)
            _assert_no_secret(response, where)
        elif params:  # one object of A
            if _may(user, read, own=own):
                assert response.status_code in (200, 405), where
            else:
                assert response.status_code in DENIED, (where, response.status_code)
                _assert_no_secret(response, where)
        else:  # a list or a page of one's own organisation
            if _may_list(user, read, scope):
                assert response.status_code == 200, (where, response.status_code)
            else:
                assert response.status_code in (403, 200), (where, response.status_code)
            if not _may(user, read, own=own) and name != "api-schema":
                _assert_no_secret(response, where)
        if write is not None and not _may(user, write, own=own):
            methods = ("post", "patch") if caller is api else ("post",)
            for method in methods:
                if not params and _may_list(user, write, scope):
                    continue  # creating in one's own organisation is allowed
                response = getattr(caller, method)(url, {})
                assert response.status_code in DENIED, (where, method, response.status_code)
    household = data_of_a["household"]
    household.refresh_from_db()
    assert household.ref == "M-SECRET" and household.version == 1
    assert household.stays.get().exited_on is None
