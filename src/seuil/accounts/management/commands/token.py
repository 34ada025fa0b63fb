"""`seuil token create|list|renew|revoke`: personal API tokens."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.accounts import services as accounts


def _when(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "jamais"


def describe(token):
    if token.revoked_at:
        state = f"révoqué le {_when(token.revoked_at)}"
    elif token.is_expired:
        state = f"expiré le {_when(token.expires_at)}"
    else:
        state = f"actif, expire le {_when(token.expires_at)}"
    return (
        f"{token.prefix}  {token.name or '(sans nom)'}  créé le {_when(token.created_at)}  "
        f"dernière utilisation : {_when(token.last_used_at)}  {state}"
    )


DAYS_HELP = "Durée de validité en jours à partir d'aujourd'hui (de 1 à 365, 365 par défaut)."


class Command(BaseCommand):
    help = (
        "Jetons d'API personnels : créer (la clé est affichée une seule fois, le jeton vaut un "
        "an), lister, renouveler, révoquer."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, title="actions")
        create = actions.add_parser("create", help="Créer un jeton et afficher sa clé.")
        create.add_argument("username", help="Identifiant de l'utilisateur.")
        create.add_argument("--name", default="", help="Nom du jeton (ex. export-siao).")
        create.add_argument("--days", type=int, help=DAYS_HELP)
        listing = actions.add_parser("list", help="Lister les jetons d'un utilisateur.")
        listing.add_argument("username", help="Identifiant de l'utilisateur.")
        renew = actions.add_parser(
            "renew", help="Repousser l'expiration d'un jeton (même clé), par son préfixe."
        )
        renew.add_argument("prefix", help="Préfixe du jeton, tel que « token list » l'affiche.")
        renew.add_argument("--days", type=int, help=DAYS_HELP)
        revoke = actions.add_parser("revoke", help="Révoquer un jeton par son préfixe.")
        revoke.add_argument("prefix", help="Préfixe du jeton, tel que « token list » l'affiche.")

    def handle(self, *args, action, **options):
        try:
            run = {
                "create": self.create_token,
                "list": self.list_tokens,
                "renew": self.renew,
                "revoke": self.revoke,
            }
            run[action](**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def create_token(self, *, username, name, days, **options):
        token, key = accounts.issue_token(username, name=name, days=days)
        self.stderr.write(
            f"Jeton créé pour « {username} » (préfixe {token.prefix}), valable jusqu'au "
            f"{_when(token.expires_at)}. Conservez la clé ci-dessous : elle ne sera plus "
            "jamais affichée."
        )
        self.stdout.write(key)

    def list_tokens(self, *, username, **options):
        tokens = accounts.list_tokens(username)
        if not tokens:
            self.stdout.write(f"Aucun jeton pour « {username} ».")
        for token in tokens:
            self.stdout.write(describe(token))

    def renew(self, *, prefix, days, **options):
        token = accounts.renew_token(prefix, days=days)
        self.stdout.write(
            f"Jeton {token.prefix} de « {token.user.username} » renouvelé : il ouvre l'API "
            f"jusqu'au {_when(token.expires_at)}, avec la même clé."
        )

    def revoke(self, *, prefix, **options):
        token = accounts.revoke_token(prefix)
        self.stdout.write(
            f"Jeton {token.prefix} de « {token.user.username} » révoqué : "
            "il ne permet plus d'accéder à l'API."
        )
