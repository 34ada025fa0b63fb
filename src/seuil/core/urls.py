from django.urls import path

from . import organisation_pages as settings_pages
from . import views

urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
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
