"""Each view says once which policy action it needs, and the declaration is enforced.

    @policy(read=Action.VIEW_UNITS)              a page that reads: the role needs VIEW_UNITS
    @policy(Action.CHANGE_UNITS)                 reading and writing both need CHANGE_UNITS
    @policy(read=Action.VIEW_CLINICAL_NOTES, write=Action.WRITE_CLINICAL_NOTES, hidden=True)
    @policy(read=None)                           any signed-in user

A request is refused (403; 404 when `hidden`, so that nobody learns the page exists) unless
the user's role has the `read` action, and for POST and the other unsafe methods the
`write` action too, each checked with its page rule (`seuil.core.permissions.page_rule`:
changing a household needs scope own, reading one any scope). The object of the URL still
comes through `visible_to(user, action)` (`seuil.core.pages.object_or_404`, with the action
of the request by default): another organisation's answers 404, and so does a household the
organisation is only linked to, on a page that changes it.

`scope=Scope.OWN` narrows the check to that scope when a page needs more than the action's
page rule (closing a vacancy: DECLARE_VACANCY on the operator's own units, not a landlord's).

`personal=True` declares a page of the requesting user's own object (a file prepared for
them, `core.downloads`): anyone else, whatever their role, is answered 404.

`by_queryset=True` declares an action that the view's queryset applies by itself, without
refusing the role first: every user revokes their own API tokens, and MANAGE_TOKENS reaches
the other accounts' tokens of the organisation.

The declaration stays on the view (`view.policy`; on a DRF viewset, the `policy` class
attribute), where the permission battery of the tests reads it.
"""

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .permissions import page_rule
from .policy import Action, Scope, allows

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
UNSET = object()


@dataclass(frozen=True)
class ViewPolicy:
    """The policy actions a view needs: `read` for any request, `write` for a change."""

    read: Action | None
    write: Action | None = None
    hidden: bool = False
    by_queryset: bool = False
    scope: Scope | None = None
    personal: bool = False

    def needs(self, method):
        """The actions a request of `method` needs."""
        actions = [self.read]
        if method not in SAFE_METHODS:
            actions.append(self.write)
        return [action for action in actions if action is not None]

    def action_of(self, method):
        """The action whose scope the objects of a request of `method` are reached with:
        the `write` action for a change, else the `read` one (None: the model's own)."""
        needs = self.needs(method)
        return needs[-1] if needs else None

    def check(self, request):
        """Refuse `request` (403, or 404 when hidden) unless the role has what it needs."""
        if self.by_queryset:
            return
        for action in self.needs(request.method):
            if self.scope is not None:
                allowed = allows(request.user, action, self.scope)
            else:
                allowed = page_rule(action)(request.user)
            if not allowed:
                raise Http404 if self.hidden else PermissionDenied


def policy(
    action=UNSET,
    *,
    read=UNSET,
    write=None,
    hidden=False,
    by_queryset=False,
    scope=None,
    personal=False,
):
    """Declare and enforce the policy actions of a view: see the module's docstring."""
    if (action is UNSET) == (read is UNSET):
        raise TypeError("policy() takes either one action (read and write) or read=…")
    if action is not UNSET:
        read = write = action
    declared = ViewPolicy(read, write, hidden, by_queryset, scope, personal)

    def decorate(view):
        if by_queryset or (declared.read is None and declared.write is None):
            view.policy = declared  # nothing to refuse up front
            return view

        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            declared.check(request)
            request.policy_action = declared.action_of(request.method)
            return view(request, *args, **kwargs)

        guarded.policy = declared
        return guarded

    return decorate


def policy_of(view):
    """The policy a URL's callback declares (a view function or a DRF viewset), or None."""
    declared = getattr(view, "policy", None)
    if declared is None:
        declared = getattr(getattr(view, "cls", None), "policy", None)
    return declared if isinstance(declared, ViewPolicy) else None
