from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .twofactor import two_factor_not_required
from .views_policy import policy

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "deconnexion/",
        policy(read=None)(two_factor_not_required(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("", include("seuil.core.account_urls")),
]
