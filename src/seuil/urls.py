from django.urls import include, path

urlpatterns = [
    path("", include("seuil.home.urls")),
    path("", include("seuil.core.urls")),
    path("", include("seuil.accounts.urls")),
    path("menages/", include("seuil.households.urls")),
    path("logements/", include("seuil.housing.urls")),
    path("rapports/", include("seuil.reports.urls")),
    path("orientation/", include("seuil.orientation.urls")),
    path("appariement/", include("seuil.matching.urls")),
    path("api/v1/", include("seuil.api_urls")),
]
