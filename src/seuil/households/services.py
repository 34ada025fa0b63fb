"""Writes on households, persons and their dated records: named actions, atomic, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import record_access
from seuil.core.concurrency import claim_version
from seuil.core.models import AccessLog
from seuil.housing.services import new_ref

from .models import Household, LegalStatusRecord, Membership, Person, ResourceRecord


def _validated(obj):
    obj.full_clean(validate_unique=True, validate_constraints=True)
    return obj


@transaction.atomic
def create_household(*, organisation, acting_user, prior_situation="", ref=None):
    """Créer un ménage (vide ; on y ajoute ensuite ses membres)."""
    household = _validated(
        Household(
            organisation=organisation, ref=ref or new_ref("M"), prior_situation=prior_situation
        )
    )
    household.save()
    record_access(acting_user, AccessLog.Action.CREATE, household)
    return household


@transaction.atomic
def update_household(household, *, acting_user, expected_version=None, **fields):
    """Modifier un ménage ; refusé (`StaleEdit`) si un autre l'a modifié depuis
    `expected_version` (None : pas de contrôle)."""
    claim_version(household, expected_version)
    for name, value in fields.items():
        setattr(household, name, value)
    _validated(household).save()
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    return household


def _refuse_second_head(household, role, membership=None):
    if role == "head" and any(
        m.role == "head" and m != membership for m in household.members_on(None)
    ):
        raise ValidationError({"role": "Le ménage a déjà une personne de référence."})


@transaction.atomic
def add_member(household, *, acting_user, person_fields, role, joined_on=None, joined_reason=""):
    """Ajouter une personne au ménage (naissance, réunification familiale…)."""
    _refuse_second_head(household, role)
    person = _validated(
        Person(organisation=household.organisation, ref=new_ref("P"), **person_fields)
    )
    person.save()
    membership = _validated(
        Membership(
            household=household,
            person=person,
            role=role,
            joined_on=joined_on,
            joined_reason=joined_reason,
        )
    )
    membership.save()
    record_access(acting_user, AccessLog.Action.CREATE, person)
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    return membership


@transaction.atomic
def update_member(
    membership, *, acting_user, person_fields, expected_version=None, **membership_fields
):
    """Modifier une personne et son appartenance (dont son départ du ménage).

    `expected_version` est la version de la personne lue par l'utilisateur : refusé
    (`StaleEdit`) si quelqu'un l'a modifiée depuis (None : pas de contrôle)."""
    person = membership.person
    claim_version(person, expected_version)
    _refuse_second_head(membership.household, membership_fields.get("role"), membership)
    for name, value in person_fields.items():
        setattr(person, name, value)
    for name, value in membership_fields.items():
        setattr(membership, name, value)
    _validated(person).save()
    _validated(membership).save()
    record_access(acting_user, AccessLog.Action.CHANGE, person)
    record_access(acting_user, AccessLog.Action.CHANGE, membership.household)
    return membership


@transaction.atomic
def record_legal_status(person, *, acting_user, since, status):
    """Ajouter un statut administratif daté (l'historique est conservé)."""
    record = _validated(LegalStatusRecord(person=person, since=since, status=status))
    record.save()
    record_access(acting_user, AccessLog.Action.CHANGE, person)
    return record


@transaction.atomic
def record_resources(household, *, acting_user, on, types):
    """Ajouter les ressources du ménage à une date (l'historique est conservé)."""
    if not types:
        raise ValidationError("Indiquez au moins un type de ressources (ou « Aucune ressource »).")
    if "none" in types and len(types) > 1:
        raise ValidationError("« Aucune ressource » ne se combine pas avec d'autres ressources.")
    record = _validated(ResourceRecord(household=household, on=on, types=sorted(set(types))))
    record.save()
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    return record
