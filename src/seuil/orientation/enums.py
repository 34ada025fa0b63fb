"""Coded fields of orientation: requests, assessments, commission decisions, waiting lists,
vacancies and proposals (French labels)."""

from django.db import models

# ---- requests ------------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    ASSESSED = "assessed", "Évaluée"
    POSTPONED = "postponed", "Ajournée"
    ADMITTED = "admitted", "Admise"
    REFUSED = "refused", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"


# status → the statuses it may go to (`services` refuses every other transition).
REQUEST_TRANSITIONS = {
    RequestStatus.RECEIVED: {RequestStatus.ASSESSED, RequestStatus.WITHDRAWN},
    RequestStatus.ASSESSED: {
        RequestStatus.ADMITTED,
        RequestStatus.REFUSED,
        RequestStatus.POSTPONED,
        RequestStatus.WITHDRAWN,
    },
    RequestStatus.POSTPONED: {
        RequestStatus.ASSESSED,
        RequestStatus.ADMITTED,
        RequestStatus.REFUSED,
        RequestStatus.POSTPONED,
        RequestStatus.WITHDRAWN,
    },
    RequestStatus.ADMITTED: {RequestStatus.WITHDRAWN},
    RequestStatus.REFUSED: set(),
    RequestStatus.WITHDRAWN: set(),
}
# A request may be put on a commission's agenda (and decided) in these statuses.
DECIDABLE_STATUSES = (RequestStatus.ASSESSED, RequestStatus.POSTPONED)


class RequestOrigin(models.TextChoices):
    SHELTER = "shelter", "Structure d'hébergement (CADA, HUDA, CAO, CHRS…)"
    SOCIAL_SERVICE = "social_service", "Service social (département, CCAS)"
    HOUSEHOLD = "household", "Le ménage lui-même"
    EMERGENCY = "emergency", "115, maraude, accueil de jour"
    NATIONAL_PLATFORM = "national_platform", "Plateforme nationale"
    OTHER = "other", "Autre"


# ---- assessments ---------------------------------------------------------------------------


class SupportNeed(models.TextChoices):
    RIGHTS = "rights", "Accès aux droits, démarches administratives"
    BUDGET = "budget", "Gestion du budget"
    HOUSING_SKILLS = "housing_skills", "Savoir habiter, entretien du logement"
    EMPLOYMENT = "employment", "Emploi, formation"
    FRENCH = "french", "Apprentissage du français"
    HEALTH_ACCESS = "health_access", "Accès aux soins"
    PARENTING = "parenting", "Soutien à la parentalité, scolarité"
    FAMILY_REUNIFICATION = "family_reunification", "Réunification familiale"
    MOBILITY = "mobility", "Mobilité, transports"


class SupportLevel(models.TextChoices):
    LIGHT = "light", "Accompagnement léger"
    STANDARD = "standard", "Accompagnement global"
    REINFORCED = "reinforced", "Accompagnement renforcé"


class EmploymentProfile(models.TextChoices):
    EMPLOYED = "employed", "En emploi"
    TRAINING = "training", "En formation"
    JOB_SEEKER = "job_seeker", "En recherche d'emploi"
    NOT_AVAILABLE = "not_available", "Pas disponible pour un emploi (santé, enfants…)"
    UNKNOWN = "unknown", "Non renseigné"


class PriorityCriterion(models.TextChoices):
    """Situations that give priority points on the waiting lists (weights set by each SIAO).

    Labels stay general: the list, which operators see, shows them in the breakdown.
    """

    NO_SHELTER = "no_shelter", "Sans abri ou en hébergement d'urgence"
    SHELTER_EXIT = "shelter_exit", "Doit quitter son hébergement (fin de prise en charge)"
    SAFETY = "safety", "Mise en sécurité nécessaire"
    YOUNG_CHILD = "young_child", "Grossesse ou enfant de moins de 3 ans"
    DISABILITY = "disability", "Handicap ou perte d'autonomie"
    SINGLE_PARENT = "single_parent", "Famille monoparentale"
    LARGE_FAMILY = "large_family", "Famille nombreuse (3 enfants ou plus)"
    HOSTED = "hosted", "Hébergé·e chez un tiers"


# Points of each criterion for a SIAO that has not set its own (documented in
# docs/orientation.md).
DEFAULT_CRITERION_POINTS = {
    PriorityCriterion.NO_SHELTER: 10,
    PriorityCriterion.SHELTER_EXIT: 6,
    PriorityCriterion.SAFETY: 10,
    PriorityCriterion.YOUNG_CHILD: 4,
    PriorityCriterion.DISABILITY: 4,
    PriorityCriterion.SINGLE_PARENT: 3,
    PriorityCriterion.LARGE_FAMILY: 2,
    PriorityCriterion.HOSTED: 3,
}
DEFAULT_POINTS_PER_MONTH = 1
DEFAULT_MAX_WAITING_POINTS = 24


