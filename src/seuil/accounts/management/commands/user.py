"""`seuil user add USERNAME --organisation REF --role ROLE`: create an account; `role`,
`deactivate`, `reactivate` and `reset-2fa` change one, with the same rules (and history) as
the Administration › Utilisateurs pages."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from seuil.accounts import administration
from seuil.accounts import services as accounts
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
        role = actions.add_parser(
            "role",
            help="Changer le rôle d'un compte (refusé pour le dernier administrateur actif de "
            "son organisation).",
        )
        role.add_argument("username", help="Identifiant de connexion.")
        role.add_argument("role", help=f"Nouveau rôle, parmi : {', '.join(Role.values)}.")
        deactivate = actions.add_parser(
            "deactivate",
            help="Désactiver un compte (refusé pour le dernier administrateur actif de son "
            "organisation).",
        )
        deactivate.add_argument("username", help="Identifiant de connexion.")
        reactivate = actions.add_parser("reactivate", help="Réactiver un compte désactivé.")
        reactivate.add_argument("username", help="Identifiant de connexion.")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "reset-2fa":
            return self.reset_two_factor(options["username"])
        if action in ("role", "deactivate", "reactivate"):
            return self.change(action, options)
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

    def change(self, action, options):
        try:
            user = accounts.user_named(options["username"])
            if action == "role":
                user = administration.change_role(user, options["role"], by=None)
                done = f"a maintenant le rôle « {user.get_role_display()} »"
            elif action == "deactivate":
                user = administration.deactivate(user, by=None)
                done = "est désactivé"
            else:
                user = administration.reactivate(user, by=None)
                done = "est réactivé"
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Le compte « {user.username} » {done}.")

    def reset_two_factor(self, username):
        try:
            user = accounts.user_named(username)
            removed = administration.reset_second_factor(user, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Double authentification de « {user.username} » réinitialisée "
            f"({plural(removed, 'appareil retiré,appareils retirés')}) : à sa prochaine "
            "connexion, la personne enregistrera une nouvelle application. Pensez à changer "
            "aussi son mot de passe si son téléphone a pu être volé."
        )
