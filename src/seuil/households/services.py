"""Writes on households, persons and their dated records: named actions, atomic, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from seuil.core.audit import audited_change, audited_delete, record_access
from seuil.core.concurrency import claim_version
from seuil.core.history import record_change, snapshot
from seuil.core.models import AccessLog, User
from seuil.core.permissions import can_record_consent, can_write_clinical_notes
from seuil.core.phones import PhoneError, normalise_phone
from seuil.core.refs import new_ref

from .enums import MemberRole
from .languages import LANGUAGE_LABELS
from .models import (
    ClinicalNote,
    ClinicalNoteShare,
    ClinicalReferral,
    Consent,
    ContactDetails,
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)


def _check_holder_records_consent(acting_user, household):
    """Only the organisation holding the file records or revokes its consents: a linked
    organisation (a SIAO the request is addressed to, an operator with a stay) may not send
    the file of another to a third party."""
    if not (
        acting_user is not None
        and can_record_consent(acting_user)
        and acting_user.organisation_id == household.organisation_id
    ):
        raise PermissionDenied


def _validated(obj):
    obj.full_clean(validate_unique=True, validate_constraints=True)
    return obj


@transaction.atomic
def create_household(*, organisation, acting_user, prior_situation="", ref=None):
    """Créer un ménage (vide ; on y ajoute ensuite ses membres)."""
    household = _validated(
        Household(
            organisation=organisation,
            ref=ref or new_ref(Household),
            prior_situation=prior_situation,
        )
    )
    household.save()
    record_access(acting_user, AccessLog.Action.CREATE, household)
    record_change(acting_user, household, None, household=household)
    return household


@transaction.atomic
def update_household(household, *, acting_user, expected_version=None, **fields):
    """Modifier un ménage ; refusé (`StaleEdit`) si un autre l'a modifié depuis
    `expected_version` (None : pas de contrôle)."""
    claim_version(household, expected_version)
    before = snapshot(household)
    for name, value in fields.items():
        setattr(household, name, value)
    _validated(household).save()
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    record_change(acting_user, household, before, household=household)
    return household


def household_uuid_of(person):
    """The household whose file a person's records belong to, for the change history:
    their current one, else the last they left (None for a person of no household)."""
    return (
        Membership.objects.filter(person=person)
        .order_by(F("left_on").desc(nulls_first=True), "-pk")
        .values_list("household__uuid", flat=True)
        .first()
    )


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
        Person(organisation=household.organisation, ref=new_ref(Person), **person_fields)
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
    record_change(acting_user, person, None, household=household)
    record_change(acting_user, membership, None, household=household)
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
    before_person, before_membership = snapshot(person), snapshot(membership)
    for name, value in person_fields.items():
        setattr(person, name, value)
    for name, value in membership_fields.items():
        setattr(membership, name, value)
    _validated(person).save()
    _validated(membership).save()
    record_access(acting_user, AccessLog.Action.CHANGE, person)
    record_access(acting_user, AccessLog.Action.CHANGE, membership.household)
    record_change(acting_user, person, before_person, household=membership.household)
    record_change(acting_user, membership, before_membership, household=membership.household)
    return membership


@transaction.atomic
def record_legal_status(person, *, acting_user, since, status):
    """Ajouter un statut administratif daté (l'historique est conservé)."""
    record = _validated(LegalStatusRecord(person=person, since=since, status=status))
    record.save()
    record_access(acting_user, AccessLog.Action.CHANGE, person)
    record_change(acting_user, record, None, household=household_uuid_of(person))
    return record


MAX_PHONES = 2


def _normalised_email(email):
    """The address without surrounding spaces, its domain in lower case."""
    local, at, domain = (email or "").strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at else (email or "").strip()


def normalised_phones(phones):
    """The E.164 forms of `phones` (blank ones left out, each number once), or a
    ValidationError on `phones` saying which number cannot be read."""
    found = []
    for text in phones:
        if not (text or "").strip():
            continue
        try:
            number = normalise_phone(text)
        except PhoneError as error:
            raise ValidationError({"phones": f"« {text.strip()} » : {error}"}) from None
        if number not in found:
            found.append(number)
    if len(found) > MAX_PHONES:
        raise ValidationError({"phones": f"Au plus {MAX_PHONES} numéros de téléphone."})
    return found


def _contact_values(
    *, since, phones=(), email="", postal_address="", languages=(), interpreter_needed=False
):
    """The fields of a contact-details record, checked and normalised: the phones in the
    international format (`core.phones`), the languages among the known ones."""
    unknown = [code for code in languages if code not in LANGUAGE_LABELS]
    if unknown:
        raise ValidationError({"languages": f"Langue inconnue : {', '.join(unknown)}."})
    return {
        "since": since,
        "phones": normalised_phones(phones),
        "email": _normalised_email(email),
        "postal_address": (postal_address or "").strip(),
        "languages": list(dict.fromkeys(languages)),
        "interpreter_needed": interpreter_needed,
    }


@transaction.atomic
def record_contact_details(person, *, acting_user, **fields):
    """Enregistrer les coordonnées et les langues d'une personne à partir d'une date (`since`,
    `phones`, `email`, `postal_address`, `languages`, `interpreter_needed`) : un nouvel
    enregistrement, les précédents restent dans l'historique."""
    record = _validated(
        ContactDetails(person=person, recorded_by=acting_user, **_contact_values(**fields))
    )
    record.save()
    record_access(acting_user, AccessLog.Action.CHANGE, person)
    record_change(acting_user, record, None, household=household_uuid_of(person))
    return record


def _resource_types(types):
    """The resource types of a record, checked (they must go together), sorted."""
    if not types:
        raise ValidationError("Indiquez au moins un type de ressources (ou « Aucune ressource »).")
    if "none" in types and len(types) > 1:
        raise ValidationError("« Aucune ressource » ne se combine pas avec d'autres ressources.")
    return sorted(set(types))


@transaction.atomic
def record_resources(household, *, acting_user, on, types):
    """Ajouter les ressources du ménage à une date (l'historique est conservé)."""
    record = _validated(ResourceRecord(household=household, on=on, types=_resource_types(types)))
    record.save()
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    record_change(acting_user, record, None, household=household)
    return record


# ---- corrections of dated records entered by mistake ------------------------------------


def required_reason(reason):
    """The reason of a correction or a deletion, which the history keeps: required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la correction."})
    return reason


@transaction.atomic
def correct_legal_status(record, *, acting_user, since, status, reason):
    """Corriger un statut administratif saisi par erreur (date ou statut), avec le motif."""
    reason = required_reason(reason)
    household = household_uuid_of(record.person)
    # A legal status is a dated fact, not a state machine: its fields are set as any.
    with audited_change(record, by=acting_user, household=household, reason=reason):
        for name, value in (("since", since), ("status", status)):
            setattr(record, name, value)
    record_access(acting_user, AccessLog.Action.CHANGE, record.person)
    return record


@transaction.atomic
def delete_legal_status(record, *, acting_user, reason):
    """Supprimer un statut administratif saisi par erreur, avec le motif."""
    reason = required_reason(reason)
    audited_delete(
        record, by=acting_user, household=household_uuid_of(record.person), reason=reason
    )
    record_access(acting_user, AccessLog.Action.CHANGE, record.person)


@transaction.atomic
def correct_resources(record, *, acting_user, on, types, reason):
    """Corriger des ressources saisies par erreur (date ou types), avec le motif."""
    reason = required_reason(reason)
    types = _resource_types(types)
    with audited_change(record, by=acting_user, household=record.household, reason=reason):
        record.on, record.types = on, types
    record_access(acting_user, AccessLog.Action.CHANGE, record.household)
    return record


@transaction.atomic
def delete_resources(record, *, acting_user, reason):
    """Supprimer des ressources saisies par erreur, avec le motif."""
    reason = required_reason(reason)
    audited_delete(record, by=acting_user, household=record.household, reason=reason)
    record_access(acting_user, AccessLog.Action.CHANGE, record.household)


@transaction.atomic
def correct_contact_details(record, *, acting_user, reason, **fields):
    """Corriger des coordonnées saisies par erreur (mêmes champs que
    `record_contact_details`), avec le motif."""
    reason = required_reason(reason)
    values = _contact_values(**fields)
    household = household_uuid_of(record.person)
    with audited_change(record, by=acting_user, household=household, reason=reason):
        for name, value in values.items():
            setattr(record, name, value)
    record_access(acting_user, AccessLog.Action.CHANGE, record.person)
    return record


@transaction.atomic
def delete_contact_details(record, *, acting_user, reason):
    """Supprimer des coordonnées saisies par erreur, avec le motif."""
    reason = required_reason(reason)
    audited_delete(
        record, by=acting_user, household=household_uuid_of(record.person), reason=reason
    )
    record_access(acting_user, AccessLog.Action.CHANGE, record.person)


@transaction.atomic
def delete_membership(membership, *, acting_user, reason):
    """Retirer du ménage une personne ajoutée par erreur, avec le motif (un départ, lui, se
    date : `update_member`). La personne disparaît avec ses statuts si elle n'est membre
    d'aucun autre ménage. La personne de référence ne se retire qu'une fois seule."""
    reason = required_reason(reason)
    household = membership.household
    if (
        membership.role == MemberRole.HEAD
        and household.memberships.exclude(pk=membership.pk).filter(left_on__isnull=True).exists()
    ):
        raise ValidationError(
            "C'est la personne de référence du ménage : désignez-en une autre avant de la retirer."
        )
    person = membership.person
    audited_delete(membership, by=acting_user, household=household, reason=reason)
    if not Membership.objects.filter(person=person).exists():
        for record in [*person.legal_status_records.all(), *person.contact_details.all()]:
            audited_delete(record, by=acting_user, household=household, reason=reason)
        audited_delete(person, by=acting_user, household=household, reason=reason)
    record_access(acting_user, AccessLog.Action.CHANGE, household)


# ---- social note, consents, psychologist ------------------------------------------------


@transaction.atomic
def update_social_note(
    household, *, acting_user, social_note, sensitive_details=None, expected_version=None
):
    """Écrire la note sociale (et les informations sensibles) du ménage ; refusé
    (`StaleEdit`) si le ménage a été modifié depuis `expected_version`.

    `sensitive_details` None laisse les informations sensibles telles quelles."""
    before = snapshot(household)
    claim_version(household, expected_version)
    household.social_note = social_note
    changed = ["social_note", "version", "updated_at"]
    if sensitive_details is not None:
        household.sensitive_details = sensitive_details
        changed.append("sensitive_details")
    _validated(household).save(update_fields=changed)
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    record_change(acting_user, household, before, household=household)
    return household


@transaction.atomic
def record_consent(household, *, acting_user, scope, recipient, given_on, expires_on, comment=""):
    """Enregistrer le consentement du ménage à un partage avec une autre organisation."""
    _check_holder_records_consent(acting_user, household)
    if recipient.pk == household.organisation_id:
        raise ValidationError(
            {"recipient": "Le consentement se donne à une autre organisation que la vôtre."}
        )
    consent = _validated(
        Consent(
            household=household,
            scope=scope,
            recipient=recipient,
            given_on=given_on,
            expires_on=expires_on,
            recorded_by=acting_user,
            comment=comment,
        )
    )
    consent.save()
    record_access(acting_user, AccessLog.Action.CREATE, consent)
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    record_change(acting_user, consent, None, household=household)
    return consent


@transaction.atomic
def revoke_consent(consent, *, acting_user, revoked_on=None):
    """Retirer un consentement (aujourd'hui par défaut) : le partage cesse le jour même."""
    consent = Consent.objects.select_for_update().select_related("household").get(pk=consent.pk)
    _check_holder_records_consent(acting_user, consent.household)
    if consent.revoked_on is not None:
        raise ValidationError("Ce consentement a déjà été retiré.")
    before = snapshot(consent)
    # A consent that has not started yet is withdrawn from its first day.
    consent.revoked_on = max(revoked_on or timezone.localdate(), consent.given_on)
    _validated(consent).save(update_fields=["revoked_on"])
    record_access(acting_user, AccessLog.Action.CHANGE, consent)
    record_access(acting_user, AccessLog.Action.CHANGE, consent.household)
    record_change(acting_user, consent, before, household=consent.household)
    return consent


@transaction.atomic
def refer_to_psychologist(household, *, acting_user, psychologist, referred_on=None):
    """Adresser le ménage à un ou une psychologue de son organisation."""
    referral = _validated(
        ClinicalReferral(
            household=household,
            psychologist=psychologist,
            referred_by=acting_user,
            referred_on=referred_on or timezone.localdate(),
        )
    )
    referral.save()
    record_access(acting_user, AccessLog.Action.CREATE, referral)
    record_access(acting_user, AccessLog.Action.CHANGE, household)
    record_change(acting_user, referral, None, household=household)
    return referral


@transaction.atomic
def end_clinical_referral(referral, *, acting_user, ended_on=None):
    """Mettre fin au suivi : la ou le psychologue ne voit plus le ménage dès ce jour."""
    referral = (
        ClinicalReferral.objects.select_for_update().select_related("household").get(pk=referral.pk)
    )
    if referral.ended_on is not None:
        raise ValidationError("Ce suivi est déjà terminé.")
    before = snapshot(referral)
    referral.ended_on = max(ended_on or timezone.localdate(), referral.referred_on)
    _validated(referral).save(update_fields=["ended_on"])
    record_access(acting_user, AccessLog.Action.CHANGE, referral)
    record_access(acting_user, AccessLog.Action.CHANGE, referral.household)
    record_change(acting_user, referral, before, household=referral.household)
    return referral


@transaction.atomic
def write_clinical_note(household, *, acting_user, text, share_with=()):
    """Écrire une note clinique (la ou le psychologue à qui le ménage est adressé), lisible
    par son auteur seul, et par les psychologues de `share_with` (voir
    `share_clinical_note`).

    Pas d'historique des modifications pour ces notes : l'historique est lu par le
    responsable de service, qui ne doit pas même en voir la trace ; le journal d'accès
    garde qui a écrit quand."""
    if not can_write_clinical_notes(acting_user, household):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": "Écrivez la note avant de l'enregistrer."})
    note = _validated(ClinicalNote(household=household, author=acting_user, text=text))
    note.save()
    record_access(acting_user, AccessLog.Action.CREATE, note)
    if share_with:
        share_clinical_note(note, acting_user=acting_user, psychologists=share_with)
    return note


def clinical_colleagues(household, psychologist, day=None):
    """The other psychologists the household is referred to on `day` (today by default):
    those with whom `psychologist` may share a clinical note of this household."""
    referrals = ClinicalReferral.objects.active_on(day or timezone.localdate()).filter(
        household=household
    )
    return (
        User.objects.filter(pk__in=referrals.values("psychologist"))
        .exclude(pk=psychologist.pk)
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def share_clinical_note(note, *, acting_user, psychologists):
    """Choisir qui lit une note clinique, en plus de son auteur : son auteur seul le fait,
    parmi les psychologues à qui le ménage est aussi adressé. Une ou un psychologue laissé
    de côté ne la lit plus dès maintenant (le partage est retiré, sa date conservée).

    Each share given or withdrawn is recorded in the change history (never shown on the
    household's history page, which the service manager reads) and the access log (on the
    note, which the household's access-log page does not list). Returns the note."""
    note = ClinicalNote.objects.select_for_update().select_related("household").get(pk=note.pk)
    household = note.household
    if note.author_id != acting_user.pk or not can_write_clinical_notes(acting_user, household):
        raise PermissionDenied
    wanted = {psychologist.pk: psychologist for psychologist in psychologists}
    active = {share.psychologist_id: share for share in note.shares.active()}
    added = [psychologist for pk, psychologist in wanted.items() if pk not in active]
    colleagues = set(clinical_colleagues(household, acting_user).values_list("pk", flat=True))
    if any(psychologist.pk not in colleagues for psychologist in added):
        raise ValidationError(
            {
                "psychologists": "Une note clinique se partage seulement avec un·e psychologue "
                "à qui le ménage est aussi adressé."
            }
        )
    now = timezone.now()
    revoked = [share for pk, share in active.items() if pk not in wanted]
    for share in revoked:
        before = snapshot(share)
        share.revoked_at = now
        share.save(update_fields=["revoked_at"])
        record_change(acting_user, share, before, household=household)
    for psychologist in added:
        share = _validated(
            ClinicalNoteShare(
                note=note, psychologist=psychologist, shared_by=acting_user, shared_at=now
            )
        )
        share.save()
        record_change(acting_user, share, None, household=household)
    if added or revoked:
        record_access(acting_user, AccessLog.Action.CHANGE, note)
    return note
