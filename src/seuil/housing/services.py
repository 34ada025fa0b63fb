"""Writes on housing units and stays: each a named action, atomic, audited."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from seuil.core.audit import audited_change, audited_delete, record_access
from seuil.core.concurrency import claim_version
from seuil.core.history import record_change, snapshot
from seuil.core.models import AccessLog
from seuil.core.plausibility import check_typology
from seuil.core.refs import new_ref

from . import invariants
from .models import HousingUnit, Stay

# Functions `hook(stay, acting_user)` run inside the transaction of an entry (after the stay
# is created) or an exit (after it is recorded); a hook refuses with a ValidationError.
# Other apps register theirs in `AppConfig.ready()` with `on_entry` and `on_exit`:
# orientation closes the unit's vacancy and takes the household off its waiting list at an
# entry, opens a vacancy at an exit.
_ENTRY_HOOKS = []
_EXIT_HOOKS = []
# Functions `hook(stay, acting_user)` run inside the transaction of a stay's deletion, once
# it is gone: orientation reopens the unit's vacancy the entry had filled.
_DELETION_HOOKS = []


def on_entry(hook):
    """Run `hook(stay, acting_user)` at every entry, inside its transaction."""
    if hook not in _ENTRY_HOOKS:
        _ENTRY_HOOKS.append(hook)
    return hook


def on_exit(hook):
    """Run `hook(stay, acting_user)` at every exit, inside its transaction."""
    if hook not in _EXIT_HOOKS:
        _EXIT_HOOKS.append(hook)
    return hook


def on_stay_deletion(hook):
    """Run `hook(stay, acting_user)` after a stay entered by mistake is deleted, inside the
    transaction of the deletion."""
    if hook not in _DELETION_HOOKS:
        _DELETION_HOOKS.append(hook)
    return hook


# Eviction procedures are imported (`seuil import`), in bulk: whoever writes them calls
# `evictions_written(stays)`, a single save does too (post_save); tenancy makes its
# prevention cases of them.
_EVICTION_HOOKS = []


def on_evictions_written(hook):
    """Run `hook(stays)` (stay pks or a queryset of them) after eviction procedures of
    those stays were written, inside the writer's transaction."""
    if hook not in _EVICTION_HOOKS:
        _EVICTION_HOOKS.append(hook)
    return hook


def evictions_written(stays):
    """Tell the hooks that the eviction procedures of `stays` were written."""
    for hook in _EVICTION_HOOKS:
        hook(stays)


def eviction_saved(sender, instance, raw=False, **kwargs):
    """post_save of an EvictionProcedure (one saved by hand, a test, a fixture)."""
    if not raw:
        evictions_written([instance.stay_id])


def followed_by(household, organisation_id):
    """Does the organisation hold the household's file, or is the household linked to it
    today (oriented to one of its programmes, housed in one of its units: scope linked)?"""
    households = type(household).objects.all()
    return households.filter(households.linked_q(organisation_id), pk=household.pk).exists()


def stay_errors(*, household, unit, entered_on, exited_on, excluding=None):
    """Every invariant a stay breaks, checked against the database (French messages), by
    the field of the entry or exit form each concerns: {"entered_on": [...], ...}.

    At an entry (`excluding` None) the dates are the entry date's; at an exit (the stay
    `excluding` itself from the others), the exit date's: the only date the form asks.
    What no field can fix is under NON_FIELD_ERRORS."""
    date_field = "entered_on" if excluding is None else "exited_on"
    errors = {}

    def add(field, messages):
        if messages:
            errors.setdefault(field, []).extend(messages)

    add("exited_on", invariants.stay_dates_errors(entered_on, exited_on))
    # A stay belongs to the unit's organisation (the operator running it), whoever holds the
    # household's file: the household must be followed by that operator (a new stay only).
    if excluding is None and not followed_by(household, unit.organisation_id):
        add(
            "household",
            [
                "Ce ménage n'est ni suivi par l'organisation qui gère le logement, ni orienté "
                "vers l'un de ses dispositifs."
            ],
        )
    if unit.rooms.exists():
        add(
            NON_FIELD_ERRORS,
            [
                "Ce logement est partagé en chambres : on entre dans une chambre, pas dans "
                "le logement entier."
            ],
        )
    captured, returned = invariants.stay_stock_errors(
        entered_on, exited_on, unit.captured_on, unit.returned_on, apart=True
    )
    add("entered_on" if excluding is None else NON_FIELD_ERRORS, captured)
    add(date_field, returned)
    others = Stay.objects.exclude(pk=excluding.pk if excluding else None).overlapping(
        entered_on, exited_on
    )
    busy = others.filter(unit=unit).select_related("household").first()
    if busy:
        add(
            date_field,
            [
                f"Le logement est occupé sur cette période (séjour {busy.ref}, entré le "
                f"{busy.entered_on:%d/%m/%Y})."
            ],
        )
    elsewhere = others.filter(household=household).select_related("unit").first()
    if elsewhere:
        add(
            date_field,
            [
                f"Le ménage est déjà logé sur cette période (logement {elsewhere.unit.ref}, "
                f"entré le {elsewhere.entered_on:%d/%m/%Y})."
            ],
        )
    return errors


