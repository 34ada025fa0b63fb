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
