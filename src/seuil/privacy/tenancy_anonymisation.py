"""Tenancy's part of the anonymisation of households (`privacy/anonymisation.py`).

What the tenancy holds in free text about a household goes: the reason part of its deposit
was kept, the remarks of the inspections of its stays (general and room by room), the
description of the repairs of its stays and the comments of their status changes; the
credit lines of the bank statements booked to its sub-leases lose the payer's name, the
label and the bank's reference (they name the household); its home insurance certificates
are deleted (no figure counts them). The access-log rows of its tenancy records go with the
file's (`households.traceability.traced_uuids`).

Amounts, dates, kinds, states, rooms' names and meter readings stay: the tenancy figures of
past periods (called, collected, arrears by age, plans, inspections by kind) are counted
from them. A bank line keeps its fingerprint (a digest), so that a statement imported again
still books nothing twice.
"""

from seuil.tenancy.models import (
    BankLine,
    Inspection,
    InspectionRoom,
    Insurance,
    Repair,
    RepairTransition,
    SubLease,
)

# A repair's description is required: it keeps this, the unit keeps the dated repair.
REPAIR_DESCRIPTION = "Réparation (description effacée à l'anonymisation du ménage)"


def clear_tenancy_free_text(households, *, dry_run=False):
    """Blank the free text of the tenancy about `households` and delete their insurance
    certificates; return the number of rows concerned."""
    inspections = {"inspection__stay__household__in": households}
    updates = [
        (
            SubLease.objects.filter(stay__household__in=households).exclude(deposit_kept_reason=""),
            {"deposit_kept_reason": ""},
        ),
        (
            Inspection.objects.filter(stay__household__in=households).exclude(remarks=""),
            {"remarks": ""},
        ),
        (InspectionRoom.objects.filter(**inspections).exclude(remarks=""), {"remarks": ""}),
        (
            Repair.objects.filter(stay__household__in=households),
            {"description": REPAIR_DESCRIPTION},
        ),
        (
            RepairTransition.objects.filter(repair__stay__household__in=households).exclude(
                comment=""
            ),
            {"comment": ""},
        ),
        (
            BankLine.objects.filter(payment__sub_lease__stay__household__in=households),
            {"payer": "", "label": "", "reference": ""},
        ),
    ]
    count = 0
    for rows, blank in updates:
        count += rows.count() if dry_run else rows.update(**blank)
    insurances = Insurance.objects.filter(household__in=households)
    count += insurances.count() if dry_run else insurances.delete()[0]
    return count
