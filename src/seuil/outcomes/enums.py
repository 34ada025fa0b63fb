"""Coded fields of the follow-up after exit and of the exit checklist (French labels)."""

from django.db import models


class LeavingReason(models.TextChoices):
    """Why a household left the home it moved into (the national mobility survey's
    answers, grouped)."""

    TOO_EXPENSIVE = "too_expensive", "Logement trop cher, dettes"
    TOO_SMALL = "too_small", "Logement trop petit ou inadapté"
    EMPLOYMENT = "employment", "Emploi ou formation ailleurs"
    FAMILY = "family", "Raisons familiales (regroupement, séparation…)"
    ISOLATION = "isolation", "Isolement, manque de services ou de transports"
    NEIGHBOURHOOD = "neighbourhood", "Voisinage, insécurité"
    EVICTION = "eviction", "Expulsion"
    BETTER_HOME = "better_home", "Autre logement trouvé"
    OTHER = "other", "Autre raison"


class AnsweredBy(models.TextChoices):
    WORKER = "worker", "Saisi par un professionnel"
    HOUSEHOLD = "household", "Répondu par le ménage (lien personnel)"
    IMPORT = "import", "Importé"


class DebtStatus(models.TextChoices):
    NONE = "none", "Aucune dette"
    SETTLED = "settled", "Dettes soldées"
    PLAN = "plan", "Plan d'apurement en cours"


class HandoverPartner(models.TextChoices):
    DEPARTMENT = "department", "Assistant(e) social(e) du département"
    CCAS = "ccas", "CCAS"
    OTHER = "other", "Autre service"