def size_warning(unit, household, day):
    """The warning for `household` (its members on `day`) entering `unit`, None when the
    unit's typology suits its size (`core.plausibility.check_typology`)."""
    if unit is None or household is None:
        return None
    warning = check_typology(unit.typology, len(household.members_on(day)))
    if warning is None:
        return None
    return f"Attention : {warning} ({unit.get_typology_display()})."


def unconfirmed_size(unit, household, day, *, confirmed, how):
    """The refusal of an entry of `household` into `unit` on `day` whose size does not suit
    the unit and that the person did not confirm, None otherwise: the entry form and the
    API ask the same confirmation. `how` says how to confirm in that channel."""
    warning = None if confirmed else size_warning(unit, household, day)
    if warning is None:
        return None
    return f"{warning} {how}, ou choisissez un autre ménage ou un autre logement."


def _lock(unit, household):
    HousingUnit.objects.select_for_update().filter(pk=unit.pk).first()
    type(household).objects.select_for_update().filter(pk=household.pk).first()


@transaction.atomic
def enter_household(
    household, unit, *, entered_on, acting_user, programme=None, support_intensity="standard"
):
    """Faire entrer un ménage dans un logement vacant."""
    _lock(unit, household)
    errors = stay_errors(household=household, unit=unit, entered_on=entered_on, exited_on=None)
    if errors:
        raise ValidationError(errors)
    stay = Stay.objects.create(
        organisation_id=unit.organisation_id,
        ref=new_ref(Stay),
        household=household,
        unit=unit,
        programme=programme or unit.programme,
        entered_on=entered_on,
        support_intensity=support_intensity,
    )
    record_access(acting_user, AccessLog.Action.CREATE, stay)
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    record_change(acting_user, stay, None, household=household)
    for hook in _ENTRY_HOOKS:
        hook(stay, acting_user)
    return stay


@transaction.atomic
def record_exit(
    stay,
    *,
    exited_on,
    destination,
    lease_transferred=False,
    acting_user,
    expected_version=None,
):
    """Enregistrer la sortie d'un ménage (destination, glissement de bail).

    Refusé (`StaleEdit`) si le séjour a été modifié depuis `expected_version`
    (None : pas de contrôle)."""
    stay = Stay.objects.select_for_update().select_related("unit", "household").get(pk=stay.pk)
    claim_version(stay, expected_version)
    if stay.exited_on is not None:
        raise ValidationError("La sortie de ce séjour est déjà enregistrée.")
    errors = stay_errors(
        household=stay.household,
        unit=stay.unit,
        entered_on=stay.entered_on,
        exited_on=exited_on,
        excluding=stay,
    )
    if errors:
        raise ValidationError(errors)
    before = snapshot(stay)
    stay.exited_on = exited_on
    stay.exit_destination = destination
    stay.lease_transferred = lease_transferred
    stay.save(
        update_fields=[
            "exited_on",
            "exit_destination",
            "lease_transferred",
            "updated_at",
            "version",
        ]
    )
    record_access(acting_user, AccessLog.Action.CHANGE, stay)
    record_access(acting_user, AccessLog.Action.CHANGE, stay.household)
    record_change(acting_user, stay, before, household=stay.household)
    for hook in _EXIT_HOOKS:
        hook(stay, acting_user)
    return stay


