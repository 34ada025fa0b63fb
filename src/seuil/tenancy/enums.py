"""Coded fields of the tenancy (French labels); the codes are those of EXCHANGE.md §1.1."""

from django.db import models


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Espèces (au guichet)"
    CHEQUE = "cheque", "Chèque"
    TRANSFER = "transfer", "Virement"
    DIRECT_DEBIT = "direct_debit", "Prélèvement"
    CARD = "card", "Carte bancaire"
    FSL = "fsl", "Fonds de solidarité pour le logement (FSL)"
    OTHER = "other", "Autre"


class InspectionKind(models.TextChoices):
    ENTRY = "entry", "État des lieux d'entrée"
    PRE_EXIT = "pre_exit", "Pré-état des lieux de sortie"
    EXIT = "exit", "État des lieux de sortie"


class InstalmentState(models.TextChoices):
    """Where an instalment of a repayment plan stands at a date (computed, never stored)."""

    KEPT = "kept", "Tenue"
    BROKEN = "broken", "Non tenue"
    UPCOMING = "upcoming", "À venir"


class PreventionStage(models.TextChoices):
    """The dated stages of an eviction prevention case, in their usual order."""

    FIRST_UNPAID = "first_unpaid", "Premier loyer impayé"
    REMINDER = "reminder", "Relance du ménage"
    REPAYMENT_PLAN = "repayment_plan", "Échéancier convenu"
    FSL_REQUEST = "fsl_request", "Demande au FSL"
    ORDER_TO_PAY = "order_to_pay", "Commandement de payer"
    CCAPEX_REFERRAL = "ccapex_referral", "Saisine de la CCAPEX"
    SUMMONS = "summons", "Assignation au tribunal"
    JUDGMENT = "judgment", "Jugement"
    ORDER_TO_LEAVE = "order_to_leave", "Commandement de quitter les lieux"
    POLICE_ASSISTANCE = "police_assistance", "Concours de la force publique"


class PreventionOutcome(models.TextChoices):
    DEBT_CLEARED = "debt_cleared", "Dette soldée"
    PLAN_KEPT = "plan_kept", "Échéancier tenu"
    REHOUSED = "rehoused", "Ménage relogé"
    EVICTED = "evicted", "Ménage expulsé"
    # A case made from an imported eviction procedure that ended (the file says when, not
    # how): the tenancy officer may still note what happened.
    PROCEDURE_ENDED = "procedure_ended", "Procédure close (issue non précisée)"


class RentDocumentKind(models.TextChoices):
    """The documents of a month of rent whose delivery is noted."""

    NOTICE = "notice", "Avis d'échéance"
    RECEIPT = "receipt", "Quittance ou reçu"


class Delivery(models.TextChoices):
    SENT = "sent", "Envoyé"
    PRINTED = "printed", "Imprimé (remis en main propre)"


class RoomState(models.TextChoices):
    """The state of a room at an inspection, best first (the order compares two states)."""

    NEW = "new", "Neuf"
    GOOD = "good", "Bon état"
    FAIR = "fair", "État d'usage"
    POOR = "poor", "Mauvais état"


# The rank of each state: a room whose rank grows between entry and exit was degraded.
ROOM_STATE_RANK = {state: rank for rank, state in enumerate(RoomState.values)}


class Meter(models.TextChoices):
    ELECTRICITY = "electricity", "Électricité"
    GAS = "gas", "Gaz"
    WATER = "water", "Eau"


class Party(models.TextChoices):
    """Who reports a repair, who pays it."""

    HOUSEHOLD = "household", "Le ménage"
    OPERATOR = "operator", "L'association (opérateur)"
    LANDLORD = "landlord", "Le bailleur"


class RepairStatus(models.TextChoices):
    REPORTED = "reported", "Signalée"
    SCHEDULED = "scheduled", "Programmée"
    DONE = "done", "Faite"
    CANCELLED = "cancelled", "Annulée"


REPAIR_TRANSITIONS = {
    RepairStatus.REPORTED: {RepairStatus.SCHEDULED, RepairStatus.DONE, RepairStatus.CANCELLED},
    RepairStatus.SCHEDULED: {RepairStatus.SCHEDULED, RepairStatus.DONE, RepairStatus.CANCELLED},
    RepairStatus.DONE: set(),
    RepairStatus.CANCELLED: set(),
}
