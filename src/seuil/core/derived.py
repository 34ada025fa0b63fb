"""Results computed from records and stored (a waiting list's order of a day, a yearly
closing of an account), kept true under concurrent writes.

A write to what such a result is computed from calls `moved(name)` inside its transaction:
the version of those inputs moves, and its row stays locked until the write is saved.
`store_unless_moved(name, compute, store)` reads the version, computes, then stores only
if the version did not move meanwhile (reading it locked waits for a write being saved);
otherwise it computes again. Without that, a result computed from records read just
before a change is saved would be stored after the change had deleted the stored results
it makes wrong, and stay wrong.
"""

from django.db import transaction
from django.db.models import F

from .models import InputsVersion

ATTEMPTS = 3  # then stored all the same: the inputs change faster than it is computed


def moved(name):
    """The inputs `name` change (call it in the transaction of the change)."""
    InputsVersion.objects.get_or_create(name=name)
    InputsVersion.objects.filter(name=name).update(version=F("version") + 1)


def _version(name):
    return InputsVersion.objects.filter(name=name).values_list("version", flat=True).first() or 0


def store_unless_moved(name, compute, store):
    """`store(compute())`, in a transaction, unless the inputs `name` moved while it was
    computed (then computed again, `ATTEMPTS` times at most); returns what `store` does."""
    for attempt in range(1, ATTEMPTS + 1):
        seen = _version(name)
        result = compute()
        with transaction.atomic():
            InputsVersion.objects.get_or_create(name=name)
            now = (
                InputsVersion.objects.select_for_update()
                .values_list("version", flat=True)
                .get(name=name)
            )
            if now == seen or attempt == ATTEMPTS:
                return store(result)
