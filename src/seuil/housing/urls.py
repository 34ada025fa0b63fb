from django.urls import path

from . import document_views, views
from . import reference_views as settings

app_name = "housing"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("nouveau/", views.unit_create, name="create"),
    path("<uuid:uuid>/", views.unit_detail, name="detail"),
    path("<uuid:uuid>/modifier/", views.unit_edit, name="edit"),
    path("<uuid:uuid>/entree/", views.unit_enter, name="enter"),
    path("sejours/<uuid:stay>/sortie/", views.stay_exit, name="exit"),
    # The organisation's settings: programmes, sectors, landlords and their space in Seuil.
    path("dispositifs/", settings.programme_list, name="programmes"),
    path("dispositifs/nouveau/", settings.programme_create, name="programme_create"),
    path("dispositifs/<uuid:uuid>/", settings.programme_edit, name="programme_edit"),
    path("dispositifs/<uuid:uuid>/supprimer/", settings.programme_delete, name="programme_delete"),
    path("secteurs/", settings.sector_list, name="sectors"),
    path("secteurs/nouveau/", settings.sector_create, name="sector_create"),
    path("secteurs/<uuid:uuid>/", settings.sector_edit, name="sector_edit"),
    path("secteurs/<uuid:uuid>/supprimer/", settings.sector_delete, name="sector_delete"),
    path("bailleurs/", settings.landlord_list, name="landlords"),
    path("bailleurs/nouveau/", settings.landlord_create, name="landlord_create"),
    path("bailleurs/<uuid:uuid>/", settings.landlord_edit, name="landlord_edit"),
    path("bailleurs/<uuid:uuid>/supprimer/", settings.landlord_delete, name="landlord_delete"),
    path("bailleurs/<uuid:uuid>/espace/", settings.landlord_space, name="landlord_space"),
    path("bailleurs/<uuid:uuid>/organisation/", settings.landlord_link, name="landlord_link"),
    path("sejours/<uuid:stay>/corriger/", views.stay_correct, name="correct_stay"),
    path("sejours/<uuid:stay>/supprimer/", views.stay_delete, name="delete_stay"),
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
