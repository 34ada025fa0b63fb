"""One door to the data: every queryset a user can reach goes through `visible_to`."""

from django.db import models

from .policy import Action, Scope, scope_of


class ScopedQuerySet(models.QuerySet):
    """A queryset that narrows itself to what a user may see, as `core.policy` says.

    Subclasses set `organisation_path` (the lookup to the owning organisation),
    `view_action` (the policy action that reading these records needs) and, for the
    records that can be shared beyond their organisation, `shared_with(user, scope)`.
    """

    organisation_path = "organisation"
    view_action = Action.VIEW_HOUSEHOLDS

    def visible_to(self, user, action=None):
        action = action or self.view_action
        scope = scope_of(user, action)
        if scope == Scope.OWN:
            return self.filter(**{self.organisation_path: user.organisation_id})
        if scope in (Scope.REFERRED, Scope.CONSENTED):
            return self.shared_with(user, scope, action)
        return self.none()

    def shared_with(self, user, scope, action):
        """Records referred or consented to `user` for `action` (none unless a model says)."""
        return self.none()


class HouseholdPartQuerySet(ScopedQuerySet):
    """Records that belong to a household: shared exactly as their household is."""

    household_path = "household"

    def shared_with(self, user, scope, action):
        from seuil.households.models import Household

        households = Household.objects.all().shared_with(user, scope, action)
        return self.filter(**{f"{self.household_path}__in": households})
