from django.urls import path

from . import dashboard, exports
from .views import commission, hub, proposals, requests, vacancies, waiting_lists

app_name = "orientation"
urlpatterns = [
    path("", hub.index, name="index"),
    # requests and assessments
    path("demandes/", requests.request_list, name="requests"),
    path("demandes/nouvelle/", requests.request_create, name="request_create"),
    path("demandes/<uuid:uuid>/", requests.request_detail, name="request_detail"),
    path("demandes/<uuid:uuid>/evaluation/", requests.assess, name="assess"),
    path("demandes/<uuid:uuid>/retirer/", requests.request_withdraw, name="request_withdraw"),
    path("demandes/<uuid:uuid>/commission/", commission.request_schedule, name="request_schedule"),
    # commission
    path("commissions/", commission.meeting_list, name="meetings"),
    path("commissions/nouvelle/", commission.meeting_create, name="meeting_create"),
    path("commissions/<uuid:uuid>/", commission.meeting_detail, name="meeting_detail"),
    path("commissions/<uuid:uuid>/modifier/", commission.meeting_edit, name="meeting_edit"),
    path(
        "commissions/<uuid:uuid>/ordre-du-jour/", commission.meeting_agenda, name="meeting_agenda"
    ),
    path(
        "commissions/<uuid:uuid>/decision/<uuid:request_uuid>/",
        commission.decide,
        name="decide",
    ),
    path(
        "commissions/<uuid:uuid>/proces-verbal.pdf",
        commission.meeting_minutes,
        name="meeting_minutes",
    ),
    # waiting lists
    path("listes-d-attente/", waiting_lists.waiting_list_index, name="waiting_lists"),
    path(
        "listes-d-attente/<uuid:uuid>/",
        waiting_lists.waiting_list_detail,
        name="waiting_list",
    ),
    path("listes-d-attente/export/", exports.waiting_export, name="waiting_export"),
    path("priorites/", waiting_lists.priority_weights, name="priority_weights"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    # vacancies and proposals
    path("vacances/", vacancies.vacancy_list, name="vacancies"),
    path("vacances/declarer/", vacancies.vacancy_declare, name="vacancy_declare"),
    path("vacances/<uuid:uuid>/", vacancies.vacancy_detail, name="vacancy_detail"),
    path("vacances/<uuid:uuid>/fermer/", vacancies.vacancy_close, name="vacancy_close"),
    path("vacances/<uuid:uuid>/proposer/", vacancies.propose, name="propose"),
    path("propositions/", proposals.proposal_list, name="proposals"),
    path("propositions/<uuid:uuid>/", proposals.proposal_detail, name="proposal_detail"),
    path(
        "propositions/<uuid:uuid>/reponse/",
        proposals.proposal_answer,
        name="proposal_answer",
    ),
    path(
        "propositions/<uuid:uuid>/retirer/",
        proposals.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "propositions/<uuid:uuid>/entree/",
        proposals.proposal_enter,
        name="proposal_enter",
    ),
]
