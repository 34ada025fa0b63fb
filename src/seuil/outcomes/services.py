"""Writes of the outcomes app: each a named action, atomic, audited.

- `record_follow_up`: a follow-up after exit, by a worker (or `answer_link`, by the
  household itself through its one-time link);
- `save_checklist`: the exit checklist of a stay;
- `issue_link`: a one-time link for the household (the token is shown once, only its
  hash is kept);
- `note_missing_at_exit`: the `on_exit` hook of housing, which keeps on the checklist what
  was still missing when the exit was recorded (the exit is never refused for it).
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seuil.core.audit import audited_save
from seuil.core.concurrency import claim_version
from seuil.core.history import snapshot
from seuil.core.plausibility import check_event_date
from seuil.core.refs import new_ref
from seuil.support.rules import add_months

from . import rules
from .enums import AnsweredBy
from .models import ExitChecklist, FollowUp, FollowUpLink, hash_token

# The answers a follow-up records (besides its date), as the forms and the API give them.
ANSWER_FIELDS = (
    "housed",
    "same_home",
    "same_commune",
    "employed",
    "in_training",
    "satisfaction",
    "support_satisfaction",
    "reason_for_leaving",
    "returned_to_shelter_or_street",
)


def follow_up_errors(stay, on):
    errors = [m[0].upper() + m[1:] + "." for m in rules.follow_up_errors(stay.exited_on, on)]
    if on is not None:
        implausible = check_event_date(on, timezone.localdate())
        if implausible:
            errors.append(implausible[0].upper() + implausible[1:] + ".")
    return errors


def _answers(values):
    answers = {name: values.get(name) for name in ANSWER_FIELDS}
    answers["reason_for_leaving"] = answers["reason_for_leaving"] or ""
    return answers


@transaction.atomic
def record_follow_up(stay, *, on, answers, by, answered_by=AnsweredBy.WORKER):
    """Enregistrer un suivi après la sortie d'un séjour terminé."""
    errors = follow_up_errors(stay, on)
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp(
        organisation_id=stay.organisation_id,
        ref=new_ref(FollowUp),
        stay=stay,
        on=on,
        answered_by=answered_by,
        recorded_by=by if by is not None and by.is_authenticated else None,
        **_answers(answers),
    )
    return audited_save(follow_up, None, by=by, household=stay.household)


@transaction.atomic
def change_follow_up(follow_up, *, on, answers, by, expected_version=None):
    """Corriger un suivi après la sortie."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("stay__household").get(pk=follow_up.pk)
    )
    errors = follow_up_errors(follow_up.stay, on)
    if errors:
        raise ValidationError(errors)
    before = snapshot(follow_up)
    claim_version(follow_up, expected_version)
    follow_up.on = on
    for name, value in _answers(answers).items():
        setattr(follow_up, name, value)
    return audited_save(follow_up, before, by=by, household=follow_up.stay.household)


PREPARATION_MONTHS = 3  # the exit is prepared from three months before the contract ends


def default_start(stay, today):
    """The day the preparation of the exit starts by default: three months before the end
    (as known today) of the support contract in force today, else of the stay's last
    contract signed; today when it has none. Never before the stay's entry."""
    contracts = [c for c in stay.support_contracts.all() if c.signed_on <= today]
    in_force = [c for c in contracts if c.in_force_on(today)] or contracts
    if not in_force:
        return max(today, stay.entered_on)
    ends_on = max(c.end_known_on(today) for c in in_force)
    return max(add_months(ends_on, -PREPARATION_MONTHS), stay.entered_on)


def checklist_of(stay, today=None):
    """The stay's checklist, a new unsaved one when it has none yet."""
    try:
        return stay.exit_checklist
    except ExitChecklist.DoesNotExist:
        return ExitChecklist(
            organisation_id=stay.organisation_id,
            stay=stay,
            starts_on=default_start(stay, today or timezone.localdate()),
        )


@transaction.atomic
def save_checklist(checklist, values, *, by, expected_version=None):
    """Enregistrer la préparation de la sortie d'un séjour."""
    before = snapshot(checklist) if checklist.pk else None
    if checklist.pk:
        claim_version(checklist, expected_version)
    for name, value in values.items():
        setattr(checklist, name, value)
    if not checklist.handover_note_consent and checklist.handover_note:
        raise ValidationError(
            "La note de passage de relais n'est transmise qu'avec le consentement du ménage : "
            "cochez son consentement ou laissez la note vide."
        )
    return audited_save(checklist, before, by=by, household=checklist.stay.household)


def note_missing_at_exit(stay, acting_user):
    """`housing.services.on_exit` hook: keep on the stay's checklist (when it has one) the
    items still missing at the exit. The exit itself is never refused for them."""
    checklist = ExitChecklist.objects.filter(stay=stay).first()
    if checklist is None:
        return
    before = snapshot(checklist)
    checklist.missing_at_exit = [code for code, _ in checklist.missing()]
    audited_save(checklist, before, by=acting_user, household=stay.household, access=False)


# ---------------------------------------------------------------- the household's link


def link_lifetime():
    return datetime.timedelta(days=settings.SEUIL_FOLLOW_UP_LINK_DAYS)


@transaction.atomic
def issue_link(stay, *, by):
    """Créer un lien personnel, à usage unique, pour que le ménage réponde lui-même.

    Returns (link, token): the token is shown once to the worker; only its hash is kept."""
    errors = follow_up_errors(stay, None)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = FollowUpLink(
        organisation_id=stay.organisation_id,
        stay=stay,
        token_hash=hash_token(token),
        created_at=now,
        created_by=by,
        expires_at=now + link_lifetime(),
    )
    audited_save(link, None, by=by, household=stay.household)
    return link, token


class LinkUnusable(Exception):
    """The link is unknown, expired or already used (one answer for all three)."""


def usable_link(token, moment=None):
    """The link of `token` if it can still be answered, else `LinkUnusable`."""
    link = FollowUpLink.objects.select_related("stay").by_token(token)
    if link is None or not link.usable_at(moment or timezone.now()):
        raise LinkUnusable
    return link


@transaction.atomic
def answer_link(token, answers, *, on=None):
    """The household answers through its link: one follow-up recorded, the link spent.

    Raises `LinkUnusable` when the link is unknown, expired or already used (a second
    answer, even sent at the same moment, finds it used: the row is locked)."""
    moment = timezone.now()
    link = FollowUpLink.objects.by_token(token)
    if link is None:
        raise LinkUnusable
    link = (
        FollowUpLink.objects.select_for_update().select_related("stay__household").get(pk=link.pk)
    )
    if not link.usable_at(moment):
        raise LinkUnusable
    day = on or timezone.localdate()
    if link.stay.exited_on is None or day <= link.stay.exited_on:
        raise LinkUnusable
    follow_up = record_follow_up(
        link.stay, on=day, answers=answers, by=None, answered_by=AnsweredBy.HOUSEHOLD
    )
    before = snapshot(link)
    link.used_at = moment
    link.follow_up = follow_up
    audited_save(link, before, by=None, household=link.stay.household, access=False)
    return follow_up
