"""Coded fields of support: contacts, objectives (the codes of the exchange file, French
labels)."""

from django.db import models


class ContactKind(models.TextChoices):
    OFFICE_APPOINTMENT = "office_appointment", "Rendez-vous au bureau"
    HOME_VISIT = "home_visit", "Visite à domicile"
    JOINT_HOME_VISIT = "joint_home_visit", "Visite à domicile conjointe (avec le régisseur)"
    PHONE = "phone", "Entretien téléphonique"
    PARTNER_MEETING = "partner_meeting", "Rencontre avec un partenaire"
    OTHER = "other", "Autre"


HOME_VISITS = (ContactKind.HOME_VISIT, ContactKind.JOINT_HOME_VISIT)


class ContactStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    DONE = "done", "Réalisé"
    MISSED = "missed", "Manqué"


CONTACT_TRANSITIONS = {
    ContactStatus.PLANNED: {ContactStatus.DONE, ContactStatus.MISSED},
    ContactStatus.DONE: set(),
    ContactStatus.MISSED: set(),
}


class MissedReason(models.TextChoices):
    HOUSEHOLD_ABSENT = "household_absent", "Ménage absent, sans prévenir"
    CANCELLED_BY_HOUSEHOLD = "cancelled_by_household", "Annulé par le ménage"
    CANCELLED_BY_SERVICE = "cancelled_by_service", "Annulé par le service"
    OTHER = "other", "Autre motif"


class ObjectiveDomain(models.TextChoices):
    HOUSING = "housing", "Logement"
    BUDGET = "budget", "Budget"
    EMPLOYMENT = "employment", "Emploi"
    TRAINING = "training", "Formation"
    FRENCH = "french", "Apprentissage du français"
    HEALTH = "health", "Santé"
    PARENTING = "parenting", "Parentalité"
    FAMILY_REUNIFICATION = "family_reunification", "Réunification familiale"
    ADMINISTRATIVE = "administrative", "Démarches administratives"
    MOBILITY = "mobility", "Mobilité"
    OTHER = "other", "Autre"


class ObjectiveOutcome(models.TextChoices):
    ACHIEVED = "achieved", "Atteint"
    PARTLY_ACHIEVED = "partly_achieved", "Partiellement atteint"
    NOT_ACHIEVED = "not_achieved", "Non atteint"
    ABANDONED = "abandoned", "Abandonné"
