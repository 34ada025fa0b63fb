"""What the apps above add to the household list (and to the file's summary).

An app registers, in its `AppConfig.ready()`:

- a filter of the search form:
  `register_list_filter("programme", field=programme_field, narrow=by_programme, order=10)`:
  `field(user)` builds the form field (its choices may depend on what `user` sees),
  `narrow(households, value, day)` narrows the queryset when the field has a value. The
  registered fields come after the name search and before the legal status, by `order`.
  The filter is a parameter of `/api/v1/households/` too: `api_schema` is its OpenAPI
  schema (type, format or enum, description), a plain string when omitted;
- the records of its own that the rows show, fetched once for the whole page:
  `register_list_prefetch(Prefetch("stays", queryset=...))`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ListFilter:
    name: str
    field: Callable
    narrow: Callable
    order: int
    api_schema: dict


_FILTERS: list[ListFilter] = []
_PREFETCHES: list = []


def register_list_filter(name, *, field, narrow, order, api_schema=None):
    """Add the filter `name` to the household list; see the module's docstring."""
    if all(f.name != name for f in _FILTERS):
        _FILTERS.append(
            ListFilter(
                name=name,
                field=field,
                narrow=narrow,
                order=order,
                api_schema=api_schema or {"type": "string"},
            )
        )
        _FILTERS.sort(key=lambda f: f.order)


def list_filters():
    """The registered filters, in the order of the form."""
    return tuple(_FILTERS)


def register_list_prefetch(lookup):
    """Fetch `lookup` (a `Prefetch` or a lookup string) with the households of a page."""
    if lookup not in _PREFETCHES:
        _PREFETCHES.append(lookup)


def list_prefetches():
    return tuple(_PREFETCHES)
