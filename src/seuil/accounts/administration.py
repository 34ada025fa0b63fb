"""The accounts of an organisation, as its administrator manages them.

Invite a person (an inactive account without a password, and a one-time link by e-mail),
resend or revoke the invitation, accept it (the invitee's password; the second factor comes
next), change a role, deactivate and reactivate an account, reset its second factor. Each
change is written to the history (`core.history`: the account's fields, never its password)
in the transaction of the change; each raises `ValidationError` in French when it cannot act.

One rule holds them together: **an organisation never has no active administrator**
(`keep_an_administrator`), for the pages and for `seuil user` alike.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from seuil.core.audit import record_access
from seuil.core.enums import Role
from seuil.core.history import record_change, record_fact, snapshot
from seuil.core.models import AccessLog, User
from seuil.core.permissions import can_view_users

from . import invitations, twofactor
from .models import INVITATION_VALIDITY, Invitation

LAST_ADMINISTRATOR = (
    "{name} est le dernier compte administrateur actif de l'organisation : nommez d'abord "
    "une autre personne administratrice, sinon plus personne ne pourrait gérer les comptes."
)


def users_visible_to(user):
    """The accounts of the user's organisation, for those who may see them; none otherwise."""
    if not can_view_users(user):
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id)


def with_state(users, moment=None):
    """`users` with, for the list: whether a second factor is set up (`has_second_factor`)
    and whether an invitation waits (`invitation_pending`)."""
    return users.annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        invitation_pending=Exists(Invitation.objects.pending(moment).filter(user=OuterRef("pk"))),
        invited=Exists(Invitation.objects.filter(user=OuterRef("pk"))),
    )


def display_name(account):
    return account.get_full_name() or account.username


def has_accepted(account):
    """Has the person chosen a password (through an invitation, or `seuil user add`)?"""
    return account.has_usable_password()


# The rule --------------------------------------------------------------------------------


