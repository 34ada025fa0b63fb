"""Accounts and personal API tokens: the actions behind `seuil user` and `seuil token`.

Each function raises `ValidationError` with French messages when it cannot act.
"""

import datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from seuil.core.audit import record_access
from seuil.core.enums import Role
from seuil.core.models import TOKEN_VALIDITY, AccessLog, ApiToken, Organisation, User


@transaction.atomic
def create_user(
    username,
    *,
    organisation_ref,
    role,
    password,
    first_name="",
    last_name="",
    email="",
):
    """Créer un compte dans une organisation, avec un rôle et un mot de passe vérifié."""
    errors = []
    organisation = Organisation.objects.filter(ref=organisation_ref).first()
    if organisation is None:
        errors.append(f"Organisation inconnue : « {organisation_ref} ».")
    if role not in Role.values:
        errors.append(f"Rôle inconnu : « {role} ». Rôles possibles : {', '.join(Role.values)}.")
    if User.objects.filter(username=username).exists():
        errors.append(f"L'utilisateur « {username} » existe déjà.")
    if not password:
        errors.append("Le mot de passe est vide.")
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    with translation.override("fr"):
        try:
            password_validation.validate_password(password, user)
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise ValidationError([str(message) for message in error.messages]) from None
    user.set_password(password)
    user.save()
    return user


def user_named(username):
    """The account of `username`, or ValidationError in French."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"Utilisateur inconnu : « {username} ».")
    return user


def _validity(days):
    """The validity of `days` days (a year when None), refused beyond a year."""
    if days is None:
        return TOKEN_VALIDITY
    if not 1 <= days <= TOKEN_VALIDITY.days:
        raise ValidationError(
            f"Durée de validité de {days} jours : elle va de 1 à {TOKEN_VALIDITY.days} jours."
        )
    return datetime.timedelta(days=days)


def issue_token(username, *, name="", days=None):
    """Créer un jeton d'API personnel, valable `days` jours (un an par défaut) ; renvoie
    (jeton, clé en clair, affichée une fois)."""
    valid_for = _validity(days)
    user = user_named(username)
    if not user.is_active:
        raise ValidationError(f"Le compte « {username} » est désactivé.")
    return ApiToken.issue(user, name=name, valid_for=valid_for)


def list_tokens(username):
    """Les jetons d'un utilisateur, du plus récent au plus ancien."""
    return list(user_named(username).api_tokens.order_by("-created_at", "-pk"))


def _unrevoked_token(prefix, verb):
    """The one token not revoked (expired or not) whose key starts with `prefix`."""
    prefix = prefix.removeprefix("seuil_")[:8]
    tokens = list(
        ApiToken.objects.filter(revoked_at__isnull=True, prefix=prefix)
        .select_for_update()
        .select_related("user")
    )
    if not tokens:
        raise ValidationError(f"Aucun jeton non révoqué ne commence par « {prefix} ».")
    if len(tokens) > 1:
        raise ValidationError(
            f"Plusieurs jetons commencent par « {prefix} » : {verb}-les un à un depuis "
            "Mon compte › Mes jetons d'API."
        )
    return tokens[0]


@transaction.atomic
def revoke_token(prefix):
    """Révoquer le jeton non révoqué dont la clé commence par `prefix` (tel qu'affiché)."""
    token = _unrevoked_token(prefix, "révoquez")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_access(None, AccessLog.Action.CHANGE, token)  # from the command line
    return token


@transaction.atomic
def renew_token(prefix, *, days=None):
    """Renouveler le jeton non révoqué dont la clé commence par `prefix` : il ouvre l'API
    `days` jours de plus (un an par défaut) à partir d'aujourd'hui, avec la même clé."""
    valid_for = _validity(days)
    token = _unrevoked_token(prefix, "renouvelez")
    token.renew(valid_for)
    record_access(None, AccessLog.Action.CHANGE, token)  # from the command line
    return token
