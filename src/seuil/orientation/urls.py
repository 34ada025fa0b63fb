from django.urls import path

from . import dashboard, exports, placement_views, views

app_name = "orientation"
urlpatterns = [
    path("", views.index, name="index"),
    # requests and assessments
    path("demandes/", views.request_list, name="requests"),
    path("demandes/nouvelle/", views.request_create, name="request_create"),
    path("demandes/<uuid:uuid>/", views.request_detail, name="request_detail"),
    path("demandes/<uuid:uuid>/evaluation/", views.assess, name="assess"),
    path("demandes/<uuid:uuid>/retirer/", views.request_withdraw, name="request_withdraw"),
    # commission
    path("commissions/", views.meeting_list, name="meetings"),
    path("commissions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("commissions/<uuid:uuid>/", views.meeting_detail, name="meeting_detail"),
    path("commissions/<uuid:uuid>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("commissions/<uuid:uuid>/ordre-du-jour/", views.meeting_agenda, name="meeting_agenda"),
    path(
        "commissions/<uuid:uuid>/decision/<uuid:request_uuid>/",
        views.decide,
        name="decide",
    ),
    path(
        "commissions/<uuid:uuid>/proces-verbal.pdf",
        views.meeting_minutes,
        name="meeting_minutes",
    ),
    # waiting lists
    path("listes-d-attente/", placement_views.waiting_list_index, name="waiting_lists"),
    path(
        "listes-d-attente/<uuid:uuid>/",
        placement_views.waiting_list_detail,
        name="waiting_list",
    ),
    path("listes-d-attente/export/", exports.waiting_export, name="waiting_export"),
    path("priorites/", placement_views.priority_weights, name="priority_weights"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    # vacancies and proposals
    path("vacances/", placement_views.vacancy_list, name="vacancies"),
    path("vacances/declarer/", placement_views.vacancy_declare, name="vacancy_declare"),
    path("vacances/<uuid:uuid>/", placement_views.vacancy_detail, name="vacancy_detail"),
    path("vacances/<uuid:uuid>/fermer/", placement_views.vacancy_close, name="vacancy_close"),
    path("vacances/<uuid:uuid>/proposer/", placement_views.propose, name="propose"),
    path("propositions/", placement_views.proposal_list, name="proposals"),
    path("propositions/<uuid:uuid>/", placement_views.proposal_detail, name="proposal_detail"),
    path(
        "propositions/<uuid:uuid>/reponse/",
        placement_views.proposal_answer,
        name="proposal_answer",
    ),
    path(
        "propositions/<uuid:uuid>/retirer/",
        placement_views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "propositions/<uuid:uuid>/entree/",
        placement_views.proposal_enter,
        name="proposal_enter",
    ),
]
