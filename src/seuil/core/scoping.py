"""One door to the data: every queryset a user can reach goes through `visible_to`."""

import functools
import operator

from django.db import models
from django.db.models import Q

from .policy import Action, Scope, scope_of

# Functions `organisation_id -> queryset of Household ids` by which other apps link
# households to an organisation beyond the one holding their file (a request addressed to
# a SIAO, a referral admitted to an operator's programme). Apps register them in their
# `AppConfig.ready()` with `register_household_link`; scope ``own`` then covers them.
HOUSEHOLD_LINKS = []


# Functions `(user, scope, action) -> queryset of households` shared with `user` beyond its
# organisation (referred to a psychologist, consented to a partner): the households app
# registers its own in its `AppConfig.ready()` with `register_household_sharing`; records
# that follow a household (`HouseholdPartQuerySet`) are shared exactly as their household.
HOUSEHOLD_SHARING = []


def register_household_link(link):
    if link not in HOUSEHOLD_LINKS:
        HOUSEHOLD_LINKS.append(link)
    return link


def register_household_sharing(shared):
    if shared not in HOUSEHOLD_SHARING:
        HOUSEHOLD_SHARING.append(shared)
    return shared


class ScopedQuerySet(models.QuerySet):
    """A queryset that narrows itself to what a user may see, as `core.policy` says.

    Subclasses set `organisation_path` (the lookup to the owning organisation),
    `household_path` (the lookup to the household, for records that follow one),
    `view_action` (the policy action that reading these records needs) and, for the
    records that can be shared beyond their organisation, `shared_with(user, scope)`.
    """

    organisation_path = "organisation"
    household_path = None
    view_action = Action.VIEW_HOUSEHOLDS

    def visible_to(self, user, action=None):
        action = action or self.view_action
        scope = scope_of(user, action)
        if scope == Scope.OWN:
            return self.filter(self.own_q(user.organisation_id))
        if scope in (Scope.REFERRED, Scope.CONSENTED):
            return self.shared_with(user, scope, action)
        return self.none()

    def own_q(self, organisation_id):
        """Records of the organisation, and those of the households linked to it."""
        q = Q(**{self.organisation_path: organisation_id})
        if self.household_path:
            for link in HOUSEHOLD_LINKS:
                linked = self.model.objects.filter(
                    **{f"{self.household_path}__in": link(organisation_id)}
                )
                q |= Q(pk__in=linked.values("pk"))
        return q

    def shared_with(self, user, scope, action):
        """Records referred or consented to `user` for `action` (none unless a model says)."""
        return self.none()


class HouseholdPartQuerySet(ScopedQuerySet):
    """Records that belong to a household: shared exactly as their household is."""

    household_path = "household"

    def shared_with(self, user, scope, action):
        if not HOUSEHOLD_SHARING:
            return self.none()
        path = f"{self.household_path}__in"
        shares = [Q(**{path: shared(user, scope, action)}) for shared in HOUSEHOLD_SHARING]
        return self.filter(functools.reduce(operator.or_, shares))
