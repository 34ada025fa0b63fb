"""Personal API tokens in the interface: who sees which, their renewal and revocation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.models import AccessLog, ApiToken
from seuil.core.permissions import can_manage_tokens


def tokens_visible_to(user):
    """One's own tokens; for those who manage tokens, those of their organisation's users."""
    if user is None or not user.is_authenticated:
        return ApiToken.objects.none()
    allowed = Q(user=user)
    if can_manage_tokens(user):
        allowed |= Q(user__organisation_id=user.organisation_id)
    return ApiToken.objects.filter(allowed)


@transaction.atomic
def revoke_api_token(token, *, acting_user):
    """Révoquer un jeton : il ne permet plus d'accéder à l'API (sans effet s'il l'est déjà).

    Renvoie le jeton et True s'il vient d'être révoqué.
    """
    if not tokens_visible_to(acting_user).filter(pk=token.pk).exists():
        raise PermissionDenied("Ce jeton n'est pas l'un de ceux que vous pouvez révoquer.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token, False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_access(acting_user, AccessLog.Action.CHANGE, token)
    return token, True


@transaction.atomic
def renew_api_token(token, *, acting_user):
    """Renouveler un jeton : il ouvre l'API un an de plus à partir d'aujourd'hui, avec la même
    clé. Un jeton révoqué ne se renouvelle pas."""
    if not tokens_visible_to(acting_user).filter(pk=token.pk).exists():
        raise PermissionDenied("Ce jeton n'est pas l'un de ceux que vous pouvez renouveler.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("Ce jeton est révoqué : il ne peut plus être renouvelé.")
    token.renew()
    record_access(acting_user, AccessLog.Action.CHANGE, token)
    return token
