"""Who may do what: small rules shared by pages, API and exports, read off `core.policy`.

Every rule takes the user (and the object when it matters) and answers yes or no; the
table they read is `seuil.core.policy.POLICY`. Querysets narrow themselves with
`visible_to(user)` (`core/scoping.py`), which reads the same table.
"""

from django.core.exceptions import PermissionDenied

from .policy import Action, Scope, allows, scope_of


def require(rule, user):
    """Refuse the request (403) unless `rule(user)` holds: the first line of a view."""
    if not rule(user):
        raise PermissionDenied


def can_view_households(user):
    """Voir des ménages (ceux de son organisation, ou ceux qui lui sont adressés)."""
    return allows(user, Action.VIEW_HOUSEHOLDS)


def can_change_households(user):
    """Créer et modifier les ménages, leurs membres et leurs informations datées."""
    return allows(user, Action.CHANGE_HOUSEHOLDS, Scope.OWN)


def can_view_units(user):
    """Voir le parc de logements de son organisation (ou ses propres logements, bailleur)."""
    return allows(user, Action.VIEW_UNITS)


def can_change_units(user):
    """Créer et modifier les logements du parc."""
    return allows(user, Action.CHANGE_UNITS, Scope.OWN)


def can_change_stays(user):
    """Faire entrer un ménage dans un logement, enregistrer sa sortie."""
    return allows(user, Action.CHANGE_STAYS, Scope.OWN)


def can_view_activity_report(user):
    """Consulter et télécharger le rapport d'activité de son organisation."""
    return allows(user, Action.VIEW_ACTIVITY_REPORT, Scope.OWN)


def can_view_data_quality(user):
    """Consulter la qualité des données de son organisation (valeurs manquantes ou
    invraisemblables, doublons probables)."""
    return allows(user, Action.VIEW_DATA_QUALITY, Scope.OWN)


def can_view_aggregates(user):
    """Consulter le tableau de bord de pilotage (chiffres agrégés, petits effectifs masqués)."""
    return allows(user, Action.VIEW_AGGREGATES)


def can_export_organisation(user, organisation):
    """Exporter les données de son organisation (responsable de service, administrateur)."""
    return (
        scope_of(user, Action.EXPORT_ORGANISATION) == Scope.OWN
        and user.organisation_id == organisation.pk
    )


def can_import_organisation(user):
    """Importer un classeur des données de son organisation (responsable de service,
    administrateur)."""
    return allows(user, Action.IMPORT_ORGANISATION, Scope.OWN)


def can_export_person(user):
    """Exporter tout ce que Seuil détient sur une personne (droit d'accès)."""
    return allows(user, Action.EXPORT_PERSON, Scope.OWN)


def can_view_access_log(user):
    """Voir qui a consulté un dossier de son organisation."""
    return allows(user, Action.VIEW_ACCESS_LOG, Scope.OWN)


def can_view_history(user):
    """Voir l'historique des modifications d'un dossier (avant / après)."""
    return allows(user, Action.VIEW_HISTORY, Scope.OWN)


def can_manage_settings(user):
    """Tenir les paramètres de son organisation : dispositifs, secteurs, bailleurs,
    partenaires."""
    return allows(user, Action.MANAGE_SETTINGS, Scope.OWN)


def can_manage_organisation(user):
    """Choisir le SIAO et la plateforme nationale de son organisation ; ouvrir l'espace
    d'un bailleur dans Seuil."""
    return allows(user, Action.MANAGE_ORGANISATION, Scope.OWN)


def can_manage_tokens(user):
    """Voir et révoquer les jetons d'API des utilisateurs de son organisation."""
    return allows(user, Action.MANAGE_TOKENS, Scope.OWN)


def can_view_users(user):
    """Voir les comptes de son organisation : rôle, compte actif, dernière connexion."""
    return allows(user, Action.VIEW_USERS, Scope.OWN)


def can_manage_users(user):
    """Inviter des personnes, changer un rôle, désactiver un compte, réinitialiser sa double
    authentification, dans son organisation."""
    return allows(user, Action.MANAGE_USERS, Scope.OWN)


def can_hand_over(user):
    """Transmettre le dossier d'un ménage de son organisation à une autre organisation."""
    return allows(user, Action.HAND_OVER, Scope.OWN)


