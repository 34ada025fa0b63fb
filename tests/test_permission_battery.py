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
    "account": (None, None),
    "password_change": (None, None),
    "password_change_done": (None, None),
    "api_tokens": (None, None),  # one's own tokens (and, for managers, the organisation's)
    "api_token_revoke": (A.MANAGE_TOKENS, A.MANAGE_TOKENS),  # a token of another user of A
    "recovery_codes": (None, None),
    "two_factor_verify": (None, None),
    "two_factor_setup": (None, None),
    "two_factor_qr": (None, None),
    "households:list": (A.VIEW_HOUSEHOLDS, None),
    "households:create": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:detail": (A.VIEW_HOUSEHOLDS, None),
    "households:edit": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:add_member": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:edit_member": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:add_legal_status": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:add_resources": (A.CHANGE_HOUSEHOLDS, A.CHANGE_HOUSEHOLDS),
    "households:history": (A.VIEW_HISTORY, None),
    "households:access_log": (A.VIEW_ACCESS_LOG, None),
    "households:social_note": (A.CHANGE_SOCIAL_NOTE, A.CHANGE_SOCIAL_NOTE),
    "households:add_consent": (A.RECORD_CONSENT, A.RECORD_CONSENT),
    "households:revoke_consent": (A.RECORD_CONSENT, A.RECORD_CONSENT),
    "households:refer_to_psychologist": (A.REFER_TO_PSYCHOLOGIST, A.REFER_TO_PSYCHOLOGIST),
    "households:end_clinical_referral": (A.REFER_TO_PSYCHOLOGIST, A.REFER_TO_PSYCHOLOGIST),
    "households:clinical_notes": (A.VIEW_CLINICAL_NOTES, A.WRITE_CLINICAL_NOTES),
    "households:shared_notes": (A.VIEW_SOCIAL_NOTE, None),
    "households:subject_access_json": (A.EXPORT_PERSON, A.EXPORT_PERSON),
    "households:subject_access_pdf": (A.EXPORT_PERSON, A.EXPORT_PERSON),
    "housing:list": (A.VIEW_UNITS, None),
    "housing:create": (A.CHANGE_UNITS, A.CHANGE_UNITS),
    "housing:detail": (A.VIEW_UNITS, None),
    "housing:edit": (A.CHANGE_UNITS, A.CHANGE_UNITS),
    "housing:enter": (A.CHANGE_STAYS, A.CHANGE_STAYS),
    "housing:exit": (A.CHANGE_STAYS, A.CHANGE_STAYS),
    "orientation:index": (None, None),  # counts of the user's own scope only
    "orientation:dashboard": (A.VIEW_ORIENTATION_DASHBOARD, None),
    "orientation:waiting_export": (A.VIEW_WAITING_LISTS, None),
    "orientation:requests": (A.RECORD_REQUEST, None),
    "orientation:request_create": (A.RECORD_REQUEST, A.RECORD_REQUEST),
    "orientation:request_detail": (A.RECORD_REQUEST, None),
    "orientation:assess": (A.ASSESS, A.ASSESS),
    "orientation:request_withdraw": (A.RECORD_REQUEST, A.RECORD_REQUEST),
    "orientation:meetings": (A.ASSESS, None),
    "orientation:meeting_create": (A.DECIDE_REFERRAL, A.DECIDE_REFERRAL),
    "orientation:meeting_detail": (A.ASSESS, None),
    "orientation:meeting_edit": (A.DECIDE_REFERRAL, A.DECIDE_REFERRAL),
    "orientation:meeting_agenda": (A.ASSESS, A.ASSESS),
    "orientation:decide": (A.DECIDE_REFERRAL, A.DECIDE_REFERRAL),
    "orientation:meeting_minutes": (A.ASSESS, None),
    "orientation:waiting_lists": (A.VIEW_WAITING_LISTS, None),
    "orientation:waiting_list": (A.VIEW_WAITING_LISTS, None),
    "orientation:priority_weights": (A.SET_PRIORITY_WEIGHTS, A.SET_PRIORITY_WEIGHTS),
    "orientation:vacancies": (A.VIEW_UNITS, None),
    "orientation:vacancy_declare": (A.DECLARE_VACANCY, A.DECLARE_VACANCY),
    "orientation:vacancy_detail": (A.VIEW_UNITS, None),
    "orientation:vacancy_close": (A.DECLARE_VACANCY, A.DECLARE_VACANCY),
    "orientation:propose": (A.MAKE_PROPOSAL, A.MAKE_PROPOSAL),
    "orientation:proposals": (A.VIEW_PROPOSALS, None),
    "orientation:proposal_detail": (A.VIEW_PROPOSALS, None),
    "orientation:proposal_answer": (A.ANSWER_PROPOSAL, A.ANSWER_PROPOSAL),
    "orientation:proposal_withdraw": (A.MAKE_PROPOSAL, A.MAKE_PROPOSAL),
    "orientation:proposal_enter": (A.CHANGE_STAYS, A.CHANGE_STAYS),
    "matching:runs": (A.RUN_MATCHING, A.RUN_MATCHING),
    "matching:run_detail": (A.RUN_MATCHING, None),
    "matching:accept_pairs": (A.RUN_MATCHING, A.RUN_MATCHING),
    "matching:employment_scores": (A.SET_EMPLOYMENT_SCORES, A.SET_EMPLOYMENT_SCORES),
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
