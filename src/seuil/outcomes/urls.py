from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("a-faire/", views.due, name="due"),
    path("resultats/", views.outcomes, name="outcomes"),
    path("sejours/<uuid:stay>/", views.stay_follow_ups, name="stay"),
    path("sejours/<uuid:stay>/nouveau/", views.record, name="record"),
    path("sejours/<uuid:stay>/lien/", views.issue_link, name="issue_link"),
    path("sejours/<uuid:stay>/preparation-sortie/", views.checklist, name="checklist"),
    path("<uuid:uuid>/modifier/", views.edit, name="edit"),
    # The household's own pages: no account.
    path("reponse/ce-que-nous-gardons/", views.what_we_keep, name="what_we_keep"),
    path("reponse/<str:token>/", views.answer, name="answer"),
]
