"""One door to the data: every queryset a user can reach goes through `visible_to`."""

import functools
import operator

from django.db.models import Q

from .copy_insert import CopyInsertQuerySet
from .policy import Action, Scope, scope_of

# Functions `organisation_id -> queryset of Household ids` linked today to an organisation
# beyond the households it holds (`households.links`: a request addressed to a SIAO, an
# admitted referral, a stay in an operator's unit, a recent handover). The households app
# registers the one that reads its link rows in its `AppConfig.ready()` with
# `register_household_link`; scope ``linked`` then covers them.
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


class ScopedQuerySet(CopyInsertQuerySet):
    """A queryset that narrows itself to what a user may see, as `core.policy` says.

    Subclasses set `organisation_path` (the lookup to the owning organisation),
    `household_path` (the lookup to the household, for records that follow one),
    `view_action` (the policy action that reading these records needs) and, for the
    records that can be shared beyond their organisation, `shared_with(user, scope)`.
    """

    organisation_path = "organisation"
    household_path = None
    view_action = Action.VIEW_HOUSEHOLDS
    # True when a record always belongs to the organisation holding its households (a
    # person): `visible_parts` then reads no part for the households it holds.
    held_with_household = False

    def visible_to(self, user, action=None):
        action = action or self.view_action
        scope = scope_of(user, action)
        if scope == Scope.OWN:
            return self.filter(self.own_q(user.organisation_id))
        if scope == Scope.LINKED:
            return self.filter(self.linked_q(user.organisation_id))
        if scope in (Scope.REFERRED, Scope.CONSENTED):
            return self.shared_with(user, scope, action)
        return self.none()

    def visible_for_lookup(self, user, action=None):
        """`visible_to(user, action)`, the same rows, written for a lookup of a few records
        that another condition picks by an index (a page's object by its uuid, the stays of
        one unit). Under scope ``linked``, records of a model with the default rules that
        follow their household by foreign keys are then conditions on their own row and
        household: their organisation's, held with their household, or of one of the few
        households it is linked to (`linked_households`), instead of the subquery of every
        record it reaches, which PostgreSQL computes whole (30,000 households for a large
        operator, twice as many stays) to answer for a few."""
        cls = type(self)
        default_rules = (cls.visible_to, cls.linked_q) == (
            ScopedQuerySet.visible_to,
            ScopedQuerySet.linked_q,
        )
        path = self.household_path
        if not (
            default_rules
            and path is not None
            and _forward_path(self.model, path)
            and HOUSEHOLD_LINKS
            and scope_of(user, action or self.view_action) == Scope.LINKED
        ):
            return self.visible_to(user, action)  # the action as given: a model may read None
        organisation = user.organisation_id
        linked = linked_households(organisation)
        if path == "pk":
            return self.filter(self.own_q(organisation) | Q(pk__in=linked))
        households = _household_model(self.model, path)._default_manager.all()
        held = Q(**{f"{path}__{households.organisation_path}": organisation})
        return self.filter(self.own_q(organisation) | held | Q(**{f"{path}__in": linked}))

    def visible_parts(self, user, action=None):
        """Querysets whose union is `visible_to(user, action)`, each without an OR of
        subqueries, so that an index leading with the organisation serves the first (a
        search over a national table): for scope ``linked``, the organisation's own records,
        then the others of the households it holds (none for a model whose records belong to
        their household's holder: `held_with_household`) or is linked to, through one
        subquery on the link rows (`HOUSEHOLD_LINKS`), whose few rows lead the join; for the
        other scopes, `visible_to` itself."""
        action = action or self.view_action
        scope = scope_of(user, action)
        if scope not in (Scope.OWN, Scope.LINKED):
            return [self.visible_to(user, action)]
        organisation = user.organisation_id
        own = self.own_q(organisation)
        parts = [self.filter(own)]
        path = self.household_path
        if scope == Scope.OWN or path is None:
            return parts
        model = _household_model(self.model, path)
        if path == "pk" or self.held_with_household:
            households = linked_households(organisation)
        else:
            households = reached_households(model, organisation)
        if path == "pk":
            return [*parts, self.filter(pk__in=households).exclude(own)]
        if _forward_path(self.model, path):
            # A record has one household: the join gives each record once.
            return [*parts, self.filter(**{f"{path}__in": households}).exclude(own)]
        # One row per record, however many of its households are reached.
        records = self.model._default_manager.filter(**{f"{path}__in": households})
        return [*parts, self.filter(pk__in=records.order_by().values("pk")).exclude(own)]

    def of_household(self, household, user, action=None):
        """`visible_to(user, action)` narrowed to the records of `household` (a household
        file's sections): the same rows. For scopes own and linked, without the subquery of
        every household the organisation reaches, which PostgreSQL would compute whole for
        one household: all the records of a household it reaches (`reaches`), its own
        records of any other."""
        action = action or self.view_action
        path = self.household_path
        scope = scope_of(user, action)
        records = self._of_household(path, household)
        cls = type(self)
        if (cls.visible_to, cls.linked_q) != (ScopedQuerySet.visible_to, ScopedQuerySet.linked_q):
            scope = None  # a model with rules of its own: they decide
        if scope == Scope.LINKED and reaches(user.organisation_id, household):
            return records
        if scope in (Scope.OWN, Scope.LINKED):
            return records.filter(self.own_q(user.organisation_id))
        return self.visible_to(user, action).filter(pk__in=records.values("pk"))

    def _of_household(self, path, household):
        if path is None:
            raise TypeError(f"{self.model.__name__} does not follow a household.")
        if not _forward_path(self.model, path):
            # A reverse relation on the way (a person's memberships): one row each.
            inner = self.model._default_manager.filter(**{path: household})
            return self.filter(pk__in=inner.order_by().values("pk"))
        return self.filter(**{path: household})

    def own_q(self, organisation_id):
        """The organisation's own records: those whose `organisation_path` is it."""
        return Q(**{self.organisation_path: organisation_id})

    def linked_q(self, organisation_id):
        """Its own records, and every record of the households it holds or is linked to
        today (`HOUSEHOLD_LINKS`); records that follow no household: its own only.

        One condition `pk IN (… UNION …)` whose every branch an index leading with the
        organisation serves (the households held, the link rows, the records themselves),
        never an OR of subqueries: PostgreSQL would then read the whole table and guess its
        size from it."""
        own = self.own_q(organisation_id)
        path = self.household_path
        if path is None:
            return own
        households = reached_households(_household_model(self.model, path), organisation_id)
        if path == "pk":
            return Q(pk__in=households)
        records = self.model._default_manager
        mine = records.filter(own).order_by().values("pk")
        theirs = records.filter(**{f"{path}__in": households}).order_by().values("pk")
        return Q(pk__in=mine.union(theirs))

    def shared_with(self, user, scope, action):
        """Records referred or consented to `user` for `action` (none unless a model says)."""
        return self.none()


