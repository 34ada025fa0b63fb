"""Statuses are state machines. A model with a status declares its machine next to its
fields::

    class Proposal(models.Model):
        ...
        state_machine = StateMachine(PROPOSAL_TRANSITIONS, noun="Une proposition",
                                     household="referral.household")

with its table (status → the statuses it may go to, declared next to the status enum) and
its transition log (the reverse relation `transitions` of a model with `from_status`,
`to_status`, `on`, `by`, `reason` and `comment`). `transition()` is the one door through
which a status changes: it refuses a move the table does not allow (a French
`ValidationError`), sets the status and the fields that go with it, saves the record with
its change-history record and access-log row (`audit.audited_save`) and writes the
transition-log row, in one transaction. `start()` saves a new record in its first status.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction

from .audit import audited_change, audited_save


class StateMachine:
    """The transition table of a model's status, and where its moves are written.

    `noun` names a record in the refusal ("Une demande « Reçue » ne peut pas passer à
    « Admise »."); `household` is the dotted path from the record to the household whose
    file it belongs to (for its change history); `log` the reverse relation of its
    transition log. `access_without_person=False`: a move made by a command or a task
    (no user) writes no access-log row.
    """

    def __init__(
        self,
        table,
        *,
        noun,
        household,
        field="status",
        log="transitions",
        access_without_person=True,
    ):
        self.table = table
        self.noun = noun
        self.household_path = household.split(".")
        self.field = field
        self.log = log
        self.access_without_person = access_without_person
        self.model = None

    def __set_name__(self, owner, name):
        self.model = owner

    def allows(self, current, target):
        return target in self.table.get(current, ())

    @functools.cached_property
    def labels(self):
        return dict(self.model._meta.get_field(self.field).flatchoices)

    def check(self, current, target):
        if not self.allows(current, target):
            labels = self.labels
            raise ValidationError(
                f"{self.noun} « {labels[current]} » ne peut pas passer à « {labels[target]} »."
            )

    def household_of(self, obj):
        return functools.reduce(getattr, self.household_path, obj)

    def writes_access(self, by):
        return self.access_without_person or _person(by) is not None

    def write_log(self, obj, from_status, *, on, by, reason="", comment="", **fields):
        relation = self.model._meta.get_field(self.log)
        return relation.related_model.objects.create(
            **{relation.field.name: obj},
            from_status=from_status,
            to_status=getattr(obj, self.field),
            on=on,
            by=_person(by),
            reason=reason,
            comment=comment,
            **fields,
        )


def _person(user):
    """The user who acted, None for a command or an automatic task."""
    return user if user is not None and user.is_authenticated else None


def machine_of(obj):
    machine = getattr(type(obj), "state_machine", None)
    if not isinstance(machine, StateMachine):
        raise TypeError(f"{type(obj).__name__} declares no state machine.")
    return machine


def check_transition(obj, to):
    """Refuse (French `ValidationError`) a move of `obj` to `to` that its table forbids."""
    machine = machine_of(obj)
    machine.check(getattr(obj, machine.field), to)


def transition(obj, to, *, on, by, reason="", comment="", changes=None, log=None, validate=True):
    """Move `obj` to the status `to` on the day `on`, by the user `by` (None: a command
    or a task), for `reason` (a code), with `comment`.

    `changes` are the other fields that change with the status (a closing date, a
    reason…); `log` the extra fields of the transition-log row. The record is validated
    (unless `validate=False`) and saved with its change history and access-log row, and
    the move is logged (from, to, on, by, reason, comment), in one transaction. A move to
    the same status is one only if the table allows it (one party's answer, say).
    """
    machine = machine_of(obj)
    current = getattr(obj, machine.field)
    machine.check(current, to)
    with transaction.atomic(savepoint=False):
        with audited_change(
            obj,
            by=by,
            household=machine.household_of(obj),
            access=machine.writes_access(by),
            validate=validate,
        ):
            setattr(obj, machine.field, to)
            for name, value in (changes or {}).items():
                setattr(obj, name, value)
        machine.write_log(obj, current, on=on, by=by, reason=reason, comment=comment, **(log or {}))
    return obj


def start(obj, *, on, by, validate=True):
    """Save the new record `obj` in its first status (audited as `transition` does) and
    log that status, from none, on the day `on`."""
    machine = machine_of(obj)
    status = getattr(obj, machine.field)
    if status not in machine.table:
        raise ValueError(f"Unknown status {status!r} for {type(obj).__name__}.")
    with transaction.atomic(savepoint=False):
        audited_save(
            obj,
            None,
            by=by,
            household=machine.household_of(obj),
            access=machine.writes_access(by),
            validate=validate,
        )
        machine.write_log(obj, "", on=on, by=by)
    return obj
