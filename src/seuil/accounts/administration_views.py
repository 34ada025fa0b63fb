"""Administration › Utilisateurs: the accounts of the organisation, and what its
administrator changes on them (each change a POST, after a confirmation page)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.forms import add_service_errors, run_service
from seuil.core.history import field_changes, role_label
from seuil.core.models import ChangeRecord, User
from seuil.core.pages import form_page
from seuil.core.permissions import can_manage_users
from seuil.core.plausibility import validate_text
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import administration, twofactor
from .invitations import InvitationUnusable, usable_invitation
from .models import Invitation
from .views import CHOICE_RULES_HELP


def _crumbs(account=None):
    crumbs = [(reverse("users:list"), "Utilisateurs")]
    if account is not None:
        crumbs.append(
            (
                reverse("users:detail", kwargs={"uuid": account.uuid}),
                administration.display_name(account),
            )
        )
    return crumbs


def _account(request, uuid):
    """The account of the URL, among those of the user's organisation (404 otherwise)."""
    return get_object_or_404(administration.users_visible_to(request.user), uuid=uuid)


class InviteForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150, validators=[validate_text])
    last_name = forms.CharField(
        label="Nom", max_length=150, required=False, validators=[validate_text]
    )
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=150,
        help_text="L'invitation y est envoyée ; elle sert aussi d'identifiant de connexion.",
        validators=[validate_text],
    )
    role = forms.ChoiceField(label="Rôle", choices=[("", "Choisir un rôle"), *Role.choices])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Nouveau rôle", choices=[("", "Choisir un rôle"), *Role.choices])


class AcceptForm(SetPasswordForm):
    """Django's choice of a new password (twice), with the rules in one plain sentence."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = CHOICE_RULES_HELP


@policy(read=Action.VIEW_USERS)
def user_list(request):
    """Utilisateurs : les comptes de l'organisation, leur rôle et leur état."""
    accounts = administration.with_state(administration.users_visible_to(request.user)).order_by(
        "-is_active", "last_name", "first_name", "username"
    )
    return render(
        request,
        "accounts/users/list.html",
        {"accounts": list(accounts), "may_manage": can_manage_users(request.user)},
    )


@policy(Action.MANAGE_USERS)
def invite(request):
    """Inviter une personne : prénom, nom, adresse électronique, rôle."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            lambda: administration.invite_user(
                organisation=request.user.organisation, by=request.user, **form.cleaned_data
            ),
        )
        if result:
            account, invitation = result
            messages.success(
                request,
                f"Invitation envoyée à {account.email} : le lien est valable jusqu'au "
                f"{invitation.expires_at:%d/%m/%Y}.",
            )
            return redirect("users:detail", uuid=account.uuid)
    return form_page(
        request,
        form,
        title="Inviter une personne",
        crumbs=_crumbs(),
        intro=(
            "Seuil envoie à la personne un lien, valable 7 jours et utilisable une fois, pour "
            "choisir son mot de passe ; elle installe ensuite une application "
            "d'authentification sur son téléphone."
        ),
        submit="Envoyer l'invitation",
    )


# What the account's history shows of an invitation's record: its dates, not the rows it
# points to nor the bookkeeping of its e-mail.
HIDDEN_INVITATION_FIELDS = {"user", "sent_by", "emailed_at", "email_attempts"}


def _history(account):
    """The last changes of the account and of its invitations, newest first, in French."""
    uuids = [account.uuid, *Invitation.objects.filter(user=account).values_list("uuid", flat=True)]
    records = ChangeRecord.objects.filter(object_uuid__in=uuids).select_related("user")[:50]
    rows = []
    for record in records:
        invitation = record.object_type == "invitation"
        model = Invitation if invitation else User
        record.changes = {
            name: values
            for name, values in record.changes.items()
            if not (invitation and name in HIDDEN_INVITATION_FIELDS)
        }
        rows.append(
            {
                "at": record.at,
                "who": administration.display_name(record.user)
                if record.user
                else "Commande « seuil » sur le serveur",
                "role": role_label(record.role),
                "what": "Invitation" if invitation else "Compte",
                "action": record.get_action_display(),
                "kind": record.action,
                "changes": field_changes(record, model),
            }
        )
    return rows


@policy(read=Action.VIEW_USERS, write=Action.MANAGE_USERS)
def detail(request, uuid):
    """Un compte : identité, rôle, état, double authentification, invitations, historique."""
    account = _account(request, uuid)
    account = administration.with_state(type(account).objects.filter(pk=account.pk)).get()
    return render(
        request,
        "accounts/users/detail.html",
        {
            "account": account,
            "accepted": administration.has_accepted(account),
            "invitations": account.invitations.select_related("sent_by")[:5],
            "history": _history(account),
            "may_manage": can_manage_users(request.user),
            "is_self": account.pk == request.user.pk,
        },
    )


@policy(Action.MANAGE_USERS)
def change_role(request, uuid):
    """Changer le rôle d'un compte."""
    account = _account(request, uuid)
    form = RoleForm(request.POST or None, initial={"role": account.role})
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: administration.change_role(account, form.cleaned_data["role"], by=request.user),
        )
        if changed:
            messages.success(
                request,
                f"{administration.display_name(changed)} a maintenant le rôle "
                f"« {changed.get_role_display()} ».",
            )
            return redirect("users:detail", uuid=account.uuid)
    return form_page(
        request,
        form,
        title=f"Changer le rôle de {administration.display_name(account)}",
        crumbs=_crumbs(account),
        intro=(
            f"Rôle actuel : {account.get_role_display() or 'aucun'}. Le rôle décide de ce que "
            "la personne voit et fait dans Seuil, dès sa prochaine page."
        ),
        submit="Changer le rôle",
    )


