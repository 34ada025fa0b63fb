from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("modele.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("<uuid:uuid>/", views.import_detail, name="import_detail"),
]
