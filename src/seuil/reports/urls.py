from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("activite/", views.activity, name="activity"),
    path("activite/telecharger/", views.download, name="download"),
    path("pilotage/", views.steering, name="steering"),
    path("qualite-des-donnees/", views.data_quality, name="data_quality"),
]
