from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("semaine/", views.week, name="week"),
    path("semaine/agenda.ics", views.week_calendar, name="calendar"),
    path("semaine/mon-agenda/", views.my_calendar, name="my_calendar"),
    path("agenda/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
    path("referents/", views.caseloads, name="caseloads"),
    path("referents/reaffecter/", views.reassign, name="reassign"),
    path("echeances/", views.due_page, name="due"),
    path("tableau-de-bord/", views.dashboard_page, name="dashboard"),
    path("dispositifs/<uuid:uuid>/reglages/", views.programme_settings, name="settings"),
    path("sejours/<uuid:stay>/contrat/", views.contract_sign, name="contract_sign"),
    path("sejours/<uuid:stay>/intensite/", views.intensity_change, name="intensity"),
    path("contrats/<uuid:uuid>/avenant/", views.amendment_add, name="amendment_add"),
    path("contrats/<uuid:uuid>/imprimer/", views.contract_print, name="contract_print"),
    path("menages/<uuid:uuid>/objectif/", views.objective_add, name="objective_add"),
    path(
        "menages/<uuid:uuid>/objectifs-proposes/",
        views.objectives_propose,
        name="objectives_propose",
    ),
    path("menages/<uuid:uuid>/contact/", views.contact_add, name="contact_add"),
    path("menages/<uuid:uuid>/referent/", views.referent_assign, name="referent_assign"),
    path("objectifs/<uuid:uuid>/cloture/", views.objective_close, name="objective_close"),
    path("contacts/<uuid:uuid>/compte-rendu/", views.contact_report, name="contact_report"),
    path("menages/<uuid:uuid>/revue/", views.review_add, name="review_add"),
    path("revues/", views.reviews, name="reviews"),
    path("revues/<uuid:uuid>/", views.review_edit, name="review"),
    path("reunions/", views.meetings, name="meetings"),
    path("reunions/nouvelle/", views.meeting_add, name="meeting_add"),
    path("reunions/<uuid:uuid>/", views.meeting_detail, name="meeting"),
    path("reunions/<uuid:uuid>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<uuid:uuid>/compte-rendu.pdf", views.meeting_minutes, name="minutes"),
    path(
        "menages/<uuid:uuid>/orientation-partenaire/",
        views.partner_referral_add,
        name="partner_referral_add",
    ),
    path(
        "orientations-partenaires/<uuid:uuid>/resultat/",
        views.partner_referral_result,
        name="partner_referral_result",
    ),
    path(
        "menages/<uuid:uuid>/personnes/<uuid:person>/emploi/",
        views.employment_add,
        name="employment_add",
    ),
    path(
        "menages/<uuid:uuid>/personnes/<uuid:person>/formation/",
        views.training_add,
        name="training_add",
    ),
    path(
        "menages/<uuid:uuid>/personnes/<uuid:person>/francais/",
        views.french_level_add,
        name="french_level_add",
    ),
    path("emplois/<uuid:uuid>/corriger/", views.employment_correct, name="employment_correct"),
    path("emplois/<uuid:uuid>/supprimer/", views.employment_delete, name="employment_delete"),
    path("formations/<uuid:uuid>/corriger/", views.training_correct, name="training_correct"),
    path("formations/<uuid:uuid>/supprimer/", views.training_delete, name="training_delete"),
    path(
        "niveaux-de-francais/<uuid:uuid>/corriger/",
        views.french_level_correct,
        name="french_level_correct",
    ),
    path(
        "niveaux-de-francais/<uuid:uuid>/supprimer/",
        views.french_level_delete,
        name="french_level_delete",
    ),
]
