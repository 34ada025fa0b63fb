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


# ---------------------------------------------------------------- national mobility


class MobilityStatus(models.TextChoices):
    """The steps of a household's national mobility path, in order (DOMAIN.md §3 item 7)."""

    INFORMATION = "information", "Information sur les territoires"
    CHOICE = "choice", "Choix du territoire"
    MEETING = "meeting", "Rencontre à trois"
    PROPOSAL = "proposal", "Proposition de logement"
    ACCEPTANCE = "acceptance", "Acceptation"
    MOVE = "move", "Déménagement"
    ARRIVAL = "arrival", "Arrivée"
    SUPPORT = "support", "Accompagnement (12 mois)"
    HANDOVER = "handover", "Passage de relais"
    ABANDONED = "abandoned", "Parcours abandonné"


S = MobilityStatus
PATH = (
    S.INFORMATION,
    S.CHOICE,
    S.MEETING,
    S.PROPOSAL,
    S.ACCEPTANCE,
    S.MOVE,
    S.ARRIVAL,
    S.SUPPORT,
    S.HANDOVER,
)
# Before the move, the household may stop; a refused proposal sends it back to choosing;
# a second three-way meeting is a meeting again.
MOBILITY_TRANSITIONS = {
    S.INFORMATION: {S.CHOICE, S.ABANDONED},
    S.CHOICE: {S.MEETING, S.ABANDONED},
    S.MEETING: {S.MEETING, S.PROPOSAL, S.CHOICE, S.ABANDONED},
    S.PROPOSAL: {S.ACCEPTANCE, S.CHOICE, S.ABANDONED},
    S.ACCEPTANCE: {S.MOVE, S.ABANDONED},
    S.MOVE: {S.ARRIVAL},
    S.ARRIVAL: {S.SUPPORT},
    S.SUPPORT: {S.HANDOVER},
    S.HANDOVER: set(),
    S.ABANDONED: set(),
}


class MobilityParty(models.TextChoices):
    """Who does a step: the platform, the departure shelter or the arrival operator."""

    PLATFORM = "platform", "Plateforme nationale"
    DEPARTURE = "departure", "Structure de départ"
    ARRIVAL = "arrival", "Opérateur d'arrivée"


P = MobilityParty
STEP_PARTIES = {
    S.CHOICE: {P.PLATFORM},
    S.MEETING: {P.PLATFORM},
    S.PROPOSAL: {P.PLATFORM},
    S.ACCEPTANCE: {P.DEPARTURE, P.PLATFORM},
    S.MOVE: {P.DEPARTURE},
    S.ARRIVAL: {P.ARRIVAL},
    S.SUPPORT: {P.ARRIVAL},
    S.HANDOVER: {P.ARRIVAL},
    S.ABANDONED: {P.PLATFORM, P.DEPARTURE},
}
# The departure shelter follows the path until the move (DOMAIN.md §2, issue: roles).
DEPARTURE_SEES = (
    S.INFORMATION,
    S.CHOICE,
    S.MEETING,
    S.PROPOSAL,
    S.ACCEPTANCE,
    S.MOVE,
    S.ABANDONED,
)


class MeetingOutcome(models.TextChoices):
    GO_ON = "go_on", "Le ménage confirme son choix"
    RECONSIDER = "reconsider", "Le ménage veut revoir son choix"
    STOP = "stop", "Le ménage renonce"


class TransmittedPart(models.TextChoices):
    """What the handover file carries from the departure shelter to the arrival operator."""

    IDENTITY = "identity", "Identité et composition du ménage"
    LEGAL_STATUS = "legal_status", "Situation administrative"
    RESOURCES = "resources", "Ressources et droits ouverts"
    SOCIAL_NOTE = "social_note", "Évaluation sociale"
    HEALTH_FOLLOW_UP = "health_follow_up", "Suivi de santé à poursuivre (avec accord)"
    SCHOOLING = "schooling", "Scolarité des enfants"
    EMPLOYMENT = "employment", "Parcours d'emploi et de formation"
