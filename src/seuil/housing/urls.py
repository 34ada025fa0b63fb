from django.urls import path

from . import document_views, views

app_name = "housing"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("nouveau/", views.unit_create, name="create"),
    path("<uuid:uuid>/", views.unit_detail, name="detail"),
    path("<uuid:uuid>/modifier/", views.unit_edit, name="edit"),
    path("<uuid:uuid>/entree/", views.unit_enter, name="enter"),
    path("sejours/<uuid:stay>/sortie/", views.stay_exit, name="exit"),
    path(
        "<uuid:uuid>/documents/ajouter/",
        document_views.unit_document_add,
        name="add_unit_document",
    ),
    path(
        "sejours/<uuid:stay>/documents/ajouter/",
        document_views.stay_document_add,
        name="add_stay_document",
    ),
    path("documents/<uuid:document>/", document_views.document_download, name="document"),
    path(
        "<uuid:uuid>/documents/<uuid:document>/supprimer/",
        document_views.unit_document_delete,
        name="delete_unit_document",
    ),
    path(
        "sejours/<uuid:stay>/documents/<uuid:document>/supprimer/",
        document_views.stay_document_delete,
        name="delete_stay_document",
    ),
]
