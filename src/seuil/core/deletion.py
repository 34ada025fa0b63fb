"""Deleting a record of an organisation's settings (a programme, a sector, a landlord) only
while nothing uses it: otherwise the refusal names what uses it, in French."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from .history import DELETE, record_change, snapshot
from .wording import phrase_plural, plural


def _forms_of(model):
    """« singulier,pluriel » of a model's name (the plural on the first word: « décisions de
    la commission »)."""
    meta = model._meta
    singular = str(meta.verbose_name)
    if "verbose_name_plural" in meta.original_attrs:
        return f"{singular},{meta.verbose_name_plural}"
    return f"{singular},{phrase_plural(singular)}"


def uses(blocking):
    """« 3 logements, 1 séjour »: what blocks a deletion, counted by kind."""
    counts = {}
    for obj in blocking:
        counts[type(obj)] = counts.get(type(obj), 0) + 1
    return ", ".join(plural(n, _forms_of(model)) for model, n in counts.items())


def delete_unless_used(obj, *, by, what):
    """Delete `obj`, with its history row, unless another record points to it: then raise
    a ValidationError « `what` ne peut pas être supprimé : … y sont rattachés ». `what`
    names the object (« Le dispositif « IML » »)."""
    before = snapshot(obj)
    try:
        with transaction.atomic():
            record_change(by, obj, before, household=None, action=DELETE)
            obj.delete()
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or error.restricted_objects
        raise ValidationError(
            f"{what} ne peut pas être supprimé : il sert encore ({uses(blocking)}). "
            "Modifiez-le plutôt, ou rattachez d'abord ces éléments à un autre."
        ) from None
