"""Template slots: a page offers a named place, the apps above fill it.

A page of a lower app writes `{% load ui %}{% slot "household_sections" household=household %}`
and never names the apps that fill it. An app above registers, in its `AppConfig.ready()`:

    register_slot(
        "household_sections", "orientation/_household_orientation.html",
        context=household_orientation, order=10,
    )

The slot renders each registered template in turn, smallest `order` first, in the page's
context plus the slot's arguments plus the variables `context(request, **arguments)`
returns; a filler whose `context` returns None shows nothing on that page.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Filler:
    template: str
    context: Callable | None
    order: int


_SLOTS: dict[str, list[Filler]] = {}


def register_slot(name, template, *, context=None, order=100):
    """Fill the slot `name` with `template` (at `order`); see the module's docstring."""
    filler = Filler(template=template, context=context, order=order)
    fillers = _SLOTS.setdefault(name, [])
    if filler not in fillers:
        fillers.append(filler)
        fillers.sort(key=lambda f: f.order)
    return filler


def fillers(name):
    """The fillers of the slot `name`, in order."""
    return tuple(_SLOTS.get(name, ()))