def can_merge_households(user):
    """Fusionner deux dossiers (ménages ou personnes) de son organisation, annuler la fusion."""
    return allows(user, Action.MERGE_HOUSEHOLDS, Scope.OWN)


def can_refer_to_psychologist(user):
    """Adresser un ménage de son organisation à un ou une psychologue."""
    return allows(user, Action.REFER_TO_PSYCHOLOGIST, Scope.OWN)


def can_record_consent(user):
    """Enregistrer ou retirer le consentement d'un ménage à un partage."""
    return allows(user, Action.RECORD_CONSENT, Scope.OWN)


def can_change_social_note(user):
    """Écrire la note sociale et les informations sensibles d'un ménage."""
    return allows(user, Action.CHANGE_SOCIAL_NOTE, Scope.OWN)


def can_view_sensitive_details(user):
    """Lire les informations sensibles (violences, santé) des ménages de son organisation."""
    return allows(user, Action.VIEW_SENSITIVE_DETAILS, Scope.OWN)


def can_read_shared_notes(user):
    """Lire les notes sociales transmises avec le consentement des ménages."""
    return allows(user, Action.VIEW_SOCIAL_NOTE, Scope.CONSENTED)


def can_view_social_note(user, household):
    """Lire la note sociale de ce ménage (bailleur : seulement avec un consentement valide)."""
    return (
        allows(user, Action.VIEW_SOCIAL_NOTE)
        and type(household)
        .objects.visible_to(user, Action.VIEW_SOCIAL_NOTE)
        .filter(pk=household.pk)
        .exists()
    )


def can_view_clinical_notes(user, household):
    """Ouvrir les notes cliniques de ce ménage : les psychologues à qui il est adressé, seuls.
    Chacun n'y lit que les notes qu'il a écrites et celles que leur auteur lui partage
    (`ClinicalNote.objects.visible_to`)."""
    return (
        allows(user, Action.VIEW_CLINICAL_NOTES)
        and type(household)
        .objects.visible_to(user, Action.VIEW_CLINICAL_NOTES)
        .filter(pk=household.pk)
        .exists()
    )


def can_write_clinical_notes(user, household):
    """Écrire une note clinique : la ou le psychologue à qui le ménage est adressé."""
    return allows(user, Action.WRITE_CLINICAL_NOTES) and can_view_clinical_notes(user, household)


# The rule a page that declares an action (`seuil.core.views_policy.policy`) is opened with:
# the rule above of that action, on its scope (changing a household: scope own). An action
# missing here opens the page on any scope (`allows(user, action)`); the page's queryset
# (`visible_to(user, action)`) then narrows to what that scope reaches.
PAGE_RULES = {
    Action.VIEW_HOUSEHOLDS: can_view_households,
    Action.CHANGE_HOUSEHOLDS: can_change_households,
    Action.VIEW_UNITS: can_view_units,
    Action.CHANGE_UNITS: can_change_units,
    Action.CHANGE_STAYS: can_change_stays,
    Action.VIEW_ACTIVITY_REPORT: can_view_activity_report,
    Action.VIEW_AGGREGATES: can_view_aggregates,
    Action.VIEW_DATA_QUALITY: can_view_data_quality,
    Action.EXPORT_PERSON: can_export_person,
    Action.IMPORT_ORGANISATION: can_import_organisation,
    Action.VIEW_ACCESS_LOG: can_view_access_log,
    Action.VIEW_HISTORY: can_view_history,
    Action.MANAGE_TOKENS: can_manage_tokens,
    Action.VIEW_USERS: can_view_users,
    Action.MANAGE_USERS: can_manage_users,
    Action.MANAGE_SETTINGS: can_manage_settings,
    Action.MANAGE_ORGANISATION: can_manage_organisation,
    Action.REFER_TO_PSYCHOLOGIST: can_refer_to_psychologist,
    Action.HAND_OVER: can_hand_over,
    Action.MERGE_HOUSEHOLDS: can_merge_households,
    Action.RECORD_CONSENT: can_record_consent,
    Action.CHANGE_SOCIAL_NOTE: can_change_social_note,
    Action.VIEW_SENSITIVE_DETAILS: can_view_sensitive_details,
}


def page_rule(action):
    """The rule that opens a page declaring `action` (see `PAGE_RULES`)."""
    rule = PAGE_RULES.get(Action(action))
    return rule or (lambda user: allows(user, action))
