"""The URLs of every app. The right-of-access downloads (privacy) sit among the household
pages, in their namespace (`households:subject_access_json`)."""

from django.urls import include, path

from seuil.households import search_views
from seuil.households import urls as household_urls
from seuil.privacy import urls as privacy_urls

household_pages = [*household_urls.urlpatterns, *privacy_urls.household_urlpatterns]

urlpatterns = [
    path("", include("seuil.home.urls")),
    path("", include("seuil.core.urls")),
    path("", include("seuil.accounts.urls")),
    path("", include("seuil.notifications.urls")),
    path("menages/", include((household_pages, household_urls.app_name))),
    path("recherche/", search_views.search_page, name="search"),
    path("logements/", include("seuil.housing.urls")),
    path("rapports/", include("seuil.reports.urls")),
    path("orientation/", include("seuil.orientation.urls")),
    path("appariement/", include("seuil.matching.urls")),
    path("gestion-locative/", include("seuil.tenancy.urls")),
    path("accompagnement/", include("seuil.support.urls")),
    path("suivi/", include("seuil.outcomes.urls")),
    path("mobilite/", include("seuil.outcomes.mobility_urls")),
    path("import-export/", include("seuil.exchange.urls")),
    path("api/v1/", include("seuil.api_urls")),
]

handler400 = "seuil.core.error_views.bad_request"
handler404 = "seuil.core.error_views.page_not_found"
handler500 = "seuil.core.error_views.server_error"
