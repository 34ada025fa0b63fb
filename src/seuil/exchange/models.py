"""A spreadsheet import done in the interface: the workbook checked, its preview, then the
import itself (at once, or in the background for a large file) and its result.

The document read from the workbook is kept encrypted (it holds personal data) only until
it is imported; the row stays as the record of the import (who, when, which file, what
changed), listed on the import page. Rows are deleted after `RETENTION_DAYS`
(`seuil daily`).
"""

import uuid

from django.conf import settings
from django.db import models

from seuil.core.crypto import EncryptedTextField
from seuil.core.models import Organisation
from seuil.core.policy import Action
from seuil.core.scoping import ScopedQuerySet

RETENTION_DAYS = 365


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Vérification en cours"
    INVALID = "invalid", "Refusé : des erreurs à corriger"
    READY = "ready", "Vérifié, prêt à importer"
    QUEUED = "queued", "En attente d'import"
    RUNNING = "running", "Import en cours"
    DONE = "done", "Importé"
    FAILED = "failed", "Échec de l'import"
    EXPIRED = "expired", "Expiré : vérifié mais pas importé dans la journée"


class SpreadsheetImportQuerySet(ScopedQuerySet):
    view_action = Action.IMPORT_ORGANISATION


class SpreadsheetImport(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="spreadsheet_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    filename = models.CharField("fichier", max_length=255)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    status = models.CharField("état", max_length=10, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField("lignes", default=0)
    # The workbook as uploaded (base64), until it is checked: a large one is checked in
    # the background.
    workbook = EncryptedTextField("classeur", blank=True)
    # The exchange document read from the workbook (JSON), until it is imported.
    document = EncryptedTextField("document", blank=True)
    # The errors of the workbook or of the import (JSON list of {sheet, row, column,
    # header, message}): messages may quote a cell, hence encrypted.
    problems = EncryptedTextField("erreurs", blank=True)
    # {kind: {"label", "created", "updated", "unchanged", "deleted"}}: the preview, then
    # what the import did. Counts only.
    counts = models.JSONField("décompte", default=dict, blank=True)
    changed = models.BooleanField("changements", default=False)
    # Where each object of the document comes from (sheet, row, columns), to place the
    # errors of the import itself: sheet titles, headers and row numbers only.
    places = models.JSONField("emplacements", default=dict, blank=True)
    started_at = models.DateTimeField("import lancé le", null=True, blank=True)
    finished_at = models.DateTimeField("import terminé le", null=True, blank=True)

    objects = SpreadsheetImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import de classeur"
        verbose_name_plural = "imports de classeurs"
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in PENDING


PENDING = (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING)
