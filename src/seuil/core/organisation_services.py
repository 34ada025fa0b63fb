"""Writes of the organisation's settings kept by core, each in the history
(`record_change`, no household): its partners, the SIAO and platform it works with."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .enums import OrganisationKind
from .history import record_change, snapshot
from .models import Partner


def _saved_snapshot(obj):
    """The snapshot of `obj` as the database holds it (None for a new one): a form has
    already changed the instance it edits."""
    if obj.pk is None:
        return None
    return snapshot(type(obj).objects.get(pk=obj.pk))


def save_partner(partner, *, by):
    """Créer ou modifier un partenaire de l'organisation."""
    before = _saved_snapshot(partner)
    with transaction.atomic():
        partner.full_clean(validate_unique=True, validate_constraints=True)
        partner.save()
        record_change(by, partner, before, household=None)
    return partner


def set_partner_active(partner, active, *, by):
    """Désactiver un partenaire (il reste dans les dossiers qui le citent) ou le réactiver."""
    partner = Partner.objects.get(pk=partner.pk)
    before = snapshot(partner)
    with transaction.atomic():
        partner.active = active
        partner.save(update_fields=["active"])
        record_change(by, partner, before, household=None)
    return partner


def set_chain(organisation, *, by, siao=None, platform=None):
    """Choisir le SIAO et la plateforme nationale avec lesquels l'organisation travaille."""
    errors = {}
    if siao is not None and (siao.kind != OrganisationKind.SIAO or siao.pk == organisation.pk):
        errors["siao"] = "Choisissez un SIAO."
    if platform is not None and (
        platform.kind != OrganisationKind.NATIONAL_PLATFORM or platform.pk == organisation.pk
    ):
        errors["platform"] = "Choisissez une plateforme nationale."
    if errors:
        raise ValidationError(errors)
    organisation = type(organisation).objects.get(pk=organisation.pk)
    before = snapshot(organisation)
    with transaction.atomic():
        organisation.siao = siao
        organisation.platform = platform
        organisation.save(update_fields=["siao", "platform"])
        record_change(by, organisation, before, household=None)
    return organisation