@transaction.atomic
def save_unit(unit, *, acting_user):
    """Créer ou modifier un logement du parc, sans casser les séjours existants ; un
    logement créé sans référence en reçoit une (« L-1A2B3C4D »)."""
    errors = []
    if unit.parent_id is not None:
        parent = unit.parent
        if unit.pk and parent.pk == unit.pk:
            errors.append("Un logement ne peut pas être sa propre chambre.")
        if unit.pk and unit.rooms.exists():
            errors.append(
                "Ce logement est lui-même partagé en chambres : il ne peut pas devenir "
                "la chambre d'un autre logement."
            )
        if parent.organisation_id != unit.organisation_id:
            errors.append("Le logement partagé appartient à une autre organisation.")
        if parent.parent_id is not None:
            errors.append("Une chambre ne peut pas contenir d'autres chambres.")
        if parent.stays.exists():
            errors.append(
                "Le logement partagé a déjà été occupé en entier : il ne peut être divisé."
            )
    if unit.pk:
        for stay in unit.stays.all():
            errors += invariants.stay_stock_errors(
                stay.entered_on, stay.exited_on, unit.captured_on, unit.returned_on
            )
    if errors:
        raise ValidationError(sorted(set(errors)))
    # A unit created without a reference of the operator's own gets one of Seuil's.
    unit.ref = unit.ref or new_ref(HousingUnit)
    unit.full_clean(validate_unique=True, validate_constraints=True)
    unit.save()
    return unit


# ---- corrections of a stay entered by mistake ---------------------------------------------


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la correction."})
    return reason


@transaction.atomic
def correct_stay(
    stay,
    *,
    entered_on,
    exited_on,
    programme,
    reason,
    acting_user,
    expected_version=None,
):
    """Corriger un séjour saisi par erreur (dates d'entrée et de sortie, dispositif), avec
    le motif, sous les mêmes règles qu'une entrée et une sortie (logement libre, ménage
    logé une fois à la fois, logement dans le parc). Une sortie s'enregistre, elle, par
    `record_exit` : la correction ne l'ajoute ni ne l'enlève."""
    reason = _reason(reason)
    stay = Stay.objects.select_for_update().select_related("unit", "household").get(pk=stay.pk)
    claim_version(stay, expected_version)
    if (stay.exited_on is None) != (exited_on is None):
        raise ValidationError(
            {
                "exited_on": "La correction ne peut ni ajouter ni enlever une sortie : "
                "enregistrez la sortie depuis le séjour."
            }
        )
    errors = stay_errors(
        household=stay.household,
        unit=stay.unit,
        entered_on=entered_on,
        exited_on=exited_on,
        excluding=stay,
    )
    if errors:
        raise ValidationError(errors)
    with audited_change(stay, by=acting_user, household=stay.household, reason=reason):
        stay.entered_on, stay.exited_on, stay.programme = entered_on, exited_on, programme
    record_access(acting_user, AccessLog.Action.CHANGE, stay.household)
    return stay


def deletion_blockers(stay):
    """What is recorded on `stay` (sub-lease and rent calls, contracts, referral,
    procedures…), by kind, in French: a stay with any of it is not deleted (its dates are
    corrected instead). Every relation to a stay is read, in every app."""
    kinds = []
    for rel in Stay._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one):
            if rel.related_model._base_manager.filter(**{rel.field.name: stay}).exists():
                kinds.append(str(rel.related_model._meta.verbose_name))
    return sorted(set(kinds))


@transaction.atomic
def delete_stay(stay, *, reason, acting_user):
    """Supprimer un séjour saisi par erreur, avec le motif. Refusé quand quelque chose y
    est rattaché : son logement et ses liens sont tenus à jour (la vacance que l'entrée
    avait fermée rouvre ; le lien de l'opérateur avec le ménage disparaît)."""
    reason = _reason(reason)
    stay = Stay.objects.select_for_update().select_related("unit", "household").get(pk=stay.pk)
    blockers = deletion_blockers(stay)
    if blockers:
        raise ValidationError(
            f"Ce séjour ne peut pas être supprimé : des enregistrements y sont rattachés "
            f"({', '.join(blockers)}). Supprimez-les d'abord, ou corrigez plutôt ses dates."
        )
    household = stay.household
    audited_delete(stay, by=acting_user, household=household, reason=reason)
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    for hook in _DELETION_HOOKS:
        hook(stay, acting_user)
    return stay
