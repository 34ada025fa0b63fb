from django.urls import path

from . import views

app_name = "housing"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("nouveau/", views.unit_create, name="create"),
    path("<uuid:uuid>/", views.unit_detail, name="detail"),
    path("<uuid:uuid>/modifier/", views.unit_edit, name="edit"),
    path("<uuid:uuid>/entree/", views.unit_enter, name="enter"),
    path("sejours/<uuid:stay>/sortie/", views.stay_exit, name="exit"),
    path("sejours/<uuid:stay>/corriger/", views.stay_correct, name="correct_stay"),
    path("sejours/<uuid:stay>/supprimer/", views.stay_delete, name="delete_stay"),
]
