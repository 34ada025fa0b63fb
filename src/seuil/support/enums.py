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


# ---- partners and the path of each adult -----------------------------------------------------


class ReferralPurpose(models.TextChoices):
    """Why a household is referred to a partner."""

    RIGHTS = "rights", "Ouverture ou mise à jour de droits"
    HEALTH = "health", "Accès aux soins"
    EMPLOYMENT = "employment", "Emploi"
    TRAINING = "training", "Formation"
    FRENCH = "french", "Cours de français"
    SCHOOLING = "schooling", "Scolarité, petite enfance"
    PARENTING = "parenting", "Soutien à la parentalité"
    BUDGET = "budget", "Budget, surendettement"
    LEGAL = "legal", "Accès au droit"
    MOBILITY = "mobility", "Mobilité"
    OTHER = "other", "Autre"


class ReferralResult(models.TextChoices):
    PENDING = "pending", "En attente"
    DONE = "done", "Réalisée"
    NO_FOLLOW_UP = "no_follow_up", "Sans suite"
    REFUSED = "refused", "Refusée"


class EmploymentSituation(models.TextChoices):
    """An adult's situation towards employment, from a date."""

    UNKNOWN = "unknown", "Non renseigné"
    PERMANENT = "permanent", "En emploi, CDI"
    FIXED_TERM = "fixed_term", "En emploi, CDD"
    TEMPORARY = "temporary", "Intérim"
    INTEGRATION = "integration", "Contrat d'insertion ou contrat aidé"
    SELF_EMPLOYED = "self_employed", "Indépendant·e, auto-entrepreneur·e"
    TRAINING = "training", "En formation"
    JOB_SEEKER = "job_seeker", "En recherche d'emploi"
    NOT_AVAILABLE = "not_available", "Pas disponible pour un emploi (santé, enfants…)"
    RETIRED = "retired", "Retraité·e"


class FrenchLevel(models.TextChoices):
    """A level of French on the Common European Framework (CECRL), or not assessed."""

    NOT_ASSESSED = "not_assessed", "Non évalué"
    A1 = "A1", "A1 (introductif)"
    A2 = "A2", "A2 (intermédiaire)"
    B1 = "B1", "B1 (seuil)"
    B2 = "B2", "B2 (avancé)"
    C1 = "C1", "C1 (autonome)"
    C2 = "C2", "C2 (maîtrise)"
