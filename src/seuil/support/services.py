"""Writes of support: each a named action, validated, atomic and audited (change history and
access log: `core.audit.audited_save`; statuses through `core.transitions`)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from seuil.core.audit import (
    audited_change,
    audited_delete,
    audited_save,
    record_access,
    record_reads,
)
from seuil.core.enums import Role
from seuil.core.history import DELETE, new_record, record_change, snapshot
from seuil.core.models import AccessLog, ApiToken
from seuil.core.refs import new_ref
from seuil.core.transitions import start, transition
from seuil.core.wording import plural
from seuil.households.services import required_reason

from . import rules
from .enums import ContactStatus, ReferralResult
from .models import (
    AgendaItem,
    Amendment,
    CalendarFeed,
    Contact,
    EmploymentRecord,
    FrenchLevelRecord,
    IntensityChange,
    Meeting,
    Objective,
    PartnerReferral,
    Referent,
    Review,
    SupportContract,
    SupportSettings,
    TrainingRecord,
)

# Who may be a household's referent: the organisation's social workers (and its managers,
# who often hold a caseload in small services).
REFERENT_ROLES = (Role.SOCIAL_WORKER, Role.SERVICE_MANAGER)


def _organisation_id(by, household=None):
    if by is not None and getattr(by, "organisation_id", None):
        return by.organisation_id
    return household.organisation_id


# ---- contracts ---------------------------------------------------------------------------


@transaction.atomic
def sign_contract(stay, *, signed_on, starts_on, ends_on, by):
    """The support contract of `stay`, signed on `signed_on`, from `starts_on` to `ends_on`
    (within the programme's cap)."""
    contract = SupportContract(
        organisation_id=stay.organisation_id,
        ref=new_ref(SupportContract),
        stay=stay,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return audited_save(contract, None, by=by, household=stay.household)


@transaction.atomic
def amend_contract(contract, *, signed_on, ends_on, reason="", by):
    """An amendment that moves the contract's end to `ends_on` (later than the current end,
    within the programme's cap)."""
    with transaction.atomic():
        # One amendment at a time per contract: the rule compares with the others.
        SupportContract.objects.select_for_update().filter(pk=contract.pk).first()
        amendment = Amendment(
            organisation_id=contract.organisation_id,
            ref=new_ref(Amendment),
            contract=contract,
            signed_on=signed_on,
            ends_on=ends_on,
            reason=reason,
        )
        return audited_save(amendment, None, by=by, household=contract.stay.household)


# ---- contacts ----------------------------------------------------------------------------


@transaction.atomic
def record_contact(household, *, on, kind, by, planned=False, **fields):
    """A contact with `household` on `on`: planned (an appointment to come) or done.

    `fields`: `at` (time), `worker`, `tenancy_officer`, `interpreter`, `notes`."""
    contact = Contact(
        organisation_id=_organisation_id(by, household),
        ref=new_ref(Contact),
        household=household,
        on=on,
        kind=kind,
        status=ContactStatus.PLANNED if planned else ContactStatus.DONE,
        **fields,
    )
    return start(contact, on=timezone.localdate(), by=by)


@transaction.atomic
def report_contact(contact, *, done, on, by, reason="", comment=""):
    """A planned contact took place (`done`) or was missed for `reason`."""
    if done:
        return transition(contact, ContactStatus.DONE, on=on, by=by, comment=comment)
    if not reason:
        raise ValidationError(
            {"missed_reason": "Indiquez pourquoi le rendez-vous n'a pas eu lieu."}
        )
    return transition(
        contact,
        ContactStatus.MISSED,
        on=on,
        by=by,
        reason=reason,
        comment=comment,
        changes={"missed_reason": reason},
    )


# ---- objectives --------------------------------------------------------------------------


@transaction.atomic
def set_objective(household, *, domain, set_on, by, **fields):
    """An objective of `household`'s support. `fields`: `due_on`, `actions`, `own_words`."""
    objective = Objective(
        organisation_id=_organisation_id(by, household),
        ref=new_ref(Objective),
        household=household,
        domain=domain,
        set_on=set_on,
        **fields,
    )
    return audited_save(objective, None, by=by, household=household)


@transaction.atomic
def seed_objectives(household, domains, *, set_on, by, assessment=None, due_on=None):
    """The objectives the worker confirmed among those proposed from the household's last
    assessment (`needs.proposals`): one per domain chosen, each audited. A domain not
    proposed, or already in progress, is refused."""
    from . import needs

    offered = {p.domain: p for p in needs.proposals(household, assessment)}
    chosen = list(dict.fromkeys(domains))
    if not chosen:
        raise ValidationError({"domains": "Cochez au moins un objectif à fixer."})
    wrong = [d for d in chosen if d not in offered or offered[d].already_open]
    if wrong:
        raise ValidationError(
            {"domains": "Seuls les objectifs proposés, et pas encore en cours, se fixent ici."}
        )
    assessment = assessment or needs.last_assessment(household)
    return [
        set_objective(
            household,
            domain=domain,
            set_on=set_on,
            due_on=due_on,
            actions=(
                f"D'après l'évaluation du SIAO du {assessment.assessed_on:%d/%m/%Y} : "
                + ", ".join(offered[domain].needs)
                + "."
            ),
            by=by,
        )
        for domain in chosen
    ]


@transaction.atomic
def close_objective(objective, *, closed_on, outcome, by):
    if objective.closed_on is not None:
        raise ValidationError("Cet objectif est déjà clos.")
    if closed_on < objective.set_on:
        raise ValidationError({"closed_on": "Un objectif ne peut être clos avant d'être fixé."})
    with audited_change(objective, by=by, household=objective.household):
        objective.closed_on = closed_on
        objective.outcome = outcome
        objective.version += 1
    return objective


# ---- referents ---------------------------------------------------------------------------


def referent_errors(household, worker):
    errors = []
    if worker.organisation_id != household.organisation_id or worker.role not in REFERENT_ROLES:
        errors.append(
            "Le référent est un travailleur social (ou un responsable) de l'organisation du ménage."
        )
    if not worker.is_active:
        errors.append("Ce compte est désactivé : il ne peut plus suivre de ménage.")
    return errors


@transaction.atomic
def assign_referent(household, worker, *, since, by, second=False):
    """`worker` becomes the household's referent (or second referent) from `since`; the
    current one, if any, stops being it that day."""
    errors = referent_errors(household, worker)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = list(
            Referent.objects.select_for_update()
            .filter(household=household, second=second)
            .on(since)
        )
        for referent in current:
            if referent.worker_id == worker.pk:
                raise ValidationError("Ce travailleur social est déjà le référent du ménage.")
            if referent.since >= since:
                raise ValidationError(
                    f"Le référent actuel l'est depuis le {referent.since:%d/%m/%Y} : la nouvelle "
                    "désignation doit commencer après."
                )
            with audited_change(referent, by=by, household=household):
                referent.until = since
        later = Referent.objects.filter(household=household, second=second, since__gt=since)
        if later.exists():
            raise ValidationError("Une désignation plus récente existe déjà pour ce ménage.")
        referent = Referent(
            organisation_id=household.organisation_id,
            household=household,
            worker=worker,
            second=second,
            since=since,
        )
        return audited_save(referent, None, by=by, household=household)


@transaction.atomic
def end_referent(referent, *, until, by):
    if until <= referent.since:
        raise ValidationError("La fin de la désignation doit suivre son début.")
    with audited_change(referent, by=by, household=referent.household):
        referent.until = until
    return referent


@transaction.atomic
def reassign_caseload(worker, successor, *, since, by):
    """Every household `worker` is referent of on `since` passes to `successor` from that
    day (a worker who leaves): one audited change per household. Returns how many."""
    errors = [] if successor.pk != worker.pk else ["Choisissez un autre travailleur social."]
    moved = 0
    with transaction.atomic():
        current = Referent.objects.filter(worker=worker).on(since).select_related("household")
        for referent in list(current):
            problems = errors + referent_errors(referent.household, successor)
            if problems:
                raise ValidationError(problems)
            if referent.since == since:
                with audited_change(referent, by=by, household=referent.household):
                    referent.worker = successor
            else:
                assign_referent(
                    referent.household, successor, since=since, by=by, second=referent.second
                )
            moved += 1
    return moved


# ---- intensity ---------------------------------------------------------------------------


@transaction.atomic
def change_intensity(stay, intensity, *, since, by):
    """From `since` (within the stay), the stay's support is `intensity`."""
    if since < stay.entered_on or (stay.exited_on is not None and since >= stay.exited_on):
        raise ValidationError("Le changement doit tomber pendant le séjour.")
    change = IntensityChange(stay=stay, since=since, intensity=intensity)
    return audited_save(change, None, by=by, household=stay.household)


# ---- the worker's calendar feed ----------------------------------------------------------


def _feed_key():
    return secrets.token_urlsafe(32)


def _feed_state(feed, key):
    """What the history keeps of a feed: whose it is and that its key changed, never the
    key nor its digest."""
    return {"user": str(feed.user.uuid), "digest": key}


@transaction.atomic
def issue_calendar_feed(user, *, by):
    """A new secret key for `user`'s calendar feed (the old one, if any, stops working).
    Returns the key: shown once, never stored (only its digest). Audited: the access log
    and the change history (which keeps no key)."""
    key = _feed_key()
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    before = _feed_state(feed, "ancienne clé") if feed else None
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.digest = ApiToken.digest_of(key)
    feed.fetches, feed.last_fetched_at = 0, None
    feed.save()
    record_access(by, AccessLog.Action.CREATE if before is None else AccessLog.Action.CHANGE, feed)
    new_record(
        by, CalendarFeed, feed.uuid, before, _feed_state(feed, "nouvelle clé"), household=None
    ).save()
    return key


@transaction.atomic
def revoke_calendar_feed(user, *, by):
    """`user`'s feed stops working at once. Returns whether there was one."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return False
    record_access(by, AccessLog.Action.CHANGE, feed)
    new_record(
        by,
        CalendarFeed,
        feed.uuid,
        _feed_state(feed, "clé révoquée"),
        None,
        household=None,
        action=DELETE,
    ).save()
    feed.delete()
    return True


def calendar_feed_of(key):
    """The feed whose key is `key`, None for an unknown one or one whose user may no
    longer see contacts (a deactivated account, a role changed)."""
    from . import permissions

    if not key or len(key) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
    )
    if feed is None or not feed.user.is_active or not permissions.can_view_contacts(feed.user):
        return None
    return feed


@transaction.atomic
def record_feed_fetch(feed, contacts):
    """A fetch of the feed: counted on it, and each contact served in the access log under
    its worker's name (an export: it leaves Seuil)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(
        fetches=F("fetches") + 1, last_fetched_at=timezone.now()
    )
    return record_reads(feed.user, contacts, action=AccessLog.Action.EXPORT)


# ---- programme settings ------------------------------------------------------------------


def cap_conflicts(programme, max_months):
    """The contracts of the programme's stays that would end beyond a cap of `max_months`."""
    if max_months is None:
        return []
    contracts = (
        SupportContract.objects.filter(stay__programme=programme)
        .select_related("stay")
        .prefetch_related("amendments")
    )
    return [
        c
        for c in contracts
        if rules.cap_error(c.current_end, c.stay.entered_on, max_months) is not None
    ]


@transaction.atomic
def set_programme_support(
    programme,
    *,
    max_support_months,
    households_per_worker,
    reinforced_weight,
    no_contact_days,
    by,
    annual_budget=None,
):
    """The programme's cap and its support settings, each change in the history; a cap that
    an existing contract already goes beyond is refused, naming the contracts."""
    conflicts = cap_conflicts(programme, max_support_months)
    if conflicts:
        refs = ", ".join(c.ref for c in conflicts[:10])
        raise ValidationError(
            {
                "max_support_months": (
                    f"{plural(len(conflicts), 'contrat va,contrats vont')} déjà au-delà de "
                    f"{max_support_months} mois après l'entrée ({refs}) : la limite ne peut "
                    "être abaissée ainsi."
                )
            }
        )
    with transaction.atomic():
        if programme.max_support_months != max_support_months:
            before = snapshot(programme)
            programme.max_support_months = max_support_months
            programme.full_clean()
            programme.save(update_fields=["max_support_months"])
            record_change(by, programme, before, household=None)
        current = SupportSettings.objects.filter(programme=programme).first()
        before = snapshot(current) if current else None
        settings, _ = SupportSettings.objects.update_or_create(
            programme=programme,
            defaults={
                "households_per_worker": households_per_worker,
                "reinforced_weight": reinforced_weight,
                "no_contact_days": no_contact_days,
                "annual_budget": annual_budget,
            },
        )
        # The settings have no uuid of their own: their history rows are the programme's.
        record = new_record(
            by, SupportSettings, programme.uuid, before, snapshot(settings), household=None
        )
        if record is not None:
            record.save()
    return programme


def overlapping_referents(kept, absorbed):
    """A merge of two households is refused while each has a referent (of the same rank)
    designated today: one of them must end first (registered with `households.merging`)."""
    today = timezone.localdate()
    current = Referent.objects.on(today).filter(household__in=(kept, absorbed))
    ranks = {}
    for household_id, second in current.values_list("household_id", "second"):
        ranks.setdefault(second, set()).add(household_id)
    return [
        f"Les deux ménages ont chacun un·e {'second·e ' if second else ''}référent·e désigné·e "
        "aujourd'hui : mettez fin à l'une des désignations avant la fusion."
        for second, households in sorted(ranks.items())
        if len(households) == 2
    ]


# ---- monthly reviews and meetings ----------------------------------------------------------

REVIEW_TEXTS = ("housing", "budget", "objectives", "risks", "next_steps")


@transaction.atomic
def record_review(household, *, held_on, by, **fields):
    """The monthly review of `household` on `held_on`. `fields`: `worker`,
    `tenancy_officer`, `others` and the texts of `REVIEW_TEXTS`. A tenancy officer records
    the reviews it takes part in: it is their tenancy officer."""
    if by is not None and by.role == Role.TENANCY_OFFICER:
        fields["tenancy_officer"] = by
    review = Review(
        organisation_id=_organisation_id(by, household),
        ref=new_ref(Review),
        household=household,
        held_on=held_on,
        **fields,
    )
    return audited_save(review, None, by=by, household=household)


@transaction.atomic
def change_review(review, *, by, **fields):
    """Correct a review: its date, participants and texts."""
    if by is not None and by.role == Role.TENANCY_OFFICER:
        fields["tenancy_officer"] = by
    with audited_change(review, by=by, household=review.household):
        for name, value in fields.items():
            setattr(review, name, value)
        review.version += 1
    return review


def _set_agenda(meeting, households, by):
    """The households of `meeting`'s agenda become `households`; each added or removed is
    written in that household's history."""
    current = {item.household_id: item for item in meeting.agenda_items.all()}
    wanted = {h.pk: h for h in households}
    for pk, item in current.items():
        if pk not in wanted:
            record_change(
                by,
                meeting,
                snapshot(meeting),
                household=item.household,
                reason="Retiré de l'ordre du jour",
            )
            item.delete()
    for pk, household in wanted.items():
        if pk not in current:
            AgendaItem.objects.create(meeting=meeting, household=household)
            record_change(
                by,
                meeting,
                snapshot(meeting),
                household=household,
                reason="Inscrit à l'ordre du jour",
            )


def _check_agenda(organisation_id, households):
    if any(h.organisation_id != organisation_id for h in households):
        raise ValidationError(
            {"households": "Seuls les ménages de votre organisation peuvent être inscrits."}
        )


@transaction.atomic
def record_meeting(*, kind, held_on, by, households=(), **fields):
    """A coordination cell or a steering committee of `by`'s organisation. `fields`:
    `participants`, `agenda`, `minutes`."""
    households = list(households)
    _check_agenda(by.organisation_id, households)
    meeting = Meeting(
        organisation_id=by.organisation_id,
        ref=new_ref(Meeting),
        kind=kind,
        held_on=held_on,
        **fields,
    )
    audited_save(meeting, None, by=by, household=None)
    _set_agenda(meeting, households, by)
    return meeting


@transaction.atomic
def change_meeting(meeting, *, by, households=None, **fields):
    """Change a meeting: its date, participants, agenda or minutes."""
    with audited_change(meeting, by=by, household=None):
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.version += 1
    if households is not None:
        households = list(households)
        _check_agenda(meeting.organisation_id, households)
        _set_agenda(meeting, households, by)
    return meeting


# ---- partners: referrals and the path of each adult ---------------------------------------


def _partner_error(partner, organisation_id, field):
    if partner is not None and (partner.organisation_id != organisation_id or not partner.active):
        raise ValidationError({field: "Choisissez un partenaire en activité de l'organisation."})


@transaction.atomic
def refer_to_partner(household, *, on, partner, purpose, by, details=""):
    """`household` is referred to `partner` (of the organisation, active) on `on`; the
    result is pending until `record_referral_result`."""
    organisation_id = _organisation_id(by, household)
    _partner_error(partner, organisation_id, "partner")
    referral = PartnerReferral(
        organisation_id=organisation_id,
        ref=new_ref(PartnerReferral),
        household=household,
        on=on,
        partner=partner,
        purpose=purpose,
        details=details,
    )
    return audited_save(referral, None, by=by, household=household)


@transaction.atomic
def record_referral_result(referral, *, result, result_on, by):
    """The result of a referral (done, no follow-up, refused), known on `result_on`; back to
    pending clears the date."""
    if result == ReferralResult.PENDING:
        result_on = None
    elif result_on is None:
        raise ValidationError({"result_on": "Indiquez quand le résultat a été connu."})
    elif result_on < referral.on:
        raise ValidationError(
            {"result_on": f"Le résultat ne peut précéder l'orientation du {referral.on:%d/%m/%Y}."}
        )
    with audited_change(referral, by=by, household=referral.household):
        referral.result = result
        referral.result_on = result_on
        referral.version += 1
    return referral


def _adult_of(household, person):
    if not household.memberships.filter(person=person).exists():
        raise ValidationError("Cette personne n'est pas membre du ménage.")


@transaction.atomic
def record_employment(household, person, *, since, situation, by, employer=""):
    """From `since`, `person`'s situation towards employment (and the employer, if any)."""
    _adult_of(household, person)
    record = EmploymentRecord(
        organisation_id=_organisation_id(by, household),
        household=household,
        person=person,
        since=since,
        situation=situation,
        employer=employer,
    )
    return audited_save(record, None, by=by, household=household)


@transaction.atomic
def record_training(household, person, *, name, starts_on, by, ends_on=None, body=None):
    """A training `person` follows from `starts_on` (to `ends_on`), given by `body` (a
    partner of the organisation) if known."""
    _adult_of(household, person)
    organisation_id = _organisation_id(by, household)
    _partner_error(body, organisation_id, "body")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin de la formation précède son début."})
    record = TrainingRecord(
        organisation_id=organisation_id,
        household=household,
        person=person,
        name=name,
        body=body,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return audited_save(record, None, by=by, household=household)


@transaction.atomic
def record_french_level(household, person, *, assessed_on, level, by, assessed_by=""):
    """`person`'s level of French (CECRL), assessed on `assessed_on` by `assessed_by`."""
    _adult_of(household, person)
    record = FrenchLevelRecord(
        organisation_id=_organisation_id(by, household),
        household=household,
        person=person,
        assessed_on=assessed_on,
        level=level,
        assessed_by=assessed_by,
    )
    return audited_save(record, None, by=by, household=household)


# Each kind of path record and the fields a correction may change.
PATH_FIELDS = {
    EmploymentRecord: ("since", "situation", "employer"),
    TrainingRecord: ("name", "body", "starts_on", "ends_on"),
    FrenchLevelRecord: ("assessed_on", "level", "assessed_by"),
}


@transaction.atomic
def correct_path_record(record, *, by, reason, **fields):
    """Correct a record of an adult's path entered wrongly (its date, its situation or
    level, its text), with the reason the history keeps. A training keeps its body even
    when that partner is no longer active; a new one must be."""
    reason = required_reason(reason)
    allowed = PATH_FIELDS[type(record)]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not a field of {type(record).__name__}: {sorted(unknown)}")
    if "body" in fields and fields["body"] != record.body:
        _partner_error(fields["body"], record.organisation_id, "body")
    if isinstance(record, TrainingRecord):
        starts = fields.get("starts_on", record.starts_on)
        ends = fields.get("ends_on", record.ends_on)
        if ends is not None and ends < starts:
            raise ValidationError({"ends_on": "La fin de la formation précède son début."})
    with audited_change(record, by=by, household=record.household, reason=reason):
        for name, value in fields.items():
            setattr(record, name, value)
    return record


@transaction.atomic
def delete_path_record(record, *, by, reason):
    """Delete a record of an adult's path entered by mistake; what it said and the reason
    stay in the household's history."""
    audited_delete(record, by=by, household=record.household, reason=required_reason(reason))
