"""Who may do what in the tenancy: small rules read off `seuil.core.policy`."""

from seuil.core.policy import Action, Scope, allows


def can_view_tenancy(user):
    """Voir les sous-locations, les comptes des ménages, les échéanciers de son organisation."""
    return allows(user, Action.VIEW_TENANCY)


def can_change_tenancy(user):
    """Établir les sous-locations, appeler les loyers, enregistrer paiements, échéanciers et
    états des lieux de son organisation."""
    return allows(user, Action.CHANGE_TENANCY, Scope.OWN)


def can_reconcile_bank(user):
    """Importer les relevés bancaires et rapprocher leurs crédits (pas le travailleur social)."""
    return allows(user, Action.RECONCILE_BANK, Scope.OWN)
