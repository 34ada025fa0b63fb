"""The activity reports computed and kept (`reports.stored`).

One row per organisation, programmes asked for and period: the `seuil-activity-report/1`
document as computed, what the page shows besides it (the monthly charts; the households
whose data is missing, by id, in pages of `MISSING_PER_PAGE`), and the data version it was
computed from. A row is shown only while the version of what the organisation's reports
read is still the same (`stored.is_current`, `inputs`); else the report is computed again,
in the background when large (`tasks.compute_report_task`).
The rows hold no personal data: figures, and ids of households and persons.
"""

from django.db import models

from seuil.core.models import Organisation


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "En attente de calcul"
    RUNNING = "running", "Calcul en cours"
    DONE = "done", "Calculé"
    FAILED = "failed", "Échec du calcul"


PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)
MISSING_PER_PAGE = 50  # households with missing values listed on a page


class StoredReport(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="stored_reports"
    )
    # The programme refs asked for, sorted, separated by commas ("" for the whole
    # organisation).
    programmes = models.CharField("dispositifs", max_length=2000, blank=True)
    start = models.DateField("début")
    end = models.DateField("fin")
    status = models.CharField("état", max_length=10, choices=ReportStatus.choices)
    # 0 to 100, what the progress page shows.
    progress = models.PositiveSmallIntegerField("avancement", default=0)
    requested_at = models.DateTimeField("demandé le")
    finished_at = models.DateTimeField("calculé le", null=True, blank=True)
    # Wall and CPU seconds of the last computation.
    seconds = models.FloatField("durée (s)", null=True, blank=True)
    cpu_seconds = models.FloatField("durée CPU (s)", null=True, blank=True)
    # The version of what the organisation's reports read when it was computed
    # (`inputs.version_of`).
    data_version = models.CharField("version des données", max_length=64, blank=True)
    # The report (JSON, as downloaded) and the monthly figures of its charts (JSON).
    report = models.TextField("rapport", blank=True)
    extras = models.TextField("compléments", blank=True)
    # The households with missing values, kept by pages (`MissingPage`).
    missing_count = models.PositiveIntegerField("ménages à compléter", default=0)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "rapport d'activité calculé"
        verbose_name_plural = "rapports d'activité calculés"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programmes", "start", "end"],
                name="one_stored_report_per_scope_and_period",
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.start}–{self.end} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in PENDING


class MissingPage(models.Model):
    """One page of the households with missing values of a stored report (JSON: [(household
    id, [(person id or null, code)])], `presentation.missing_problems`): a page of the list
    is read alone."""

    report = models.ForeignKey(StoredReport, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField("page")
    households = models.TextField("ménages")

    class Meta:
        verbose_name = "page des données manquantes"
        verbose_name_plural = "pages des données manquantes"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_missing_page_per_number")
        ]

    def __str__(self):
        return f"{self.report_id} p. {self.number}"
