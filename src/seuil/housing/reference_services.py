"""Writes of the organisation's settings kept by housing, each in the history
(`record_change`, no household): programmes (and the parts the apps above register),
sectors, landlords, and a landlord's space in Seuil (its organisation and first account)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from seuil.accounts.administration import invite_user
from seuil.core.deletion import delete_unless_used
from seuil.core.enums import OrganisationKind, Role
from seuil.core.history import record_change, snapshot
from seuil.core.models import Organisation


def _saved_snapshot(obj):
    """The snapshot of `obj` as the database holds it (None for a new one): a form has
    already changed the instance it edits."""
    if obj.pk is None:
        return None
    return snapshot(type(obj).objects.get(pk=obj.pk))


def _check_ref(obj):
    others = type(obj).objects.filter(organisation_id=obj.organisation_id, ref=obj.ref)
    if obj.pk is not None:
        others = others.exclude(pk=obj.pk)
    if others.exists():
        raise ValidationError({"ref": "Cette référence existe déjà dans votre organisation."})


def _save(obj, by):
    _check_ref(obj)
    before = _saved_snapshot(obj)
    obj.full_clean(validate_unique=True, validate_constraints=True)
    obj.save()
    record_change(by, obj, before, household=None)
    return obj


@transaction.atomic
def save_programme(programme, *, by, parts=()):
    """Créer ou modifier un dispositif, avec les parties que d'autres modules y ajoutent
    (`parts`: [(part, values)]) ; le refus d'une partie annule le tout."""
    _save(programme, by)
    for part, values in parts:
        part.save(programme, values, by)
    return programme


@transaction.atomic
def save_sector(sector, *, by):
    """Créer ou modifier un secteur et ses communes (codes INSEE)."""
    return _save(sector, by)


@transaction.atomic
def save_landlord(landlord, *, by):
    """Créer ou modifier la fiche d'un bailleur."""
    return _save(landlord, by)


def delete(obj, *, by, what):
    """Supprimer un dispositif, un secteur ou un bailleur qui ne sert à rien ; sinon le
    refus dit ce qui s'y rattache."""
    delete_unless_used(obj, by=by, what=what)


def _unique_ref(name):
    base = (slugify(name) or "bailleur")[:90]
    ref, n = base, 1
    while Organisation.objects.filter(ref=ref).exists():
        n += 1
        ref = f"{base}-{n}"
    return ref


@transaction.atomic
def link_landlord(landlord, account, *, by):
    """Lier la fiche d'un bailleur à l'organisation de ce bailleur dans Seuil (ou l'en
    délier, `account` None) : ses utilisateurs voient alors ses logements et leurs
    propositions."""
    if account is not None and account.kind != OrganisationKind.LANDLORD:
        raise ValidationError({"account": "Choisissez l'organisation d'un bailleur."})
    landlord = type(landlord).objects.select_for_update().get(pk=landlord.pk)
    before = snapshot(landlord)
    landlord.account = account
    landlord.save(update_fields=["account"])
    record_change(by, landlord, before, household=None)
    return landlord


@transaction.atomic
def open_landlord_space(
    landlord, *, by, organisation_name, department, first_name, last_name, email
):
    """Ouvrir l'espace d'un bailleur dans Seuil : créer son organisation (type bailleur),
    y lier sa fiche et inviter un premier compte, qui reçoit par courriel, après
    l'enregistrement, un lien à usage unique pour choisir son mot de passe (l'invitation
    des comptes, la même que pour les utilisateurs de l'organisation)."""
    if landlord.account_id is not None:
        raise ValidationError(f"Ce bailleur a déjà un espace dans Seuil ({landlord.account.name}).")
    organisation = Organisation(
        ref=_unique_ref(organisation_name),
        name=organisation_name.strip(),
        kind=OrganisationKind.LANDLORD,
        department=department,
    )
    organisation.full_clean()
    organisation.save()
    record_change(by, organisation, None, household=None)
    user, _ = invite_user(
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=Role.LANDLORD,
        by=by,
    )
    link_landlord(landlord, organisation, by=by)
    return user
