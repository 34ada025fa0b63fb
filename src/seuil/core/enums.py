"""Choices of the core app, with French labels."""

from django.db import models


class OrganisationKind(models.TextChoices):
    SIAO = "siao", "SIAO"
    OPERATOR = "operator", "Opérateur (association)"
    LANDLORD = "landlord", "Bailleur"
    STATE = "state", "Services de l'État"
    NATIONAL_PLATFORM = "national_platform", "Plateforme nationale"


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Travailleur·euse social·e"
    TENANCY_OFFICER = "tenancy_officer", "Régisseur·euse social·e"
    SERVICE_MANAGER = "service_manager", "Responsable de service"
    PSYCHOLOGIST = "psychologist", "Psychologue"
    SIAO_EVALUATOR = "siao_evaluator", "Évaluateur·rice SIAO"
    SIAO_COORDINATOR = "siao_coordinator", "Coordinateur·rice SIAO"
    LANDLORD = "landlord", "Bailleur"
    STATE = "state", "Services de l'État"
    NATIONAL_PLATFORM = "national_platform", "Plateforme nationale"
    ADMINISTRATOR = "administrator", "Administrateur·rice"


class PartnerKind(models.TextChoices):
    """The kinds of partner organisations an organisation works with (`Partner`)."""

    CAF = "caf", "CAF (caisse d'allocations familiales)"
    CPAM = "cpam", "CPAM (assurance maladie)"
    PMI = "pmi", "PMI (protection maternelle et infantile)"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    CCAS = "ccas", "CCAS (centre communal d'action sociale)"
    DEPARTMENT = "department", "Conseil départemental (service social)"
    MDPH = "mdph", "MDPH"
    SCHOOL = "school", "École, collège ou lycée"
    TRAINING = "training", "Organisme de formation (langue, métier)"
    HEALTH = "health", "Santé (hôpital, centre médico-psychologique, médecin)"
    LEGAL = "legal", "Accès au droit (avocat, association juridique)"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre"


class DownloadStatus(models.TextChoices):
    """Where a file prepared in the background stands (`core.downloads`)."""

    QUEUED = "queued", "En attente"
    RUNNING = "running", "En préparation"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec de la préparation"


PENDING_DOWNLOADS = (DownloadStatus.QUEUED, DownloadStatus.RUNNING)
