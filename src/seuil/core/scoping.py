"""One door to the data: every queryset a user can reach goes through `visible_to`."""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may see.

    Subclasses set `organisation_path` (the lookup to the owning organisation) and
    `can_view(user)` (the role rule); `visible_to` combines both.
    """

    organisation_path = "organisation"

    @staticmethod
    def can_view(user):
        raise NotImplementedError

    def visible_to(self, user):
        if not self.can_view(user):
            return self.none()
        return self.filter(**{self.organisation_path: user.organisation_id})
