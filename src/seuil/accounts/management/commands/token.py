"""`seuil token create|list|revoke`: personal API tokens."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.accounts import services as accounts


def _when(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "jamais"


def describe(token):
    state = f"révoqué le {_when(token.revoked_at)}" if token.revoked_at else "actif"
    return (
        f"{token.prefix}  {token.name or '(sans nom)'}  créé le {_when(token.created_at)}  "
        f"dernière utilisation : {_when(token.last_used_at)}  {state}"
    )


class Command(BaseCommand):
    help = "Jetons d'API personnels : créer (la clé est affichée une seule fois), lister, révoquer."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, title="actions")
        create = actions.add_parser("create", help="Créer un jeton et afficher sa clé.")
        create.add_argument("username", help="Identifiant de l'utilisateur.")
        create.add_argument("--name", default="", help="Nom du jeton (ex. export-siao).")
        listing = actions.add_parser("list", help="Lister les jetons d'un utilisateur.")
        listing.add_argument("username", help="Identifiant de l'utilisateur.")
        revoke = actions.add_parser("revoke", help="Révoquer un jeton par son préfixe.")
        revoke.add_argument("prefix", help="Préfixe du jeton, tel que « token list » l'affiche.")

    def handle(self, *args, action, **options):
        try:
            run = {"create": self.create_token, "list": self.list_tokens, "revoke": self.revoke}
            run[action](**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def create_token(self, *, username, name, **options):
        token, key = accounts.issue_token(username, name=name)
        self.stderr.write(
            f"Jeton créé pour « {username} » (préfixe {token.prefix}). Conservez la clé "
            "ci-dessous : elle ne sera plus jamais affichée."
        )
        self.stdout.write(key)

    def list_tokens(self, *, username, **options):
        tokens = accounts.list_tokens(username)
        if not tokens:
            self.stdout.write(f"Aucun jeton pour « {username} ».")
        for token in tokens:
            self.stdout.write(describe(token))

    def revoke(self, *, prefix, **options):
        token = accounts.revoke_token(prefix)
        self.stdout.write(
            f"Jeton {token.prefix} de « {token.user.username} » révoqué : "
            "il ne permet plus d'accéder à l'API."
        )
