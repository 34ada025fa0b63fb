"""Coded fields of programmes, housing units and stays (French labels)."""

from django.db import models


class ProgrammeKind(models.TextChoices):
    IML = "iml", "Intermédiation locative"
    MOBILITY = "mobility", "Mobilité nationale"
    ASG = "asg", "Accompagnement social global"
    BOARDING_HOUSE = "boarding_house", "Pension de famille"
    OTHER = "other", "Autre"


class LandlordKind(models.TextChoices):
    SOCIAL = "social", "Bailleur social"
    PRIVATE = "private", "Bailleur privé"


class Typology(models.TextChoices):
    ROOM = "room", "Chambre"
    T1 = "T1", "T1"
    T2 = "T2", "T2"
    T3 = "T3", "T3"
    T4 = "T4", "T4"
    T5 = "T5", "T5"
    T6 = "T6", "T6 et plus"


class ManagementMode(models.TextChoices):
    SUBLEASE = "sublease", "Sous-location"
    MANDATE = "mandate", "Mandat de gestion"


class ExitDestination(models.TextChoices):
    SOCIAL_LANDLORD = "social_landlord", "Logement social (bail propre)"
    PRIVATE_LANDLORD = "private_landlord", "Logement privé (bail propre)"
    OUTSIDE_DEPARTMENT = "outside_department", "Hors département"
    OTHER_PROGRAMME = "other_programme", "Autre dispositif"
    SHELTER = "shelter", "Hébergement"
    END_OF_SUPPORT = "end_of_support", "Fin de prise en charge"
    OTHER = "other", "Autre"
    UNKNOWN = "unknown", "Inconnue"


class SupportIntensity(models.TextChoices):
    STANDARD = "standard", "Accompagnement standard"
    REINFORCED = "reinforced", "Accompagnement renforcé"
