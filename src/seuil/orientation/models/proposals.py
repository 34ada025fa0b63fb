"""Proposals: a vacancy's unit offered to a household of the waiting list, and to the
unit's landlord (a state machine, with each party's answer)."""

import uuid

from django.db import models
from django.db.models import Q

from seuil.core.policy import Action, Scope
from seuil.core.transitions import StateMachine
from seuil.housing.models import Stay

from ..enums import (
    OPEN_PROPOSAL_STATUSES,
    PROPOSAL_TRANSITIONS,
    Answer,
    Party,
    ProposalRefusalReason,
    ProposalStatus,
)
from .common import OrientationQuerySet, Transition, user_field, version_field
from .vacancies import Vacancy
from .waiting_lists import Referral


class ProposalQuerySet(OrientationQuerySet):
    """Proposals: seen by the SIAO that referred the household, the operator of the unit,
    the organisations linked to the household, and (scope ``referred``) the landlord of the
    unit, who never gets the household's file through it."""

    organisation_path = "vacancy__unit__organisation"
    organisation_paths = ("referral__siao",)
    household_path = "referral__household"
    view_action = Action.VIEW_PROPOSALS

    def shared_with(self, user, scope, action):
        if scope == Scope.REFERRED:
            return self.filter(vacancy__unit__landlord__account_id=user.organisation_id)
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_PROPOSAL_STATUSES)


class Proposal(models.Model):
    """A unit (its vacancy) offered to a household admitted to a programme, and to the
    unit's landlord: proposed → accepted / refused / expired / withdrawn."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    REF_PREFIX = "PR"  # core.refs
    ref = models.CharField("référence", max_length=20, unique=True)
    vacancy = models.ForeignKey(
        Vacancy, verbose_name="vacance", on_delete=models.PROTECT, related_name="proposals"
    )
    referral = models.ForeignKey(
        Referral, verbose_name="orientation", on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_on = models.DateField("proposée le")
    proposed_by = user_field("proposée par")
    expires_on = models.DateField(
        "réponse attendue au plus tard le",
        help_text="Sans réponse ce jour-là, la proposition expire le lendemain.",
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    closed_on = models.DateField("réponse ou clôture le", null=True, blank=True)
    household_answer = models.CharField(
        "réponse du ménage", max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    household_answered_on = models.DateField("réponse du ménage le", null=True, blank=True)
    landlord_answer = models.CharField(
        "réponse du bailleur", max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    landlord_answered_on = models.DateField("réponse du bailleur le", null=True, blank=True)
    refused_by = models.CharField("refusée par", max_length=20, choices=Party.choices, blank=True)
    refusal_reason = models.CharField(
        "motif du refus", max_length=30, choices=ProposalRefusalReason.choices, blank=True
    )
    stay = models.OneToOneField(
        Stay,
        verbose_name="séjour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    waiting_position = models.PositiveIntegerField(
        "position sur la liste d'attente le jour de la proposition", null=True, blank=True
    )
    skip_reason = models.TextField(
        "motif de l'ordre de la liste non suivi",
        blank=True,
        help_text="Pourquoi le logement n'est pas proposé aux ménages placés avant sur la liste.",
    )
    matching_run = models.ForeignKey(
        "matching.MatchingRun",
        verbose_name="issue de l'appariement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = ProposalQuerySet.as_manager()
    # A command or a task (expiry, the daily check of vacancies) writes no access-log row.
    state_machine = StateMachine(
        PROPOSAL_TRANSITIONS,
        noun="Une proposition",
        household="referral.household",
        access_without_person=False,
    )

    class Meta:
        verbose_name = "proposition de logement"
        verbose_name_plural = "propositions de logement"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=OPEN_PROPOSAL_STATUSES),
                name="proposal_one_open_per_vacancy",
                violation_error_message="Ce logement est déjà réservé par une proposition en "
                "cours.",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status__in=OPEN_PROPOSAL_STATUSES),
                name="proposal_one_open_per_referral",
                violation_error_message="Ce ménage a déjà une proposition en cours.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("proposed_on")),
                name="proposal_expires_not_before_proposed",
                violation_error_message="Le délai de réponse ne peut finir avant la proposition.",
            ),
            models.CheckConstraint(
                condition=(Q(status=ProposalStatus.PROPOSED) & Q(closed_on__isnull=True))
                | (~Q(status=ProposalStatus.PROPOSED) & Q(closed_on__gte=models.F("proposed_on"))),
                name="proposal_closed_iff_answered",
                violation_error_message="Une proposition reçoit sa réponse (ou est close) à une "
                "date, qui ne précède pas la proposition.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.EXPIRED)
                | Q(closed_on__gt=models.F("expires_on")),
                name="proposal_expired_only_after_delay",
                violation_error_message="Une proposition n'expire qu'une fois son délai de "
                "réponse passé.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ProposalStatus.REFUSED) & ~Q(refused_by="") & ~Q(refusal_reason="")
                )
                | (~Q(status=ProposalStatus.REFUSED) & Q(refused_by="") & Q(refusal_reason="")),
                name="proposal_refusal_has_party_and_reason",
                violation_error_message="Un refus dit qui refuse (le ménage ou le bailleur) "
                "et pourquoi.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.ACCEPTED)
                | (
                    Q(household_answer=Answer.ACCEPTED)
                    & Q(landlord_answer__in=[Answer.ACCEPTED, Answer.NOT_REQUIRED])
                ),
                name="proposal_accepted_by_both",
                violation_error_message="Une proposition n'est acceptée qu'avec l'accord du "
                "ménage et, s'il est demandé, celui du bailleur.",
            ),
            models.CheckConstraint(
                condition=Q(stay__isnull=True) | Q(status=ProposalStatus.ACCEPTED),
                name="proposal_entry_only_when_accepted",
                violation_error_message="Seule une proposition acceptée mène à une entrée.",
            ),
        ]

    def __str__(self):
        return f"Proposition {self.ref}"

    @property
    def is_open(self):
        return self.status in OPEN_PROPOSAL_STATUSES and self.stay_id is None


class ProposalTransition(Transition):
    """A change of a proposal's status, or one party's answer (`party`, `answer`)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    party = models.CharField("qui répond", max_length=20, choices=Party.choices, blank=True)
    answer = models.CharField("réponse", max_length=20, choices=Answer.choices, blank=True)

    class Meta(Transition.Meta):
        verbose_name = "changement de statut d'une proposition"

    def __str__(self):
        return super().__str__()
