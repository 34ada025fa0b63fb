"""A view declares its policy actions once; the declaration refuses the roles that lack them."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from seuil.core.enums import Role
from seuil.core.pages import object_or_404
from seuil.core.policy import Action, Scope
from seuil.core.views_policy import ViewPolicy, policy, policy_of
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory


def ok(request, *args, **kwargs):
    return HttpResponse("ok")


def call(view, user, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return view(request)


@pytest.fixture
def social_worker(org_a):
    return UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)


@pytest.fixture
def tenancy_officer(org_a):
    return UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)


def test_a_read_needs_the_read_action_and_a_write_the_write_action_too(
    db, social_worker, tenancy_officer
):
    view = policy(read=Action.VIEW_HOUSEHOLDS, write=Action.CHANGE_HOUSEHOLDS)(ok)
    assert call(view, social_worker).status_code == 200
    assert call(view, social_worker, "post").status_code == 200
    assert call(view, tenancy_officer).status_code == 200  # sees households' identity
    with pytest.raises(PermissionDenied):
        call(view, tenancy_officer, "post")  # but does not change them


def test_one_action_stands_for_reading_and_writing(db, tenancy_officer):
    view = policy(Action.CHANGE_HOUSEHOLDS)(ok)
    assert policy_of(view) == ViewPolicy(Action.CHANGE_HOUSEHOLDS, Action.CHANGE_HOUSEHOLDS)
    with pytest.raises(PermissionDenied):
        call(view, tenancy_officer)


def test_the_scope_is_the_one_of_the_actions_rule(db, org_a):
    """Changing households needs scope own: the national platform's consented reading of
    households does not open a page that changes them."""
    platform = UserFactory(organisation=org_a, role=Role.NATIONAL_PLATFORM)
    assert call(policy(read=Action.VIEW_HOUSEHOLDS)(ok), platform).status_code == 200
    with pytest.raises(PermissionDenied):
        call(policy(Action.CHANGE_HOUSEHOLDS)(ok), platform)


def test_a_page_may_need_the_action_on_a_narrower_scope(db, org_a):
    """A landlord declares the vacancies of its own units (scope referred), but only the
    operator that manages a unit (scope own) closes a vacancy."""
    landlord = UserFactory(organisation=org_a, role=Role.LANDLORD)
    manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    close = policy(Action.DECLARE_VACANCY, scope=Scope.OWN)(ok)
    assert call(policy(Action.DECLARE_VACANCY)(ok), landlord, "post").status_code == 200
    assert call(close, manager, "post").status_code == 200
    with pytest.raises(PermissionDenied):
        call(close, landlord, "post")


def test_a_hidden_page_answers_404_to_the_roles_that_lack_its_action(db, social_worker):
    view = policy(read=Action.VIEW_CLINICAL_NOTES, hidden=True)(ok)
    with pytest.raises(Http404):
        call(view, social_worker)


def test_any_signed_in_user_and_queryset_only_declarations_refuse_no_role(db, org_a):
    nobody = UserFactory(organisation=org_a, role="")
    for declared in (policy(read=None), policy(Action.MANAGE_TOKENS, by_queryset=True)):
        view = declared(ok)
        assert view is ok  # nothing wrapped: the declaration is only written on the view
        assert call(view, nobody, "post").status_code == 200
        ok.__dict__.pop("policy")


def test_the_declaration_is_kept_on_the_view_through_other_decorators():
    view = policy(read=Action.VIEW_UNITS)(ok)
    assert policy_of(view) == ViewPolicy(Action.VIEW_UNITS, None)
    assert policy_of(ok) is None


def test_a_declaration_names_its_actions():
    with pytest.raises(TypeError):
        policy()
    with pytest.raises(TypeError):
        policy(Action.VIEW_UNITS, read=Action.VIEW_UNITS)


def test_the_object_of_the_url_is_one_the_user_may_reach(db, social_worker, org_a, org_b):
    request = RequestFactory().get("/")
    request.user = social_worker
    own = HouseholdFactory(organisation=org_a)
    other = HouseholdFactory(organisation=org_b)
    assert object_or_404(request, own.__class__, own.uuid) == own
    assert object_or_404(request, own.__class__.objects.all(), str(own.uuid)) == own
    for missing in (other.uuid, uuid.uuid4(), "pas-un-uuid"):
        with pytest.raises(Http404):
            object_or_404(request, own.__class__, missing)
    with pytest.raises(Http404):  # a social worker never refers to a psychologist
        object_or_404(request, own.__class__, own.uuid, Action.VIEW_CLINICAL_NOTES)
