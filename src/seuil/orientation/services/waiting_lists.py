"""Waiting lists: a household leaves a programme's list (housed or withdrawn), the SIAO
sets the priority weights of its lists, and reading a list writes to the access log."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import record_reads
from seuil.core.enums import OrganisationKind
from seuil.core.transitions import check_transition, transition

from ..enums import ReferralStatus
from ..models import PriorityWeights
from .common import today


def close_referral(referral, target, *, on, acting_user, reason="", stay=None):
    """The household leaves the waiting list on `on`: housed (in `stay`) or withdrawn (for
    `reason`)."""
    check_transition(referral, target)
    if on < referral.admitted_on:
        raise ValidationError(
            f"Le ménage n'est sur la liste d'attente que depuis le {referral.admitted_on:%d/%m/%Y}."
        )
    transition(
        referral,
        target,
        on=on,
        by=acting_user,
        reason=reason,
        changes={
            "closed_on": on,
            "withdrawal_reason": reason if target == ReferralStatus.WITHDRAWN else "",
            "stay": stay,
        },
    )


@transaction.atomic
def set_priority_weights(
    siao, *, points_per_month, max_waiting_points, criterion_points, acting_user
):
    """Fixer la pondération de la priorité des listes d'attente du SIAO, à partir
    d'aujourd'hui (les listes des jours passés gardent la pondération d'alors)."""
    if siao.kind != OrganisationKind.SIAO:
        raise ValidationError("Seul un SIAO fixe la pondération de ses listes d'attente.")
    weights, _ = PriorityWeights.objects.update_or_create(
        siao=siao,
        effective_from=today(),
        defaults={
            "points_per_month": points_per_month,
            "max_waiting_points": max_waiting_points,
            "criterion_points": {str(k): int(v) for k, v in criterion_points.items()},
            "set_by": acting_user,
        },
    )
    return weights


def read_waiting_lists(lists, *, acting_user):
    """Showing waiting lists (`waiting.waiting_lists`) reads each listed household's
    referral."""
    record_reads(
        acting_user, [entry.referral for waiting_list in lists for entry in waiting_list.entries]
    )
