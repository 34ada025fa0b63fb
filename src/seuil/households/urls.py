from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("nouveau/", views.household_create, name="create"),
    path("<uuid:uuid>/", views.household_detail, name="detail"),
    path("<uuid:uuid>/modifier/", views.household_edit, name="edit"),
    path("<uuid:uuid>/membres/ajouter/", views.member_add, name="add_member"),
    path(
        "<uuid:uuid>/membres/<uuid:membership>/modifier/",
        views.member_edit,
        name="edit_member",
    ),
    path(
        "<uuid:uuid>/personnes/<uuid:person>/statut/",
        views.legal_status_add,
        name="add_legal_status",
    ),
    path("<uuid:uuid>/ressources/", views.resources_add, name="add_resources"),
]