def keep_an_administrator(account, *, role, active):
    """Refuse (ValidationError on `role` or `is_active`) a change that would leave the
    account's organisation with no active administrator: the account, an active
    administrator, would become `role`, `active` or not.

    The organisation's active administrators are locked first, in the same order for
    every change, so that two administrators demoting each other at the same moment
    cannot both succeed. Call it inside the change's transaction."""
    if not (account.is_active and account.role == Role.ADMINISTRATOR):
        return
    if active and role == Role.ADMINISTRATOR:
        return
    administrators = list(
        User.objects.select_for_update()
        .filter(organisation_id=account.organisation_id, role=Role.ADMINISTRATOR, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not set(administrators) - {account.pk}:
        field = "is_active" if not active else "role"
        raise ValidationError({field: LAST_ADMINISTRATOR.format(name=display_name(account))})


def _locked(account):
    return User.objects.select_for_update().get(pk=account.pk)


def _save(account, before, *, by, fields):
    account.save(update_fields=fields)
    record_change(by, account, before, household=None)
    record_access(by, AccessLog.Action.CHANGE, account)


# Invitations -----------------------------------------------------------------------------


def _email_taken(email, *, but=None):
    others = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if but is not None:
        others = others.exclude(pk=but.pk)
    return others.exists()


def _new_invitation(account, *, by):
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=account, sent_by=by, created_at=now, expires_at=now + INVITATION_VALIDITY
    )
    record_change(by, invitation, None, household=None)
    invitations.enqueue(invitation)
    return invitation


def _close_pending(account, *, by, now):
    """Revoke the account's invitations still pending; returns how many."""
    closed = 0
    for invitation in (
        Invitation.objects.pending(now).select_for_update().filter(user=account).order_by("pk")
    ):
        before = snapshot(invitation)
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        record_change(by, invitation, before, household=None)
        closed += 1
    return closed


@transaction.atomic
def invite_user(*, organisation, first_name, last_name, email, role, by):
    """Inviter une personne : son compte est créé inactif, sans mot de passe, et Seuil lui
    envoie par courriel un lien à usage unique (valable 7 jours) pour choisir son mot de
    passe. Son identifiant de connexion est son adresse électronique."""
    email = (email or "").strip()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."
    else:
        if _email_taken(email):
            errors["email"] = (
                "Un compte utilise déjà cette adresse électronique : retrouvez-le dans la liste "
                "(ou demandez à l'administrateur de son organisation)."
            )
    if role not in Role.values:
        errors["role"] = "Choisissez un rôle dans la liste."
    if not (first_name or "").strip():
        errors["first_name"] = "Saisissez le prénom de la personne."
    if errors:
        raise ValidationError(errors)
    account = User(
        username=email.lower()[:150],
        email=email,
        first_name=first_name.strip(),
        last_name=(last_name or "").strip(),
        organisation=organisation,
        role=role,
        is_active=False,
    )
    account.set_unusable_password()
    with translation.override("fr"):
        account.full_clean(exclude=["password"])
    account.save()
    record_change(by, account, None, household=None)
    record_access(by, AccessLog.Action.CREATE, account)
    invitation = _new_invitation(account, by=by)
    return account, invitation


@transaction.atomic
def resend_invitation(account, *, by):
    """Renvoyer l'invitation : un nouveau lien, valable 7 jours ; l'ancien ne sert plus."""
    account = _locked(account)
    if has_accepted(account):
        raise ValidationError(
            f"{display_name(account)} a déjà activé son compte : il n'y a plus d'invitation "
            "à renvoyer."
        )
    if not account.email:
        raise ValidationError("Ce compte n'a pas d'adresse électronique où envoyer l'invitation.")
    _close_pending(account, by=by, now=timezone.now())
    return _new_invitation(account, by=by)


@transaction.atomic
def revoke_invitation(account, *, by):
    """Annuler l'invitation : son lien ne sert plus ; le compte reste inactif."""
    account = _locked(account)
    if not _close_pending(account, by=by, now=timezone.now()):
        raise ValidationError("Aucune invitation de ce compte n'est en attente.")
    return account


@transaction.atomic
def accept_invitation(token, password):
    """The invitee chooses a password through the link: the account becomes active, the
    invitation is spent. Raises `invitations.InvitationUnusable` when the link does not
    open the account any more, `ValidationError` for a password the rules refuse."""
    now = timezone.now()
    invitation = invitations.usable_invitation(token, moment=now, lock=True)
    account = _locked(invitation.user)
    with translation.override("fr"):
        password_validation.validate_password(password, account)
    before = snapshot(account)
    account.set_password(password)
    account.is_active = True
    _save(account, before, by=account, fields=["password", "is_active"])
    invitation_before = snapshot(invitation)
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    record_change(account, invitation, invitation_before, household=None)
    return account


# Changes of an account -------------------------------------------------------------------


@transaction.atomic
def change_role(account, role, *, by):
    """Changer le rôle d'un compte (refusé s'il est le dernier administrateur actif)."""
    if role not in Role.values:
        raise ValidationError({"role": "Choisissez un rôle dans la liste."})
    account = _locked(account)
    if account.role == role:
        return account
    keep_an_administrator(account, role=role, active=account.is_active)
    before = snapshot(account)
    account.role = role
    _save(account, before, by=by, fields=["role"])
    return account


@transaction.atomic
def deactivate(account, *, by):
    """Désactiver un compte : la personne ne peut plus se connecter (ni utiliser ses jetons
    d'API) ; ses sessions ouvertes se ferment. Refusé pour le dernier administrateur actif."""
    if by is not None and by.pk == account.pk:
        raise ValidationError(
            "Vous ne pouvez pas désactiver votre propre compte : demandez-le à une autre "
            "personne administratrice."
        )
    account = _locked(account)
    if not account.is_active:
        return account
    keep_an_administrator(account, role=account.role, active=False)
    before = snapshot(account)
    account.is_active = False
    _save(account, before, by=by, fields=["is_active"])
    # An invitation still pending would open the account again: it goes too.
    _close_pending(account, by=by, now=timezone.now())
    return account


@transaction.atomic
def reactivate(account, *, by):
    """Réactiver un compte désactivé. Un compte qui n'a jamais choisi son mot de passe
    s'active par son invitation (à renvoyer), pas ici."""
    account = _locked(account)
    if account.is_active:
        return account
    if not has_accepted(account):
        raise ValidationError(
            f"{display_name(account)} n'a pas encore choisi son mot de passe : renvoyez-lui "
            "l'invitation plutôt."
        )
    before = snapshot(account)
    account.is_active = True
    _save(account, before, by=by, fields=["is_active"])
    return account


SECOND_FACTOR = "double_authentification"


@transaction.atomic
def reset_second_factor(account, *, by):
    """Réinitialiser la double authentification (téléphone perdu ou changé) : l'application
    et les codes de secours sont retirés ; à sa prochaine connexion, la personne en installe
    une nouvelle. Renvoie le nombre d'appareils retirés."""
    account = _locked(account)
    had_one = twofactor.has_second_factor(account)
    removed = twofactor.remove_devices(account)
    record_fact(
        by,
        account,
        {SECOND_FACTOR: ["activée" if had_one else "non activée", "à réactiver"]},
        household=None,
    )
    record_access(by, AccessLog.Action.CHANGE, account)
    return removed
