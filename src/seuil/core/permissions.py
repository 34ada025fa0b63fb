"""Who may do what: small rules shared by pages, API and exports.

Every rule takes the user (and the object when it matters) and answers yes or no.
The scoping of querysets (`visible_to`) relies on the role sets below.
"""

from .enums import Role

# Roles that see the households of their own organisation.
HOUSEHOLD_READERS = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TENANCY_OFFICER,
        Role.SERVICE_MANAGER,
        Role.SIAO_EVALUATOR,
        Role.SIAO_COORDINATOR,
        Role.NATIONAL_PLATFORM,
    }
)
# Roles that create and edit households, members and their dated records.
HOUSEHOLD_EDITORS = frozenset(
    {Role.SOCIAL_WORKER, Role.SERVICE_MANAGER, Role.SIAO_EVALUATOR, Role.SIAO_COORDINATOR}
)
# Roles that see the housing stock of their own organisation.
UNIT_READERS = HOUSEHOLD_READERS
# Roles that record entries and exits.
STAY_EDITORS = frozenset({Role.SOCIAL_WORKER, Role.TENANCY_OFFICER, Role.SERVICE_MANAGER})
# Roles that manage the housing stock.
UNIT_EDITORS = frozenset({Role.TENANCY_OFFICER, Role.SERVICE_MANAGER})
# Roles that export the organisation's data.
EXPORTERS = frozenset({Role.SERVICE_MANAGER})


def _active(user):
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def can_view_households(user):
    """Voir les ménages de son organisation."""
    return _active(user) and user.role in HOUSEHOLD_READERS


def can_change_households(user):
    """Créer et modifier les ménages, leurs membres et leurs informations datées."""
    return _active(user) and user.role in HOUSEHOLD_EDITORS


def can_view_units(user):
    """Voir le parc de logements de son organisation (ou ses propres logements, bailleur)."""
    return _active(user) and (user.role in UNIT_READERS or user.role == Role.LANDLORD)


def can_change_units(user):
    """Créer et modifier les logements du parc."""
    return _active(user) and user.role in UNIT_EDITORS


def can_change_stays(user):
    """Faire entrer un ménage dans un logement, enregistrer sa sortie."""
    return _active(user) and user.role in STAY_EDITORS


def can_export_organisation(user, organisation):
    """Exporter les données de son organisation (responsable de service)."""
    return _active(user) and user.role in EXPORTERS and user.organisation_id == organisation.pk


# Roles that read the activity report of their own organisation.
REPORT_READERS = frozenset({Role.SERVICE_MANAGER, Role.SOCIAL_WORKER, Role.TENANCY_OFFICER})


def can_view_activity_report(user):
    """Consulter et télécharger le rapport d'activité de son organisation."""
    return _active(user) and user.role in REPORT_READERS
