"""The demo's organisations of the chain (operator, SIAO, landlord, State, national platform)
and one user per role, all sharing the password shown by `seuil demo`."""

from django.contrib.auth.hashers import make_password

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import Organisation, User

DEMO_ORGANISATION_REF = "apremis"
# Shown on screen by `seuil demo`: it passes the project's password validators.
DEMO_PASSWORD = "logement-d-abord-80"  # noqa: S105  # nosec B105

ORGANISATIONS = [
    # ref, name, kind, department
    ("apremis", "APREMIS – Intermédiation locative", OrganisationKind.OPERATOR, "80"),
    ("siao80", "SIAO de la Somme", OrganisationKind.SIAO, "80"),
    ("opac80", "OPAC de la Somme", OrganisationKind.LANDLORD, "80"),
    ("ddets80", "DDETS de la Somme", OrganisationKind.STATE, "80"),
    # The shelter in Île-de-France the demo's national mobility paths leave from.
    ("cada94", "CADA de Créteil", OrganisationKind.OPERATOR, "94"),
    (
        "plateforme-nationale",
        "Plateforme nationale pour le logement des réfugiés",
        OrganisationKind.NATIONAL_PLATFORM,
        "",
    ),
]

DEMO_USERS = [
    # username, first name, last name, role, organisation ref
    ("travailleur-social", "Camille", "Dewailly", Role.SOCIAL_WORKER, "apremis"),
    ("regisseur", "Thomas", "Vasseur", Role.TENANCY_OFFICER, "apremis"),
    ("responsable", "Nadia", "Benkhelifa", Role.SERVICE_MANAGER, "apremis"),
    ("psychologue", "Hélène", "Macquart", Role.PSYCHOLOGIST, "apremis"),
    ("evaluateur-siao", "Julien", "Lecomte", Role.SIAO_EVALUATOR, "siao80"),
    ("coordinatrice-siao", "Amandine", "Froment", Role.SIAO_COORDINATOR, "siao80"),
    ("bailleur-opac", "Philippe", "Delplanque", Role.LANDLORD, "opac80"),
    ("ddets", "Claire", "Hennebert", Role.STATE, "ddets80"),
    ("plateforme", "Karim", "Ouali", Role.NATIONAL_PLATFORM, "plateforme-nationale"),
    ("structure-depart", "Sarah", "Mebarki", Role.SOCIAL_WORKER, "cada94"),
    ("administrateur", "Sébastien", "Dumont", Role.ADMINISTRATOR, "apremis"),
]


def ensure_demo_organisations():
    organisations = {}
    for ref, name, kind, department in ORGANISATIONS:
        organisations[ref], _ = Organisation.objects.get_or_create(
            ref=ref,
            defaults={"name": name, "kind": kind, "department": department, "demo": True},
        )
    # The operator works with the Somme's SIAO and the national platform (its settings).
    operator = organisations[DEMO_ORGANISATION_REF]
    if operator.siao_id is None and operator.platform_id is None:
        operator.siao = organisations["siao80"]
        operator.platform = organisations["plateforme-nationale"]
        operator.save(update_fields=["siao", "platform"])
    return organisations


def ensure_demo_users(organisations):
    """One user per role; existing users are left as they are."""
    missing = [u for u in DEMO_USERS if not User.objects.filter(username=u[0]).exists()]
    if not missing:
        return
    password = make_password(DEMO_PASSWORD)
    for username, first_name, last_name, role, org_ref in missing:
        User.objects.create(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@demo.seuil.invalid",
            role=role,
            organisation=organisations[org_ref],
            password=password,
        )


def demo_logins():
    """Rows (username, role label, organisation, password) of the demo users."""
    users = {u.username: u for u in User.objects.select_related("organisation")}
    rows = []
    for username, *_ in DEMO_USERS:
        user = users.get(username)
        if user:
            organisation = user.organisation.name if user.organisation else ""
            rows.append((username, user.get_role_display(), organisation, DEMO_PASSWORD))
    return rows


def format_logins(rows):
    """The logins as a plain-text table, in French."""
    header = ("Identifiant", "Rôle", "Organisation", "Mot de passe")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
