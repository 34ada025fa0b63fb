"""What the apps above tell the notifications app, in their `AppConfig.ready()`.

The kinds of notification they send (`register_kind`): a code, a French label, the sentence
an e-mail says (no personal data: the person logs in to see more), how it is sent by
default and whom it may concern (its line on the preferences page):

    register_kind(
        "proposal_made",
        label="Nouvelle proposition de logement",
        summary="Une proposition de logement vous concerne.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.VIEW_PROPOSALS),
        order=10,
    )

And the providers of « Mes tâches » (`register_task_provider`): functions
`provider(user, today) -> iterable of Todo` that say what `user` has to do, read off the
data as it is today (nothing is stored): each provider looks at the user's role and answers
nothing when the role has nothing to do there.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .enums import Delivery


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    summary: str
    default: Delivery
    concerns: Callable | None
    order: int

    def concerns_user(self, user):
        return self.concerns is None or bool(self.concerns(user))


@dataclass(frozen=True)
class Todo:
    """One thing a user has to do, by `due_on`; `url` the page where it is done."""

    title: str
    url: str
    due_on: datetime.date
    category: str
    detail: str = ""

    def is_overdue(self, today):
        return self.due_on < today

    def days_late(self, today):
        return max(0, (today - self.due_on).days)


_KINDS: dict[str, Kind] = {}
_PROVIDERS: list[tuple[int, Callable]] = []


def register_kind(code, *, label, summary, default=Delivery.IMMEDIATE, concerns=None, order=100):
    """Declare a kind of notification (see the module's docstring)."""
    kind = Kind(code, label, summary, Delivery(default), concerns, order)
    _KINDS[code] = kind
    return kind


def kinds():
    """The registered kinds, in order."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def kind_of(code):
    """The kind registered under `code` (LookupError for an unknown one: a bug)."""
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown notification kind: {code!r}") from None


def register_task_provider(provider, *, order=100):
    """Add `provider(user, today)` to « Mes tâches », after those of smaller `order`."""
    if all(registered is not provider for _, registered in _PROVIDERS):
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda item: item[0])
    return provider


def task_providers():
    return [provider for _, provider in _PROVIDERS]
