"""Orientation's part of the anonymisation of households (`privacy/anonymisation.py`).

A household still followed by orientation (a request in progress, a place on a waiting
list, an open proposal) is never anonymised. Once it is, the free text orientation holds
about it goes: the prescriber, the languages of its assessments,
the commission's comments and every status change's comment. Dates, statuses and reasons
from the lists stay: the orientation figures of past periods are counted from them.
"""

from django.db.models import Q

from seuil.orientation.enums import OPEN_PROPOSAL_STATUSES, ReferralStatus
from seuil.orientation.models import (
    IN_PROGRESS,
    Assessment,
    Proposal,
    ProposalTransition,
    Referral,
    ReferralDecision,
    ReferralTransition,
    Request,
    RequestTransition,
)


def followed(household_ids):
    """The ids, among `household_ids`, of the households orientation still follows."""
    return (
        set(
            Request.objects.filter(household__in=household_ids, status__in=IN_PROGRESS).values_list(
                "household_id", flat=True
            )
        )
        | set(
            Referral.objects.filter(
                household__in=household_ids, status=ReferralStatus.WAITING
            ).values_list("household_id", flat=True)
        )
        | set(
            Proposal.objects.filter(
                referral__household__in=household_ids, status__in=OPEN_PROPOSAL_STATUSES
            ).values_list("referral__household_id", flat=True)
        )
    )


def clear_free_text(households, *, dry_run=False):
    """Blank the free text about `households`; return the number of rows concerned."""
    updates = [
        (Request.objects.filter(household__in=households), {"prescriber": ""}),
        (
            Assessment.objects.filter(request__household__in=households),
            {"languages": ""},
        ),
        (ReferralDecision.objects.filter(request__household__in=households), {"comment": ""}),
        (RequestTransition.objects.filter(request__household__in=households), {"comment": ""}),
        (ReferralTransition.objects.filter(referral__household__in=households), {"comment": ""}),
        (
            ProposalTransition.objects.filter(proposal__referral__household__in=households),
            {"comment": ""},
        ),
    ]
    count = 0
    for rows, blank in updates:
        filled = rows.filter(~Q(**blank))
        count += filled.count() if dry_run else filled.update(**blank)
    return count
