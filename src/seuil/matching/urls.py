from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("<uuid:uuid>/", views.run_detail, name="run_detail"),
    path("<uuid:uuid>/propositions/", views.accept_pairs, name="accept_pairs"),
    path("emploi/", views.employment_scores, name="employment_scores"),
]
