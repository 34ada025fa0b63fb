"""An organisation's rows read a batch at a time, so that neither an import nor an export
holds all of them; and the JSON values an export writes.

An export's lists are `Rows`: read from the database each time they are walked, a batch
of `BATCH_SIZE` rows (or parents) at a time, in the document's order — by ref (Python's
order of strings, whatever the database's collation), dated records by date. What stays
whole is the map pk → ref of the kinds that others name (units, households, stays,
sub-leases…).
"""

BATCH_SIZE = 1000


def batches(items, size):
    """`items` (a list) in slices of `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Rows:
    """A list of the document read from the database each time it is walked
    (`produce()` gives a new iterator over its items); `count()` says how many items it
    holds (one query at most)."""

    def __init__(self, produce, count):
        self._produce = produce
        self.count = count

    def __iter__(self):
        return self._produce()


def items_in(value):
    """How many items a list of a document holds: a `Rows`, or a list."""
    return value.count() if isinstance(value, Rows) else len(value)


def refs_of(queryset):
    """pk → ref of the queryset's rows."""
    return dict(queryset.values_list("pk", "ref").iterator())


def in_ref_order(refs, size=None):
    """The pks of `refs` (pk → ref) in the order of their refs, `size` (by default
    `BATCH_SIZE`) at a time."""
    return batches(sorted(refs, key=refs.__getitem__), size or BATCH_SIZE)


def by_ref(queryset, fields, make, *, refs=None, nested=None):
    """`Rows` of the queryset's rows in the order of their refs: each row, a dict of pk,
    ref and `fields`, becomes `make(row)`, or `make(row, parts)` with `nested`: a function
    of a batch's pks that reads what their items hold (members, terms…) in a few queries.
    `refs`: the rows' pk → ref when the caller has it already, else read at each walk."""

    def produce():
        for chunk in in_ref_order(refs if refs is not None else refs_of(queryset)):
            rows = {
                row["pk"]: row for row in queryset.filter(pk__in=chunk).values("pk", "ref", *fields)
            }
            parts = nested(chunk) if nested else None
            for pk in chunk:
                if pk in rows:  # a row gone meanwhile is left out
                    yield make(rows[pk], parts) if nested else make(rows[pk])

    return Rows(produce, lambda: len(refs) if refs is not None else queryset.count())


def by_parent(parent_refs, queryset, parent_field, fields, make, *, order, size=None):
    """`Rows` of the queryset's rows (those of the parents `parent_refs`, pk → ref), in the
    order of their parent's ref then of `order(row)`, read a batch of `size` parents (by
    default `BATCH_SIZE`) at a time: each row, a dict of `parent_field` and `fields`,
    becomes `make(row)`."""

    def produce():
        for chunk in in_ref_order(parent_refs, size):
            rows = queryset.filter(**{f"{parent_field}__in": chunk}).values(parent_field, *fields)
            for row in sorted(rows, key=lambda r: (parent_refs[r[parent_field]], order(r))):
                yield make(row)

    return Rows(produce, queryset.count)


def grouped(queryset, parent_field, pks, fields, make, *, order):
    """{parent pk: [make(row) for its rows in the order of `order(row)`]} for the parents
    `pks`: a nested list of a batch, read in one query."""
    rows = queryset.filter(**{f"{parent_field}__in": pks}).values(parent_field, *fields)
    items = {}
    for row in sorted(rows, key=order):
        items.setdefault(row[parent_field], []).append(make(row))
    return items


# ---------------------------------------------------------------- JSON values


def json_number(value):
    """A Decimal as a JSON number: 62.00 → 62, 420.50 → 420.5, None → None."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_date(value):
    return value.isoformat() if value is not None else None


def json_text(value):
    return value or None
