"""Pages of the most sensitive parts of a household file: the social note and the sensitive
details, the consents to sharing, the referral to a psychologist, the clinical notes, and
the page of the social notes shared with a landlord (or the national platform).

Apart from `views.py` so that these rules read in one place. Every page declares the
action it needs (`@policy`): a user whose role may never do it gets a 403 first; then the
household comes through `visible_to(user, action)` for that very action, and a user who may
not do it on this household gets a 404 (the clinical notes: 404 for everyone but the
psychologists the household is referred to, so that nobody learns they exist; each reads
the notes they wrote and those their author shares with them). Reading
writes access-log rows in the same transaction; writing goes through
`seuil.households.services`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access, record_reads
from seuil.core.enums import Role
from seuil.core.forms import run_service
from seuil.core.models import AccessLog, Organisation, User
from seuil.core.pages import form_page, object_or_404
from seuil.core.permissions import (
    can_change_social_note,
    can_hand_over,
    can_record_consent,
    can_refer_to_psychologist,
    can_view_clinical_notes,
    can_view_sensitive_details,
    can_view_social_note,
    can_write_clinical_notes,
)
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import services
from .forms import (
    ClinicalNoteForm,
    ClinicalNoteShareForm,
    ClinicalReferralForm,
    ConsentForm,
    SocialNoteForm,
)
from .models import (
    CONSENT_SCOPE_ACTIONS,
    ClinicalNote,
    ClinicalNoteShare,
    Consent,
    Handover,
    Household,
)
from .pages import household_crumbs, to_file

PAGE_SIZE = 25


def _own(user, household):
    return household.organisation_id == user.organisation_id


def _confirm_page(request, *, household, title, text, submit):
    return render(
        request,
        "households/confirm.html",
        {
            "household": household,
            "title": title,
            "text": text,
            "submit": submit,
            "cancel_url": household.get_absolute_url(),
        },
    )


def _plus_one_year(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# ---- the sections of the household file --------------------------------------------------


def sensitive_sections(user, household, today):
    """What the household file shows of its sensitive parts to `user` (template context):
    the holder's parts to the holder only; to a former holder, what it kept when it handed
    the file over."""
    own = _own(user, household)
    show_consents = own and can_record_consent(user)
    show_referrals = own and can_refer_to_psychologist(user)
    consents = []
    if show_consents:
        consents = [
            (consent, consent.status_on(today))
            for consent in household.consents.select_related("recipient")
        ]
    referrals = []
    if show_referrals:
        referrals = [
            (referral, referral.is_active_on(today))
            for referral in household.clinical_referrals.select_related("psychologist")
        ]
    return {
        "show_social_note": can_view_social_note(user, household),
        "show_sensitive_details": own and can_view_sensitive_details(user),
        "can_change_social_note": own and can_change_social_note(user),
        "show_consents": show_consents,
        "consents": consents,
        "show_referrals": show_referrals,
        "referrals": referrals,
        "show_clinical_notes": can_view_clinical_notes(user, household),
        "held": own,
        "can_hand_over": own and can_hand_over(user),
        "kept_at_handover": list(
            Handover.objects.visible_to(user, Action.VIEW_SENSITIVE_DETAILS)
            .filter(household=household)
            .select_related("to_organisation")
        ),
    }


# ---- social note and sensitive details ---------------------------------------------------


@policy(Action.CHANGE_SOCIAL_NOTE)
def social_note_edit(request, uuid):
    household = object_or_404(request, Household, uuid, Action.CHANGE_SOCIAL_NOTE)
    with_sensitive = can_view_sensitive_details(request.user)
    initial = {"social_note": household.social_note, "version": household.version}
    if with_sensitive:
        initial["sensitive_details"] = household.sensitive_details
    form = SocialNoteForm(
        request.POST or None, initial=initial, with_sensitive_details=with_sensitive
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.update_social_note(
                household,
                acting_user=request.user,
                social_note=data["social_note"],
                sensitive_details=data["sensitive_details"] if with_sensitive else None,
                expected_version=data["version"],
            ),
        ):
            return to_file(request, household, "La note sociale a été enregistrée.")
    if request.method != "POST":
        with transaction.atomic():
            record_access(request.user, AccessLog.Action.VIEW, household)
    return form_page(
        request,
        form,
        title="Note sociale et informations sensibles",
        crumbs=household_crumbs(household),
        intro="Ces textes sont chiffrés dans la base de données. La note sociale n'est "
        "transmise à un bailleur ou à la plateforme nationale qu'avec un consentement valide "
        "du ménage ; les informations sensibles ne sortent jamais de l'organisation.",
    )


# ---- consents --------------------------------------------------------------------------


@policy(Action.RECORD_CONSENT)
def consent_add(request, uuid):
    household = object_or_404(request, Household, uuid, Action.RECORD_CONSENT)
    today = timezone.localdate()
    form = ConsentForm(
        request.POST or None,
        initial={"given_on": today, "expires_on": _plus_one_year(today)},
        recipients=Organisation.objects.exclude(pk=household.organisation_id).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.record_consent(
                household,
                acting_user=request.user,
                scope=data["scope"],
                recipient=data["recipient"],
                given_on=data["given_on"],
                expires_on=data["expires_on"],
                comment=data["comment"],
            ),
        ):
            return to_file(request, household, "Le consentement a été enregistré.")
    return form_page(
        request,
        form,
        title="Enregistrer un consentement",
        crumbs=household_crumbs(household),
        intro="Le ménage accepte qu'une autre organisation lise une partie de son dossier, "
        "pour une durée limitée. Il peut retirer son consentement à tout moment : le partage "
        "cesse alors le jour même.",
        submit="Enregistrer le consentement",
    )


@policy(Action.RECORD_CONSENT)
def consent_revoke(request, uuid, consent):
    household = object_or_404(request, Household, uuid, Action.RECORD_CONSENT)
    consent = get_object_or_404(household.consents.select_related("recipient"), uuid=consent)
    if request.method == "POST":
        try:
            services.revoke_consent(consent, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("households:detail", uuid=household.uuid)
        return to_file(request, household, "Le consentement a été retiré.")
    return _confirm_page(
        request,
        household=household,
        title="Retirer le consentement",
        text=f"« {consent.get_scope_display()} » à {consent.recipient.name}, donné le "
        f"{consent.given_on:%d/%m/%Y} : une fois retiré aujourd'hui, ce consentement ne "
        "permet plus aucun partage. Le retrait est conservé dans le dossier.",
        submit="Retirer le consentement",
    )


# ---- psychologist ----------------------------------------------------------------------


@policy(Action.REFER_TO_PSYCHOLOGIST)
def referral_add(request, uuid):
    household = object_or_404(request, Household, uuid, Action.REFER_TO_PSYCHOLOGIST)
    psychologists = User.objects.filter(
        organisation=household.organisation_id, role=Role.PSYCHOLOGIST, is_active=True
    ).order_by("last_name", "first_name", "username")
    form = ClinicalReferralForm(
        request.POST or None,
        initial={"referred_on": timezone.localdate()},
        psychologists=psychologists,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.refer_to_psychologist(
                household,
                acting_user=request.user,
                psychologist=data["psychologist"],
                referred_on=data["referred_on"],
            ),
        ):
            return to_file(request, household, "Le ménage a été adressé à la psychologue.")
    intro = (
        "La ou le psychologue verra ce ménage tant que le suivi dure, et sera seul à lire "
        "ses notes cliniques : ni vous ni l'équipe ne les verrez."
    )
    if not psychologists.exists():
        intro += " Votre organisation n'a encore aucun compte de psychologue."
    return form_page(
        request,
        form,
        title="Adresser à un·e psychologue",
        crumbs=household_crumbs(household),
        intro=intro,
        submit="Adresser",
    )


@policy(Action.REFER_TO_PSYCHOLOGIST)
def referral_end(request, uuid, referral):
    household = object_or_404(request, Household, uuid, Action.REFER_TO_PSYCHOLOGIST)
    referral = get_object_or_404(
        household.clinical_referrals.select_related("psychologist"), uuid=referral
    )
    if request.method == "POST":
        try:
            services.end_clinical_referral(referral, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("households:detail", uuid=household.uuid)
        return to_file(request, household, "Le suivi psychologique est terminé.")
    name = referral.psychologist.get_full_name() or referral.psychologist.username
    return _confirm_page(
        request,
        household=household,
        title="Mettre fin au suivi psychologique",
        text=f"À partir d'aujourd'hui, {name} ne verra plus ce ménage ni ses notes cliniques.",
        submit="Mettre fin au suivi",
    )


# 404 for everyone but the psychologists the household is referred to; each of them reads the
# notes they wrote and those their authors share with them (`ClinicalNote.objects.visible_to`).
@policy(read=Action.VIEW_CLINICAL_NOTES, write=Action.WRITE_CLINICAL_NOTES, hidden=True)
def clinical_notes(request, uuid):
    household = object_or_404(request, Household, uuid, Action.VIEW_CLINICAL_NOTES)
    may_write = can_write_clinical_notes(request.user, household)
    colleagues = services.clinical_colleagues(household, request.user)
    form = ClinicalNoteForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid() and run_service(
            form,
            lambda: services.write_clinical_note(
                household,
                acting_user=request.user,
                text=form.cleaned_data["text"],
                share_with=form.cleaned_data.get("share_with") or (),
            ),
        ):
            messages.success(request, "La note clinique a été enregistrée.")
            return redirect("households:clinical_notes", uuid=household.uuid)
    active_shares = Prefetch(
        "shares",
        queryset=ClinicalNoteShare.objects.active().select_related("psychologist"),
        to_attr="active_shares",
    )
    with transaction.atomic():
        record_reads(request.user, [household])
        notes = record_reads(
            request.user,
            ClinicalNote.objects.visible_to(request.user, Action.VIEW_CLINICAL_NOTES)
            .filter(household=household)
            .select_related("author")
            .prefetch_related(active_shares),
        )
    return render(
        request,
        "households/clinical_notes.html",
        {
            "household": household,
            "notes": notes,
            "form": form if may_write else None,
            "may_share": may_write and colleagues.exists(),
        },
    )


@policy(read=Action.VIEW_CLINICAL_NOTES, write=Action.WRITE_CLINICAL_NOTES, hidden=True)
def clinical_note_share(request, uuid, note):
    """Choose who reads one of one's notes besides oneself (404 for anyone but its author)."""
    household = object_or_404(request, Household, uuid, Action.VIEW_CLINICAL_NOTES)
    if not can_write_clinical_notes(request.user, household):
        raise Http404
    note = get_object_or_404(
        ClinicalNote.objects.visible_to(request.user, Action.VIEW_CLINICAL_NOTES).filter(
            household=household, author=request.user
        ),
        uuid=note,
    )
    shared = User.objects.filter(pk__in=note.shares.active().values("psychologist"))
    choices = services.clinical_colleagues(household, request.user) | shared
    form = ClinicalNoteShareForm(
        # Every box unchecked (no one shares the note any more) posts no field at all.
        request.POST if request.method == "POST" else None,
        initial={"psychologists": list(shared)},
        psychologists=choices,
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.share_clinical_note(
                note, acting_user=request.user, psychologists=form.cleaned_data["psychologists"]
            ),
        ):
            messages.success(request, "Le partage de la note clinique a été enregistré.")
            return redirect("households:clinical_notes", uuid=household.uuid)
    notes_url = reverse("households:clinical_notes", args=[household.uuid])
    return form_page(
        request,
        form,
        title=f"Partager la note du {timezone.localtime(note.written_at):%d/%m/%Y à %H:%M}",
        crumbs=[*household_crumbs(household), (notes_url, "Notes cliniques")],
        intro="Vous seul·e décidez qui lit vos notes cliniques, parmi les psychologues à qui le "
        "ménage est aussi adressé (une collègue qui reprend le suivi, par exemple). Ni "
        "l'équipe ni le responsable de service ne les lisent. Chaque partage et chaque retrait "
        "sont enregistrés.",
        submit="Enregistrer le partage",
    )


# ---- social notes shared with a landlord (or the national platform) ----------------------


def _social_note_consents(user, day):
    scopes = [
        s for s, actions in CONSENT_SCOPE_ACTIONS.items() if Action.VIEW_SOCIAL_NOTE in actions
    ]
    return Consent.objects.valid_on(day).filter(
        household=OuterRef("pk"), recipient=user.organisation_id, scope__in=scopes
    )


@policy(read=Action.VIEW_SOCIAL_NOTE)
def shared_notes(request):
    """The social notes that households consented to share with the user's organisation."""
    today = timezone.localdate()
    consents = _social_note_consents(request.user, today)
    households = (
        Household.objects.visible_to(request.user, Action.VIEW_SOCIAL_NOTE)
        .filter(Exists(consents))
        .annotate(
            consent_until=Subquery(
                consents.values("household").annotate(until=Max("expires_on")).values("until")
            )
        )
        .order_by("ref", "pk")
    )
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    with transaction.atomic():
        rows = list(page.object_list)
        for household in rows:
            record_access(request.user, AccessLog.Action.VIEW, household)
    return render(
        request,
        "households/shared_notes.html",
        {"page_obj": page, "households": rows, "today": today, "query_without_page": ""},
    )