def reaches(organisation_id, household):
    """Whether an organisation holds `household` or is linked to it today
    (`HOUSEHOLD_LINKS`); remembered on the household for the rest of the request."""
    if household.organisation_id == organisation_id:
        return True
    known = household.__dict__.setdefault("_reached_by", {})
    if organisation_id not in known:
        known[organisation_id] = any(
            link(organisation_id).filter(household_id=household.pk).exists()
            for link in HOUSEHOLD_LINKS
        )
    return known[organisation_id]


def linked_households(organisation_id):
    """The ids of the households linked to an organisation today (`HOUSEHOLD_LINKS`), as
    one subquery."""
    first, *others = [link(organisation_id).order_by() for link in HOUSEHOLD_LINKS]
    return first.union(*others) if others else first


def reached_households(household_model, organisation_id):
    """The ids of the households an organisation holds or is linked to today, as one
    subquery: the households it holds, then each link's (`HOUSEHOLD_LINKS`)."""
    households = household_model._default_manager
    held = households.filter(households.own_q(organisation_id))
    links = [link(organisation_id) for link in HOUSEHOLD_LINKS]
    return held.order_by().values("pk").union(*(qs.order_by() for qs in links))


@functools.cache
def _forward_path(model, path):
    """Whether `path` (a lookup from `model` to its household) follows only foreign keys
    from `model` on: each record then has one household, and a join on the path gives
    each record once (not so through a reverse relation, as a person's memberships)."""
    for name in path.split("__"):
        if name == "pk":
            return True
        field = model._meta.get_field(name)
        if field.auto_created or not (field.many_to_one or field.one_to_one):
            return False
        model = field.related_model
    return True


@functools.cache
def _household_model(model, path):
    """The model `path` (a lookup from `model` to its household) reaches."""
    for name in path.split("__"):
        if name == "pk":
            return model
        model = model._meta.get_field(name).related_model
    return model


class HouseholdPartQuerySet(ScopedQuerySet):
    """Records that belong to a household: shared exactly as their household is."""

    household_path = "household"

    def shared_with(self, user, scope, action):
        if not HOUSEHOLD_SHARING:
            return self.none()
        path = f"{self.household_path}__in"
        shares = [Q(**{path: shared(user, scope, action)}) for shared in HOUSEHOLD_SHARING]
        return self.filter(functools.reduce(operator.or_, shares))
