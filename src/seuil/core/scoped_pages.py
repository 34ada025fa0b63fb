"""A list over a user's scope, paged without building the whole scope.

`visible_to(user)` of a household-linked model is one condition ``pk IN (own ∪ linked)``:
to show the first 25 rows in order, PostgreSQL builds the whole set (30,000 households of
a large operator), joins it to the table and sorts it, and counts it the same way.
`visible_parts(user)` (`core.scoping`) gives the same rows as disjoint querysets, each
a plain condition that an index serves (the organisation's own records first).
`PagedParts` counts each part (the own records: an index-only count) and reads a page as
the union of each part's first rows in the list's order (an index walk of as many rows as
the page's end), then the page's rows themselves by primary key.
"""

from django.db import connections
from django.db.models import F
from django.db.models.expressions import OrderBy


def _field_of(term):
    """The field name an ordering term (``"name"``, ``"-name"``, ``F("name").asc()``)
    sorts by."""
    if isinstance(term, str):
        return term.removeprefix("-")
    if isinstance(term, OrderBy) and isinstance(term.expression, F):
        return term.expression.name
    raise TypeError(f"An ordering by a field is expected, not {term!r}.")


class PagedParts:
    """The rows of `parts` (disjoint querysets of one model, whose union is the list) in
    the order `ordering` (ending with a unique field, so that a row has one place), read
    from `rows` (the model's queryset with what the page displays: select, prefetches).

    What Django's `Paginator` and the REST framework's pagination ask of a list:
    `count()` and a slice, a list of instances."""

    def __init__(self, parts, ordering, rows):
        self.parts = list(parts)
        self.ordering = ordering
        self.fields = ["pk", *(_field_of(term) for term in ordering if _field_of(term) != "pk")]
        self.rows = rows

    def count(self):
        """One query: the count of the parts' union (of their keys)."""
        keys = [part.order_by().values("pk") for part in self.parts]
        return keys[0].union(*keys[1:], all=True).count() if len(keys) > 1 else keys[0].count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None or key.stop is None:
            raise TypeError("PagedParts reads slices with an end only.")
        start, stop = key.start or 0, key.stop
        if stop <= start:
            return []
        rows = [part.values_list(*self.fields) for part in self.parts]
        if len(rows) == 1:
            page = rows[0].order_by(*self.ordering)[start:stop]
        else:
            # Each part's first `stop` rows in order, then the page among them: the same
            # rows as the page of the whole list, the parts being disjoint (SQLite cannot
            # order or cut the queries of a union: the whole parts there).
            if connections[self.rows.db].features.supports_slicing_ordering_in_compound:
                rows = [part.order_by(*self.ordering)[:stop] for part in rows]
            else:
                rows = [part.order_by() for part in rows]
            page = rows[0].union(*rows[1:], all=True).order_by(*self.ordering)[start:stop]
        pks = [row[0] for row in page]
        found = self.rows.in_bulk(pks)
        return [found[pk] for pk in pks]
