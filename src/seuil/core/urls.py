from django.urls import path

from . import download_views, views
from . import organisation_pages as settings_pages

urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
    path(
        "telechargements/<uuid:uuid>/",
        download_views.prepared_download,
        name="prepared_download",
    ),
    path(
        "telechargements/<uuid:uuid>/fichier/",
        download_views.prepared_download_file,
        name="prepared_download_file",
    ),
    path("parametres/", settings_pages.settings_page, name="organisation_settings"),
    path("parametres/siao-et-plateforme/", settings_pages.chain_page, name="organisation_chain"),
    path("parametres/partenaires/", settings_pages.partner_list, name="partners"),
    path("parametres/partenaires/nouveau/", settings_pages.partner_create, name="partner_create"),
    path(
        "parametres/partenaires/<uuid:uuid>/modifier/",
        settings_pages.partner_edit,
        name="partner_edit",
    ),
    path(
        "parametres/partenaires/<uuid:uuid>/activite/",
        settings_pages.partner_active,
        name="partner_active",
    ),
]
