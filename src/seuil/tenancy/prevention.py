"""Eviction prevention: a case opened at the first late rent (DOMAIN.md §4 item 6), its
dated stages, its outcome, and the winter truce.

- the **winter truce** (trêve hivernale) runs from 1 November to 31 March: no eviction is
  carried out then; `earliest_eviction(day)` is the first day one may be;
- `open_cases(organisation, day)`: a case for each sub-lease with a rent late at `day` and
  no case open, its first stage « premier loyer impayé » on the day the first late rent
  became late; run every day by `seuil daily`, so that the case opens the day it happens;
- `add_step`, `close_case`: the tenancy officer's writes (audited);
- `cases_from_evictions(stays)`: the eviction procedures of those stays (`housing`,
  imported by `seuil import`) as cases, idempotent (run by housing's `on_evictions_written`
  hook after every write of procedures, and when a sub-lease is established).

An eviction procedure knows only when it started and ended. It becomes a case of the stay's
sub-lease (a stay without a sub-lease has no case: the procedure stays on the household's
file and in the report), opened on `started_on` with the stage « assignation » that day
(the procedure is before the court), closed on `ended_on` with the outcome « procédure
close (issue non précisée) » — the tenancy officer may note more stages while it is open.
The case follows its procedure: a later import that ends it closes the case (unless an
outcome was chosen by hand), one that drops it deletes the case.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from seuil.core.audit import audited_save
from seuil.core.history import snapshot

from . import ledger, services
from .enums import PreventionOutcome, PreventionStage
from .models import EvictionProcedure, PreventionCase, PreventionStep, SubLease


def in_winter_truce(day):
    """From 1 November to 31 March, both included."""
    return day.month >= 11 or day.month <= 3


def earliest_eviction(day):
    """The first day from `day` on which an eviction may be carried out."""
    if not in_winter_truce(day):
        return day
    year = day.year + 1 if day.month >= 11 else day.year
    return datetime.date(year, 4, 1)


def truce_note(day):
    """A French line about the winter truce at `day`."""
    if in_winter_truce(day):
        end = earliest_eviction(day)
        return (
            f"Trêve hivernale en cours : aucune expulsion ne peut avoir lieu avant le "
            f"{end:%d/%m/%Y}."
        )
    year = day.year
    return f"Prochaine trêve hivernale : du 01/11/{year} au 31/03/{year + 1}."


def _household(case):
    return case.sub_lease.stay.household


@transaction.atomic
def open_cases(organisation, day, *, by=None, dry_run=False):
    """Open a case for each sub-lease of `organisation` with a rent late at `day` and no
    case open then, unless its last case closed after that rent became late. Returns how
    many were opened (or would be)."""
    sub_leases = SubLease.objects.filter(organisation=organisation)
    found = services.standings(sub_leases, day)
    late = {pk: s.late(day)[0] for pk, s in found.items() if s.has_late_calls}
    if not late:
        return 0
    open_now = set(
        PreventionCase.objects.open_on(day)
        .filter(sub_lease__in=list(late))
        .values_list("sub_lease_id", flat=True)
    )
    last_closed = dict(
        PreventionCase.objects.filter(sub_lease__in=list(late), closed_on__isnull=False)
        .values("sub_lease")
        .annotate(last=Max("closed_on"))
        .values_list("sub_lease", "last")
    )
    to_open = []
    for pk, first in late.items():
        since = ledger.became_late_on(first.call)
        if pk in open_now or (pk in last_closed and last_closed[pk] >= since):
            continue
        to_open.append((pk, since))
    if dry_run:
        return len(to_open)
    objects = SubLease.objects.select_related("stay__household").in_bulk([pk for pk, _ in to_open])
    for pk, since in to_open:
        case = PreventionCase(
            organisation_id=organisation.pk, sub_lease=objects[pk], opened_on=since
        )
        audited_save(case, None, by=by, household=_household(case))
        step = PreventionStep(case=case, stage=PreventionStage.FIRST_UNPAID, on=since)
        audited_save(step, None, by=by, household=_household(case), access=False)
    return len(to_open)


def prevention_task(now, *, dry_run=False):
    """Every day: a prevention case for each household whose first rent became late."""
    from django.utils import timezone

    from seuil.core.models import Organisation

    today = timezone.localdate(now)
    organisations = Organisation.objects.filter(pk__in=SubLease.objects.values("organisation_id"))
    opened = sum(open_cases(o, today, dry_run=dry_run) for o in organisations)
    noun = (
        "dossier de prévention des expulsions ouvert"
        if opened <= 1
        else ("dossiers de prévention des expulsions ouverts")
    )
    line = f"{opened} {noun} (premier loyer en retard)"
    return f"{line} (simulation)." if dry_run else f"{line}."


@transaction.atomic
def open_case(sub_lease, on, *, by):
    """Open a case by hand (the tenancy officer sees a risk before the first late rent)."""
    if PreventionCase.objects.open_on(on).filter(sub_lease=sub_lease).exists():
        raise ValidationError("Un dossier de prévention est déjà ouvert pour ce ménage.")
    case = PreventionCase(
        organisation_id=sub_lease.organisation_id, sub_lease=sub_lease, opened_on=on
    )
    return audited_save(case, None, by=by, household=sub_lease.stay.household)


@transaction.atomic
def add_step(case, stage, on, *, by):
    """Note a stage of the case on its day."""
    if case.closed_on is not None:
        raise ValidationError("Ce dossier est clos.")
    if on < case.opened_on:
        raise ValidationError("Une étape ne précède pas l'ouverture du dossier.")
    step = PreventionStep(case=case, stage=stage, on=on)
    return audited_save(step, None, by=by, household=_household(case))


@transaction.atomic
def close_case(case, outcome, on, *, by):
    """Close the case with its outcome (dette soldée, échéancier tenu, relogé, expulsé)."""
    if case.closed_on is not None:
        raise ValidationError("Ce dossier est déjà clos.")
    before = snapshot(case)
    case.closed_on = on
    case.outcome = outcome
    return audited_save(case, before, by=by, household=_household(case))


EVICTION_STAGE = PreventionStage.SUMMONS


@transaction.atomic
def cases_from_evictions(stays, *, by=None):
    """Make or update the case of each eviction procedure of `stays` (stay pks or a
    queryset of them) whose stay has a sub-lease. Returns (created, updated)."""
    procedures = (
        EvictionProcedure.objects.filter(stay__in=stays, stay__sub_lease__isnull=False)
        .select_related("stay__sub_lease", "stay__household", "prevention_case")
        .order_by("pk")
    )
    created = updated = 0
    for procedure in procedures:
        sub_lease = procedure.stay.sub_lease
        household = procedure.stay.household
        try:
            case = procedure.prevention_case
        except PreventionCase.DoesNotExist:
            case = None
        closed_on = procedure.ended_on
        outcome = PreventionOutcome.PROCEDURE_ENDED if closed_on else ""
        if case is None:
            case = PreventionCase(
                organisation_id=sub_lease.organisation_id,
                sub_lease=sub_lease,
                opened_on=procedure.started_on,
                closed_on=closed_on,
                outcome=outcome,
                eviction_procedure=procedure,
            )
            audited_save(case, None, by=by, household=household, access=False)
            step = PreventionStep(case=case, stage=EVICTION_STAGE, on=procedure.started_on)
            audited_save(step, None, by=by, household=household, access=False)
            created += 1
            continue
        # An outcome chosen by hand stays; the procedure's dates otherwise rule.
        if case.outcome not in ("", PreventionOutcome.PROCEDURE_ENDED):
            continue
        if (case.opened_on, case.closed_on, case.outcome) == (
            procedure.started_on,
            closed_on,
            outcome,
        ):
            continue
        before = snapshot(case)
        case.opened_on, case.closed_on, case.outcome = procedure.started_on, closed_on, outcome
        audited_save(case, before, by=by, household=household, access=False)
        updated += 1
    return created, updated


def after_evictions_written(stays):
    """housing's `on_evictions_written` hook."""
    cases_from_evictions(stays)
