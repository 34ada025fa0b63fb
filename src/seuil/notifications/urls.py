"""The inbox, the e-mail preferences and « Mes tâches »."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/courriels/", views.preferences, name="preferences"),
    path("taches/", views.todo, name="todo"),
]