def _confirmed_action(request, account, *, service, title, intro, submit, done):
    """A confirmation page, then the change by POST: `service(account, by=…)`."""
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if run_service(form, lambda: service(account, by=request.user)):
            messages.success(request, done)
            return redirect("users:detail", uuid=account.uuid)
    return form_page(
        request, form, title=title, crumbs=_crumbs(account), intro=intro, submit=submit
    )


@policy(Action.MANAGE_USERS)
def deactivate(request, uuid):
    """Désactiver un compte (après confirmation)."""
    account = _account(request, uuid)
    name = administration.display_name(account)
    return _confirmed_action(
        request,
        account,
        service=administration.deactivate,
        title=f"Désactiver le compte de {name}",
        intro=(
            "La personne ne pourra plus se connecter, ni utiliser ses jetons d'API ; ce qu'elle "
            "a saisi reste dans Seuil. Vous pourrez réactiver le compte plus tard."
        ),
        submit="Désactiver le compte",
        done=f"Le compte de {name} est désactivé.",
    )


@policy(Action.MANAGE_USERS)
def reactivate(request, uuid):
    """Réactiver un compte désactivé (après confirmation)."""
    account = _account(request, uuid)
    name = administration.display_name(account)
    return _confirmed_action(
        request,
        account,
        service=administration.reactivate,
        title=f"Réactiver le compte de {name}",
        intro="La personne pourra de nouveau se connecter, avec son mot de passe habituel.",
        submit="Réactiver le compte",
        done=f"Le compte de {name} est réactivé.",
    )


@policy(Action.MANAGE_USERS)
def reset_second_factor(request, uuid):
    """Réinitialiser la double authentification d'un compte (après confirmation)."""
    account = _account(request, uuid)
    name = administration.display_name(account)
    return _confirmed_action(
        request,
        account,
        service=administration.reset_second_factor,
        title=f"Réinitialiser la double authentification de {name}",
        intro=(
            "Pour un téléphone perdu ou changé : l'application d'authentification et les codes "
            "de secours de la personne ne fonctionneront plus. À sa prochaine connexion, elle "
            "installera une nouvelle application. Si son téléphone a pu être volé, qu'elle "
            "change aussi son mot de passe."
        ),
        submit="Réinitialiser la double authentification",
        done=f"Double authentification de {name} réinitialisée : elle sera à réactiver à la "
        "prochaine connexion.",
    )


@policy(Action.MANAGE_USERS)
def resend_invitation(request, uuid):
    """Renvoyer l'invitation d'un compte (un nouveau lien ; l'ancien ne sert plus)."""
    account = _account(request, uuid)
    return _confirmed_action(
        request,
        account,
        service=administration.resend_invitation,
        title=f"Renvoyer l'invitation à {administration.display_name(account)}",
        intro=(
            f"Seuil envoie un nouveau lien à {account.email}, valable 7 jours ; le lien "
            "précédent ne fonctionne plus."
        ),
        submit="Renvoyer l'invitation",
        done=f"Nouvelle invitation envoyée à {account.email}.",
    )


@policy(Action.MANAGE_USERS)
def revoke_invitation(request, uuid):
    """Annuler l'invitation d'un compte (son lien ne sert plus)."""
    account = _account(request, uuid)
    return _confirmed_action(
        request,
        account,
        service=administration.revoke_invitation,
        title=f"Annuler l'invitation de {administration.display_name(account)}",
        intro=(
            "Le lien envoyé ne fonctionnera plus ; le compte reste inactif. Vous pourrez "
            "renvoyer une invitation plus tard."
        ),
        submit="Annuler l'invitation",
        done="Invitation annulée : son lien ne fonctionne plus.",
    )


# The invitee ----------------------------------------------------------------------------

UNUSABLE_REASONS = {
    "unknown": "Ce lien d'invitation n'est pas valable. Vérifiez qu'il est complet.",
    "used": "Ce lien d'invitation a déjà servi : votre compte est activé. Connectez-vous avec "
    "votre identifiant et votre mot de passe.",
    "revoked": "Cette invitation a été annulée ou remplacée par une plus récente : utilisez le "
    "lien du dernier courriel reçu, ou demandez une nouvelle invitation.",
    "expired": "Ce lien d'invitation a expiré (il est valable 7 jours). Demandez à la personne "
    "qui administre Seuil dans votre organisation de vous renvoyer une invitation.",
}


def _no_referrer(response):
    """The link's token is in the URL: no page it leads to may learn it."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unusable(request, unusable):
    return _no_referrer(
        render(
            request,
            "accounts/invitation_unusable.html",
            {"reason": UNUSABLE_REASONS[unusable.reason], "used": unusable.reason == "used"},
            status=404 if unusable.reason == "unknown" else 410,
        )
    )


@login_not_required
@twofactor.two_factor_not_required
def accept_invitation(request, token):
    """The invitee chooses a password through the link, then sets a second factor up."""
    try:
        invitation = usable_invitation(token)
    except InvitationUnusable as unusable:
        return _unusable(request, unusable)
    account = invitation.user
    form = AcceptForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = administration.accept_invitation(token, form.cleaned_data["new_password1"])
        except InvitationUnusable as unusable:
            return _unusable(request, unusable)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.user.is_authenticated:
                logout(request)
            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                "Votre mot de passe est enregistré. Dernière étape : la double authentification.",
            )
            next_step = twofactor.second_factor_url(account) if twofactor.required() else "home"
            return _no_referrer(redirect(next_step))
    return _no_referrer(
        render(
            request,
            "accounts/invitation_accept.html",
            {"form": form, "account": account, "invitation": invitation},
        )
    )
