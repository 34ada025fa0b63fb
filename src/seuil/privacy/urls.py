"""The right-of-access downloads, under the household pages (`seuil/urls.py` puts them in
the ``households`` namespace: `households:subject_access_json`, `…_pdf`)."""

from django.urls import path

from . import views

household_urlpatterns = [
    path(
        "personnes/<uuid:uuid>/droit-d-acces.json",
        views.person_subject_access,
        {"fmt": "json"},
        name="subject_access_json",
    ),
    path(
        "personnes/<uuid:uuid>/droit-d-acces.pdf",
        views.person_subject_access,
        {"fmt": "pdf"},
        name="subject_access_pdf",
    ),
]
