"""URLs of « Mon compte » and of the second-factor step (included by core/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views, twofactor_views
from .views_policy import policy

urlpatterns = [
    path("compte/", account_views.account, name="account"),
    path(
        "compte/mot-de-passe/",
        policy(read=None)(
            auth_views.PasswordChangeView.as_view(form_class=account_views.ChangePasswordForm)
        ),
        name="password_change",
    ),
    path(
        "compte/mot-de-passe/modifie/",
        policy(read=None)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("compte/jetons/", account_views.api_tokens, name="api_tokens"),
    path(
        "compte/jetons/<uuid:uuid>/revoquer/",
        account_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("compte/codes-de-secours/", twofactor_views.recovery_codes, name="recovery_codes"),
    path("double-authentification/", twofactor_views.verify, name="two_factor_verify"),
    path("double-authentification/activer/", twofactor_views.setup, name="two_factor_setup"),
    path("double-authentification/qr-code.svg", twofactor_views.qr_code, name="two_factor_qr"),
]
