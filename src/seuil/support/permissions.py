"""Who may do what in support: small rules read off `seuil.core.policy` (views declare the
same actions with `@policy`; templates use these rules to show what the user may do)."""

from seuil.core.policy import Action, Scope, allows


def can_view_support(user):
    """Voir les contrats d'accompagnement, les objectifs (sans leur texte) et les référents
    (le psychologue : ceux des ménages qui lui sont adressés)."""
    return allows(user, Action.VIEW_SUPPORT)


def can_view_all_support(user):
    """Voir l'accompagnement de tous les ménages de l'organisation : les référents et les
    échéances, les orientations vers des partenaires et le parcours des adultes."""
    return allows(user, Action.VIEW_SUPPORT, Scope.OWN)


def can_view_support_notes(user):
    """Lire le texte des objectifs (actions, mots du ménage) et les notes des contacts."""
    return allows(user, Action.VIEW_SUPPORT_NOTES, Scope.OWN)


def can_view_contacts(user):
    """Voir les rendez-vous et visites (le régisseur : les visites conjointes où il est
    nommé)."""
    return allows(user, Action.VIEW_CONTACTS)


def can_change_support(user):
    """Signer un contrat, un avenant, fixer un objectif, enregistrer un contact, désigner un
    référent."""
    return allows(user, Action.CHANGE_SUPPORT, Scope.OWN)


def can_manage_caseloads(user):
    """Fixer les cibles des dispositifs, réaffecter les ménages d'un travailleur social."""
    return allows(user, Action.MANAGE_CASELOADS, Scope.OWN)


def can_view_reviews(user):
    """Lire les revues mensuelles (le régisseur : celles auxquelles il participe)."""
    return allows(user, Action.VIEW_REVIEWS)


def can_write_reviews(user):
    """Enregistrer une revue mensuelle d'un ménage de l'organisation."""
    return allows(user, Action.WRITE_REVIEWS, Scope.OWN)


def can_view_meetings(user):
    """Voir les cellules de coordination, les comités de pilotage et leurs comptes rendus."""
    return allows(user, Action.VIEW_MEETINGS, Scope.OWN)
