from django.urls import path

from . import (
    correction_views,
    document_views,
    handover_views,
    merge_views,
    print_views,
    sensitive_views,
    traceability,
    views,
)

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("nouveau/", views.household_create, name="create"),
    path("<uuid:uuid>/", views.household_detail, name="detail"),
    path("<uuid:uuid>/modifier/", views.household_edit, name="edit"),
    path("<uuid:uuid>/membres/ajouter/", views.member_add, name="add_member"),
    path(
        "<uuid:uuid>/membres/<uuid:membership>/modifier/",
        views.member_edit,
        name="edit_member",
    ),
    path(
        "<uuid:uuid>/personnes/<uuid:person>/statut/",
        views.legal_status_add,
        name="add_legal_status",
    ),
    path("<uuid:uuid>/ressources/", views.resources_add, name="add_resources"),
    path(
        "<uuid:uuid>/personnes/<uuid:person>/coordonnees/",
        views.contact_details_add,
        name="add_contact_details",
    ),
    path("<uuid:uuid>/documents/ajouter/", document_views.document_add, name="add_document"),
    path(
        "<uuid:uuid>/documents/<uuid:document>/",
        document_views.document_download,
        name="document",
    ),
    path(
        "<uuid:uuid>/documents/<uuid:document>/supprimer/",
        document_views.document_delete,
        name="delete_document",
    ),
    path("<uuid:uuid>/historique/", traceability.household_history, name="history"),
    path("<uuid:uuid>/consultations/", traceability.household_access_log, name="access_log"),
    path("<uuid:uuid>/note-sociale/", sensitive_views.social_note_edit, name="social_note"),
    path("<uuid:uuid>/consentements/ajouter/", sensitive_views.consent_add, name="add_consent"),
    path(
        "<uuid:uuid>/consentements/<uuid:consent>/retirer/",
        sensitive_views.consent_revoke,
        name="revoke_consent",
    ),
    path(
        "<uuid:uuid>/psychologue/adresser/",
        sensitive_views.referral_add,
        name="refer_to_psychologist",
    ),
    path(
        "<uuid:uuid>/psychologue/<uuid:referral>/terminer/",
        sensitive_views.referral_end,
        name="end_clinical_referral",
    ),
    path("<uuid:uuid>/notes-cliniques/", sensitive_views.clinical_notes, name="clinical_notes"),
    path(
        "<uuid:uuid>/notes-cliniques/<uuid:note>/partage/",
        sensitive_views.clinical_note_share,
        name="share_clinical_note",
    ),
    path("notes-transmises/", sensitive_views.shared_notes, name="shared_notes"),
    path("<uuid:uuid>/transmettre/", handover_views.handover, name="handover"),
    # Corrections of dated records entered by mistake
    path(
        "<uuid:uuid>/statuts/<uuid:record>/corriger/",
        correction_views.legal_status_correct,
        name="correct_legal_status",
    ),
    path(
        "<uuid:uuid>/statuts/<uuid:record>/supprimer/",
        correction_views.legal_status_delete,
        name="delete_legal_status",
    ),
    path(
        "<uuid:uuid>/ressources/<uuid:record>/corriger/",
        correction_views.resources_correct,
        name="correct_resources",
    ),
    path(
        "<uuid:uuid>/ressources/<uuid:record>/supprimer/",
        correction_views.resources_delete,
        name="delete_resources",
    ),
    path(
        "<uuid:uuid>/coordonnees/<uuid:record>/corriger/",
        correction_views.contact_details_correct,
        name="correct_contact_details",
    ),
    path(
        "<uuid:uuid>/coordonnees/<uuid:record>/supprimer/",
        correction_views.contact_details_delete,
        name="delete_contact_details",
    ),
    path(
        "<uuid:uuid>/membres/<uuid:membership>/supprimer/",
        correction_views.member_delete,
        name="delete_member",
    ),
    # Merging duplicate files
    path("<uuid:uuid>/fusionner/", merge_views.household_merge_search, name="merge"),
    path("<uuid:uuid>/fusionner/<uuid:other>/", merge_views.household_merge, name="merge_with"),
    path(
        "<uuid:uuid>/personnes/<uuid:person>/fusionner/",
        merge_views.person_merge,
        name="merge_person",
    ),
    path("<uuid:uuid>/fusions/<uuid:merge>/annuler/", merge_views.merge_undo, name="undo_merge"),
    # The printable file
    path("<uuid:uuid>/dossier.pdf", print_views.household_pdf, name="pdf"),
]
