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
