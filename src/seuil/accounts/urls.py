"""URLs of sign-in and sign-out, « Mon compte » and the second-factor step."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from seuil.core.views_policy import policy

from . import administration_views, sso, twofactor_views, views
from .twofactor import two_factor_not_required

urlpatterns = [
    path(
        "connexion/",
        views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=views.LoginForm
        ),
        name="login",
    ),
    # Single sign-on (OpenID Connect, e.g. ProConnect): 404 unless the instance configures it.
    path("connexion/sso/", sso.authenticate, name="oidc_authentication_init"),
    path("connexion/sso/retour/", sso.callback, name="oidc_authentication_callback"),
    path(
        "invitation/<str:token>/",
        administration_views.accept_invitation,
        name="invitation_accept",
    ),
    path("administration/utilisateurs/", include("seuil.accounts.administration_urls")),
    path(
        "deconnexion/",
        policy(read=None)(two_factor_not_required(sso.logout)),
        name="logout",
    ),
    path("compte/", views.account, name="account"),
    path(
        "compte/mot-de-passe/",
        policy(read=None)(
            auth_views.PasswordChangeView.as_view(form_class=views.ChangePasswordForm)
        ),
        name="password_change",
    ),
    path(
        "compte/mot-de-passe/modifie/",
        policy(read=None)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("compte/jetons/", views.api_tokens, name="api_tokens"),
    path(
        "compte/jetons/<uuid:uuid>/revoquer/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path(
        "compte/jetons/<uuid:uuid>/renouveler/",
        views.api_token_renew,
        name="api_token_renew",
    ),
    path("compte/codes-de-secours/", twofactor_views.recovery_codes, name="recovery_codes"),
    path("double-authentification/", twofactor_views.verify, name="two_factor_verify"),
    path("double-authentification/activer/", twofactor_views.setup, name="two_factor_setup"),
    path("double-authentification/qr-code.svg", twofactor_views.qr_code, name="two_factor_qr"),
]
