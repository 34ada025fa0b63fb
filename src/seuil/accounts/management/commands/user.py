"""`seuil user add USERNAME --organisation REF --role ROLE`: create an account."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from seuil.accounts import services as accounts
from seuil.accounts import twofactor
from seuil.core.enums import Role
from seuil.core.wording import plural


def read_password(stdin):
    """One line from standard input; asked twice (hidden) when it is a terminal."""
    if hasattr(stdin, "isatty") and stdin.isatty():
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Mot de passe (confirmation) : ") != password:
            raise CommandError("Les deux mots de passe ne correspondent pas.")
        return password
    return stdin.readline().rstrip("\r\n")


class Command(BaseCommand):
    help = (
        "Gérer les comptes : « user add » crée un compte (mot de passe lu sur l'entrée standard) ; "
        "« user reset-2fa » retire la double authentification d'un compte (téléphone perdu)."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, title="actions")
        add = actions.add_parser(
            "add",
            help="Créer un compte ; le mot de passe est lu sur l'entrée standard (une ligne).",
        )
        add.add_argument("username", help="Identifiant de connexion.")
        add.add_argument(
            "--organisation", required=True, help="Référence de l'organisation (ex. apremis)."
        )
        add.add_argument("--role", required=True, help=f"Rôle, parmi : {', '.join(Role.values)}.")
        add.add_argument("--first-name", default="", help="Prénom.")
        add.add_argument("--last-name", default="", help="Nom.")
        add.add_argument("--email", default="", help="Adresse électronique.")
        reset = actions.add_parser(
            "reset-2fa",
            help="Retirer l'application d'authentification et les codes de secours d'un compte : "
            "à sa prochaine connexion, la personne en enregistre une nouvelle.",
        )
        reset.add_argument("username", help="Identifiant de connexion.")

    def handle(self, *args, **options):
        if options["action"] == "reset-2fa":
            return self.reset_two_factor(options["username"])
        password = read_password(options.get("stdin") or sys.stdin)
        try:
            user = accounts.create_user(
                options["username"],
                organisation_ref=options["organisation"],
                role=options["role"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Compte « {user.username} » créé ({user.get_role_display()}, "
            f"{user.organisation.name})."
        )

    def reset_two_factor(self, username):
        try:
            user, removed = twofactor.reset_two_factor(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Double authentification de « {user.username} » réinitialisée "
            f"({plural(removed, 'appareil retiré,appareils retirés')}) : à sa prochaine "
            "connexion, la personne enregistrera une nouvelle application. Pensez à changer "
            "aussi son mot de passe si son téléphone a pu être volé."
        )
