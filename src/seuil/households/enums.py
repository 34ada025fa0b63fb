"""Coded fields of households and persons (codes of DOMAIN.md §4, French labels)."""

from django.db import models


class MemberRole(models.TextChoices):
    HEAD = "head", "Personne de référence"
    PARTNER = "partner", "Conjoint·e"
    CHILD = "child", "Enfant"
    OTHER = "other", "Autre"


class Sex(models.TextChoices):
    F = "F", "Femme"
    M = "M", "Homme"
    X = "X", "Autre / non précisé"


class JoinedReason(models.TextChoices):
    BIRTH = "birth", "Naissance"
    FAMILY_REUNIFICATION = "family_reunification", "Réunification familiale"
    OTHER = "other", "Autre"


class LegalStatus(models.TextChoices):
    REFUGEE = "refugee", "Réfugié·e"
    SUBSIDIARY_PROTECTION = "subsidiary_protection", "Protection subsidiaire"
    STATELESS = "stateless", "Apatride"
    REGULARISED = "regularised", "Autre titre de séjour"
    ASYLUM_SEEKER = "asylum_seeker", "Demandeur·se d'asile"
    FRENCH_OR_EU = "french_or_eu", "Français·e ou UE"
    OTHER = "other", "Autre"
    UNKNOWN = "unknown", "Inconnu"


class ResourceType(models.TextChoices):
    SALARY = "salary", "Salaire"
    RSA = "rsa", "RSA"
    ACTIVITY_BONUS = "activity_bonus", "Prime d'activité"
    FAMILY_BENEFITS = "family_benefits", "Prestations familiales"
    AAH = "aah", "AAH"
    AEEH = "aeeh", "AEEH"
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", "Allocation chômage (ARE)"
    TRAINING_PAY = "training_pay", "Rémunération de formation"
    ASYLUM_ALLOWANCE = "asylum_allowance", "Allocation pour demandeur d'asile (ADA)"
    PENSION = "pension", "Pension / retraite"
    NONE = "none", "Aucune ressource"
    OTHER = "other", "Autre"


class PriorSituation(models.TextChoices):
    SPECIALISED_SHELTER = "specialised_shelter", "Hébergement spécialisé (CADA, HUDA, CAO, CPH…)"
    GENERAL_SHELTER = "general_shelter", "Hébergement généraliste (CHRS, urgence…)"
    ADAPTED_HOUSING = "adapted_housing", "Logement adapté (résidence sociale, FJT…)"
    OWN_HOUSING = "own_housing", "Logement personnel"
    STREET_OR_115 = "street_or_115", "Rue ou 115"
    HOSTED_BY_THIRD_PARTY = "hosted_by_third_party", "Hébergé·e par un tiers"
    OTHER = "other", "Autre"
    UNKNOWN = "unknown", "Inconnue"


class ConsentScope(models.TextChoices):
    """What a household consents to share (RGPD, CASF L.345-2-10)."""

    SOCIAL_NOTE = "social_note", "Transmission de la note sociale"
    MOBILITY_FILE = "mobility_file", "Dossier de mobilité nationale"
