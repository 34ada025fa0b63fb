"""Who may do what in orientation: small rules read off `seuil.core.policy`.

Views declare the same action and scope (`@policy` of `seuil.core.views_policy`: 403 when
the role may never do it), then find the object with `visible_to(user, action)` for the
very action the page needs (404 when the object is not within the user's scope). Views and
templates use these rules to show what the user may do (`{% load orientation_permissions %}`).
"""

from seuil.core.enums import Role
from seuil.core.policy import Action, Scope, allows
from seuil.households.models import Household

from .enums import Answer, Party


def can_view_requests(user):
    """Voir les demandes d'orientation (adressées à son SIAO, ou de ses ménages)."""
    return allows(user, Action.RECORD_REQUEST)


def can_record_request(user):
    """Enregistrer la demande d'orientation d'un ménage auprès d'un SIAO, ou la retirer."""
    return allows(user, Action.RECORD_REQUEST, Scope.OWN)


def can_assess(user):
    """Évaluer une demande (évaluation sociale) et l'inscrire à l'ordre du jour d'une
    commission."""
    return allows(user, Action.ASSESS, Scope.OWN)


def can_view_commissions(user):
    """Voir les commissions d'orientation de son SIAO et leurs décisions."""
    return allows(user, Action.ASSESS)


def can_decide_referral(user):
    """Tenir la commission : la programmer, enregistrer ses décisions."""
    return allows(user, Action.DECIDE_REFERRAL, Scope.OWN)


def can_view_waiting_lists(user):
    """Voir les listes d'attente des dispositifs (de son organisation ou vers lesquels son SIAO
    oriente)."""
    return allows(user, Action.VIEW_WAITING_LISTS)


def can_set_priority_weights(user):
    """Fixer la pondération de la priorité des listes d'attente de son SIAO."""
    return allows(user, Action.SET_PRIORITY_WEIGHTS, Scope.OWN)


def named_households(user, households):
    """The ids of `households` that `user` may see by name on the orientation pages (their
    names, members, refusal reasons and comments): all of them, but for a landlord only
    those that gave its organisation a consent valid today (`Action.VIEW_SOCIAL_NOTE`, scope
    ``consented``). Without it, a landlord sees a household only by its size and composition
    (`{{ household|composition }}`), on the proposal and the vacancy pages alike."""
    ids = {household.pk for household in households}
    if user.role != Role.LANDLORD:
        return ids
    consented = Household.objects.visible_to(user, Action.VIEW_SOCIAL_NOTE).filter(pk__in=ids)
    return set(consented.values_list("pk", flat=True))


def can_view_vacancies(user):
    """Voir les vacances de logements (ceux de son organisation, ses propres logements pour
    un bailleur, ceux des dispositifs vers lesquels son SIAO oriente)."""
    return allows(user, Action.VIEW_UNITS)


def can_declare_vacancy(user):
    """Déclarer un logement vacant (l'opérateur qui le gère, ou son bailleur)."""
    return allows(user, Action.DECLARE_VACANCY)


def can_close_vacancy(user):
    """Fermer une vacance sans entrée (logement rendu) : l'opérateur qui gère le logement."""
    return allows(user, Action.DECLARE_VACANCY, Scope.OWN)


def can_make_proposal(user):
    """Proposer un logement vacant à un ménage de la liste d'attente, ou retirer la
    proposition."""
    return allows(user, Action.MAKE_PROPOSAL, Scope.OWN)


def can_view_proposals(user):
    """Voir les propositions de logement (un bailleur : celles de ses logements)."""
    return allows(user, Action.VIEW_PROPOSALS)


def can_answer_proposal(user):
    """Enregistrer la réponse du ménage ou du bailleur à une proposition."""
    return allows(user, Action.ANSWER_PROPOSAL)


def can_enter_household(user):
    """Faire entrer le ménage d'une proposition acceptée."""
    return allows(user, Action.CHANGE_STAYS, Scope.OWN)


def can_view_orientation_dashboard(user):
    """Voir le tableau de bord de l'orientation (SIAO, responsable de service)."""
    return allows(user, Action.VIEW_ORIENTATION_DASHBOARD)


def can_use_orientation(user):
    """Voir l'espace Orientation (au moins l'une des actions ci-dessus)."""
    return any(
        rule(user)
        for rule in (
            can_view_requests,
            can_view_commissions,
            can_view_waiting_lists,
            can_view_proposals,
            can_declare_vacancy,
        )
    )


def answer_parties(user, proposal):
    """For whom `user` may record an answer to `proposal` now: a landlord for itself only,
    the staff of the SIAO or the operator for the household and for the landlord."""
    if not can_answer_proposal(user) or proposal.status != "proposed":
        return []
    if user.role == Role.LANDLORD:
        parties = [Party.LANDLORD]
    else:
        parties = [Party.HOUSEHOLD, Party.LANDLORD]
    pending = {
        Party.HOUSEHOLD: proposal.household_answer == Answer.PENDING,
        Party.LANDLORD: proposal.landlord_answer == Answer.PENDING,
    }
    return [party for party in parties if pending[party]]
