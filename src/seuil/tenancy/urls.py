from django.urls import path

from . import bank_views, document_views, upkeep_views, views

app_name = "tenancy"
urlpatterns = [
    path("", views.month, name="month"),
    path("sous-locations/<uuid:uuid>/", views.account, name="account"),
    path("sous-locations/<uuid:uuid>/modifier/", views.sub_lease_edit, name="sub_lease_edit"),
    path("sous-locations/<uuid:uuid>/paiement/", views.payment_create, name="payment_create"),
    path("sous-locations/<uuid:uuid>/echeancier/", views.plan_create, name="plan_create"),
    path("sejours/<uuid:stay>/sous-location/", views.sub_lease_create, name="sub_lease_create"),
    path(
        "logements/<uuid:unit>/etat-des-lieux/",
        views.inspection_create,
        name="inspection_create",
    ),
    path("etats-des-lieux/<uuid:uuid>/", upkeep_views.inspection, name="inspection"),
    path(
        "etats-des-lieux/<uuid:uuid>/piece/",
        upkeep_views.inspection_room,
        name="inspection_room",
    ),
    path(
        "etats-des-lieux/<uuid:uuid>/pieces/<uuid:room>/",
        upkeep_views.inspection_room,
        name="inspection_room_edit",
    ),
    path(
        "etats-des-lieux/<uuid:uuid>/reprendre-les-pieces/",
        upkeep_views.inspection_copy_rooms,
        name="inspection_copy_rooms",
    ),
    path(
        "etats-des-lieux/<uuid:uuid>/compteur/",
        upkeep_views.inspection_meter,
        name="inspection_meter",
    ),
    path("etats-des-lieux/<uuid:uuid>/cles/", upkeep_views.inspection_keys, name="inspection_keys"),
    path(
        "etats-des-lieux/<uuid:uuid>/signatures/",
        upkeep_views.inspection_signatures,
        name="inspection_signatures",
    ),
    path("etats-des-lieux/<uuid:uuid>/pdf/", upkeep_views.inspection_pdf, name="inspection_pdf"),
    path(
        "etats-des-lieux/<uuid:uuid>/comparaison/",
        upkeep_views.inspection_compare,
        name="inspection_compare",
    ),
    path("logements/<uuid:unit>/reparation/", upkeep_views.repair_create, name="repair_create"),
    path("reparations/<uuid:uuid>/modifier/", upkeep_views.repair_edit, name="repair_edit"),
    path("reparations/<uuid:uuid>/statut/", upkeep_views.repair_move, name="repair_move"),
    path(
        "menages/<uuid:household>/assurance/",
        upkeep_views.insurance_create,
        name="insurance_create",
    ),
    path("assurances/<uuid:uuid>/", upkeep_views.insurance_edit, name="insurance_edit"),
    path("appels/<uuid:uuid>/corriger/", views.rent_call_edit, name="rent_call_edit"),
    path(
        "sous-locations/<uuid:uuid>/prevention/",
        views.prevention_open,
        name="prevention_open",
    ),
    path("prevention/<uuid:uuid>/", views.prevention_step, name="prevention_step"),
    path("sous-locations/<uuid:uuid>/contrat.pdf", document_views.contract, name="contract_pdf"),
    path(
        "sous-locations/<uuid:uuid>/convention.pdf",
        document_views.convention,
        name="convention_pdf",
    ),
    path(
        "sous-locations/<uuid:uuid>/regularisation/",
        document_views.regularisation_create,
        name="regularisation_create",
    ),
    path(
        "sous-locations/<uuid:uuid>/apl/",
        document_views.benefit_receipt_create,
        name="benefit_receipt_create",
    ),
    path("appels/<uuid:uuid>/avis.pdf", document_views.notice, name="notice_pdf"),
    path("appels/<uuid:uuid>/quittance.pdf", document_views.receipt, name="receipt_pdf"),
    path("appels/<uuid:uuid>/remise/", document_views.delivery, name="delivery"),
    path("prevention/<uuid:uuid>/ccapex.pdf", document_views.ccapex, name="ccapex_pdf"),
    path("releves/", bank_views.statements, name="bank"),
    path("releves/colonnes/", bank_views.csv_mapping, name="bank_mapping"),
]
