"""URLs of sign-in and sign-out, « Mon compte » and the second-factor step."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from seuil.core.views_policy import policy

from . import twofactor_views, views
from .twofactor import two_factor_not_required

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=views.LoginForm
        ),
        name="login",
    ),
    path(
        "deconnexion/",
        policy(read=None)(two_factor_not_required(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    # The one-time link of a new account: choose one's password (public, the token opens it).
    path(
        "compte/activer/<uidb64>/<token>/",
        login_not_required(views.SetPasswordView.as_view()),
        name="password_set",
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
