from django.urls import path

from . import mobility_views as views

app_name = "mobility"
urlpatterns = [
    path("", views.files, name="files"),
    path("ouvrir/", views.open_file, name="open"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/etape/", views.step, name="step"),
    path("<uuid:uuid>/rencontre/", views.meeting, name="meeting"),
    path("<uuid:uuid>/dossier/", views.transfer, name="transfer"),
    path("territoires/", views.territories, name="territories"),
    path("territoires/nouveau/", views.territory_edit, name="territory_create"),
    path("territoires/<uuid:uuid>/", views.territory, name="territory"),
    path("territoires/<uuid:uuid>/modifier/", views.territory_edit, name="territory_edit"),
]