# ---- commission ----------------------------------------------------------------------------


class DecisionOutcome(models.TextChoices):
    ADMITTED = "admitted", "Admis"
    REFUSED = "refused", "Refusé"
    POSTPONED = "postponed", "Ajourné"


class DecisionRefusalReason(models.TextChoices):
    INCOMPLETE_FILE = "incomplete_file", "Dossier incomplet"
    NOT_ELIGIBLE = "not_eligible", "Ne relève pas des dispositifs proposés"
    NO_RIGHTS = "no_rights", "Droits au séjour ou ressources non ouverts"
    ALREADY_HOUSED = "already_housed", "Déjà logé"
    REFUSED_BY_HOUSEHOLD = "refused_by_household", "Refus du ménage"
    NO_PLACE = "no_place", "Pas de place adaptée dans les dispositifs"
    OTHER = "other", "Autre motif"


# ---- referrals and waiting lists -----------------------------------------------------------


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", "En liste d'attente"
    HOUSED = "housed", "Entré dans un logement"
    WITHDRAWN = "withdrawn", "Sorti de la liste sans entrée"


REFERRAL_TRANSITIONS = {
    ReferralStatus.WAITING: {ReferralStatus.HOUSED, ReferralStatus.WITHDRAWN},
    ReferralStatus.HOUSED: set(),
    ReferralStatus.WITHDRAWN: set(),
}


class WithdrawalReason(models.TextChoices):
    """Why a request is withdrawn, or a household leaves a waiting list without entering."""

    HOUSEHOLD_WITHDREW = "household_withdrew", "Désistement du ménage"
    HOUSED_ELSEWHERE = "housed_elsewhere", "Logé par ailleurs"
    DIRECT_ALLOCATION = "direct_allocation", "Attribution directe sans accompagnement"
    REFUSED_BY_OPERATOR = "refused_by_operator", "Accueil refusé par l'opérateur"
    LOST_CONTACT = "lost_contact", "Sans nouvelles du ménage"
    LEFT_DEPARTMENT = "left_department", "A quitté le département"
    OTHER = "other", "Autre motif"


# ---- vacancies -----------------------------------------------------------------------------


class VacancyOpening(models.TextChoices):
    EXIT = "exit", "Sortie du ménage précédent"
    NEW_UNIT = "new_unit", "Logement vacant (nouvellement capté ou sans vacance ouverte)"
    LANDLORD = "landlord", "Déclarée par le bailleur"
    OPERATOR = "operator", "Déclarée par l'opérateur"


class VacancyClosing(models.TextChoices):
    FILLED = "filled", "Entrée d'un ménage"
    RETURNED = "returned", "Logement rendu au bailleur"
    OTHER = "other", "Autre motif"


# ---- proposals -----------------------------------------------------------------------------


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée, en attente de réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    EXPIRED = "expired", "Expirée (sans réponse dans le délai)"
    WITHDRAWN = "withdrawn", "Retirée"


PROPOSAL_TRANSITIONS = {
    ProposalStatus.PROPOSED: {
        ProposalStatus.PROPOSED,  # one party's agreement, the other's awaited
        ProposalStatus.ACCEPTED,
        ProposalStatus.REFUSED,
        ProposalStatus.EXPIRED,
        ProposalStatus.WITHDRAWN,
    },
    ProposalStatus.ACCEPTED: {ProposalStatus.WITHDRAWN},  # before the entry only
    ProposalStatus.REFUSED: set(),
    ProposalStatus.EXPIRED: set(),
    ProposalStatus.WITHDRAWN: set(),
}
# An open proposal holds its unit: no other proposal, no other entry.
OPEN_PROPOSAL_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)


class Party(models.TextChoices):
    HOUSEHOLD = "household", "Le ménage"
    LANDLORD = "landlord", "Le bailleur"


class Answer(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Accord"
    REFUSED = "refused", "Refus"
    NOT_REQUIRED = "not_required", "Non demandé"


class ProposalRefusalReason(models.TextChoices):
    # household
    SIZE = "size", "Logement inadapté à la composition du ménage"
    LOCATION = "location", "Localisation (éloignement de l'emploi, de l'école, des soins)"
    RENT = "rent", "Loyer trop élevé pour le ménage"
    CONDITION = "condition", "État ou équipement du logement"
    SHARED_FLAT = "shared_flat", "Colocation refusée (dont colocation mixte)"
    WAITS_FOR_LASTING = "waits_for_lasting", "Préfère attendre un logement pérenne"
    HOUSED_ELSEWHERE = "housed_elsewhere", "Logé par ailleurs"
    # landlord
    EFFORT_RATE = "effort_rate", "Taux d'effort trop élevé (bailleur)"
    FILE_INCOMPLETE = "file_incomplete", "Dossier incomplet (bailleur)"
    LANDLORD_CHOICE = "landlord_choice", "Logement attribué à un autre candidat (bailleur)"
    OTHER = "other", "Autre motif"
