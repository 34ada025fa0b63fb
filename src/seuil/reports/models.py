"""The activity reports computed and kept (`reports.stored`).

One row per organisation, programmes asked for and period: the `seuil-activity-report/1`
document as computed, what the page shows besides it (the monthly charts, the households
whose data is missing, by id), and the data version it was computed from. A row is shown
only while the data version of its queries is still the same (`stored.current`); else
the report is computed again, in the background when large (`tasks.compute_report_task`).
The row holds no personal data: figures, and ids of households and persons.
"""

from django.db import models

from seuil.core.models import Organisation


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "En attente de calcul"
    RUNNING = "running", "Calcul en cours"
    DONE = "done", "Calculé"
    FAILED = "failed", "Échec du calcul"


PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)


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
    # The SELECT statements the computation ran, with their parameters (JSON), and the
    # version of the data they read (`stored.data_version`).
    queries = models.TextField("requêtes", blank=True)
    data_version = models.CharField("version des données", max_length=64, blank=True)
    # The report (JSON, as downloaded) and what the page shows besides it (JSON).
    report = models.TextField("rapport", blank=True)
    extras = models.TextField("compléments", blank=True)
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
