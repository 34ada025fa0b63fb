"""Support's part of the anonymisation of households (`privacy/anonymisation.py`).

Once a household is anonymised, the free text support holds about it goes: its objectives'
actions and the household's own words, its contacts' notes, the reasons of its contract
amendments, the comments of its contacts' status changes, the texts of its monthly
reviews, the details of its referrals to partners, its adults' employers, trainings' names
and who assessed their French (the access-log rows of those records go with the file's,
`households.traceability.traced_uuids`). The meetings it was discussed at stay (they
belong to the organisation, and name it by its reference only): it leaves their agenda.
Dates, kinds, domains, partners, situations, levels and outcomes stay: the support figures
of past periods are counted from them.
"""

from seuil.support.models import (
    AgendaItem,
    Amendment,
    Contact,
    ContactTransition,
    EmploymentRecord,
    FrenchLevelRecord,
    Objective,
    PartnerReferral,
    Review,
    TrainingRecord,
)


def clear_support_free_text(households, *, dry_run=False):
    """Blank the free text of support about `households`; return the number of rows."""
    # Encrypted fields cannot be filtered on: every row of the households is blanked.
    updates = [
        (Objective.objects.filter(household__in=households), {"actions": "", "own_words": ""}),
        (Contact.objects.filter(household__in=households), {"notes": ""}),
        (
            Review.objects.filter(household__in=households),
            {
                "others": "",
                "housing": "",
                "budget": "",
                "objectives": "",
                "risks": "",
                "next_steps": "",
            },
        ),
        (
            Amendment.objects.filter(contract__stay__household__in=households).exclude(reason=""),
            {"reason": ""},
        ),
        (
            ContactTransition.objects.filter(contact__household__in=households).exclude(comment=""),
            {"comment": ""},
        ),
        (PartnerReferral.objects.filter(household__in=households), {"details": ""}),
        (EmploymentRecord.objects.filter(household__in=households), {"employer": ""}),
        (TrainingRecord.objects.filter(household__in=households), {"name": ""}),
        (FrenchLevelRecord.objects.filter(household__in=households), {"assessed_by": ""}),
    ]
    count = 0
    for rows, blank in updates:
        count += rows.count() if dry_run else rows.update(**blank)
    agenda = AgendaItem.objects.filter(household__in=households)
    count += agenda.count() if dry_run else agenda.delete()[0]
    return count
