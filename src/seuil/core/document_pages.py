"""The pages of attached documents, shared by the apps that own documents (households:
a household or one of its members; housing: a unit or a stay): the upload form, the
download that every app serves the same way, the deletion's confirmation.

Each app's views find the owner and the document through their own scoped querysets
(`object_or_404`), declare their `@policy`, and call these helpers, which hold the rules:
the content checks (`documents.read_upload`), the audit (an access-log row on every
download, a change-history record on every upload and deletion).
"""

from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import render

from .audit import audited_save, record_access
from .documents import (
    ACCEPTED_LABEL,
    EXPIRY_REQUIRED,
    KINDS_WITH_EXPIRY,
    download_response,
    read_upload,
)
from .forms import date_field
from .history import DELETE, record_change, snapshot
from .models import AccessLog
from .pages import form_page
from .plausibility import validate_text


class DocumentForm(forms.Form):
    """A document to attach: its kind (among `kinds`), the file, its end of validity for an
    identity document or a residence permit, a short description. `choices` adds a field
    `about` (who the document concerns), `choices` being (value, label) pairs."""

    kind = forms.ChoiceField(label="Type de document")
    about = forms.ChoiceField(label="Document concernant", required=False)
    file = forms.FileField(
        label="Fichier",
        error_messages={"required": "Choisissez le fichier à déposer."},
    )
    expires_on = date_field(
        "Valable jusqu'au",
        required=False,
        help_text="Pour une pièce d'identité ou un titre de séjour (obligatoire pour un titre "
        "de séjour : un rappel vient avant son expiration).",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=200,
        validators=[validate_text],
        help_text="Facultatif. Par exemple : recto verso, renouvellement demandé.",
    )

    def __init__(self, *args, kinds, about=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choisir…")] + [
            (kind.value, kind.label) for kind in kinds
        ]
        self.fields["file"].help_text = (
            f"{ACCEPTED_LABEL}, {self.max_label()} au plus. Le contenu du fichier est vérifié, "
            "pas seulement son nom."
        )
        if about is None:
            del self.fields["about"]
        else:
            self.fields["about"].choices = about

    @staticmethod
    def max_label():
        return f"{settings.SEUIL_DOCUMENT_MAX_MB} Mo"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data, file_type = read_upload(upload)
        self.upload = (data, file_type, upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        kind, expires_on = cleaned.get("kind"), cleaned.get("expires_on")
        if kind in EXPIRY_REQUIRED and not expires_on and "expires_on" not in self.errors:
            self.add_error("expires_on", "Indiquez jusqu'à quand le titre de séjour est valable.")
        if expires_on and kind and kind not in KINDS_WITH_EXPIRY:
            self.add_error(
                "expires_on",
                "Une date de validité ne s'indique que pour une pièce d'identité ou un titre "
                "de séjour : effacez-la.",
            )
        return cleaned

    def document_fields(self):
        return {
            "kind": self.cleaned_data["kind"],
            "expires_on": self.cleaned_data["expires_on"],
            "description": self.cleaned_data["description"],
        }


def attach(document, form, *, by, household):
    """Save `document` (its owners already set) with the checked file of `form`: the file
    encrypted and stored, the row saved with its change-history record and access-log row,
    in one transaction (the stored file deleted again if it fails)."""
    data, file_type, name = form.upload
    for field, value in form.document_fields().items():
        setattr(document, field, value)
    document.uploaded_by = by

    def save():
        with transaction.atomic():
            return audited_save(document, None, by=by, household=household)

    return document.save_with_file(data, file_type, name, save)


def serve(request, document):
    """Hand `document` over (`documents.download_response`), after writing its access-log
    row (action « Téléchargement ») in the same transaction as the read."""
    with transaction.atomic():
        record_access(request.user, AccessLog.Action.DOWNLOAD, document)
        return download_response(document)


def remove(document, *, by, household):
    """Delete `document`: its change-history record (deletion) and access-log row, then the
    row; its stored file goes once the transaction commits (`CoreConfig.ready`)."""
    with transaction.atomic():
        record_change(by, document, snapshot(document), household=household, action=DELETE)
        record_access(by, AccessLog.Action.CHANGE, document)
        document.delete()


def confirm_delete_page(request, document, *, crumbs):
    """The page asking to confirm the deletion of `document`."""
    title = f"Supprimer le document « {document.original_name} »"
    return render(
        request,
        "ui/document_delete.html",
        {"title": title, "crumbs": crumbs, "document": document, "cancel_url": crumbs[-1][0]},
    )


def upload_page(request, form, *, title, crumbs, intro=""):
    return form_page(
        request,
        form,
        title=title,
        crumbs=crumbs,
        intro=intro
        or "Le fichier est chiffré puis conservé hors du site ; seules les personnes de "
        "votre organisation qui voient ce dossier peuvent le télécharger, et chaque "
        "téléchargement est tracé.",
        submit="Déposer le document",
    )
