"""Administration › Utilisateurs (namespace "users")."""

from django.urls import path

from . import administration_views as views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("inviter/", views.invite, name="invite"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/role/", views.change_role, name="role"),
    path("<uuid:uuid>/desactiver/", views.deactivate, name="deactivate"),
    path("<uuid:uuid>/reactiver/", views.reactivate, name="reactivate"),
    path(
        "<uuid:uuid>/double-authentification/",
        views.reset_second_factor,
        name="reset_second_factor",
    ),
    path("<uuid:uuid>/invitation/renvoyer/", views.resend_invitation, name="resend_invitation"),
    path("<uuid:uuid>/invitation/annuler/", views.revoke_invitation, name="revoke_invitation"),
]
