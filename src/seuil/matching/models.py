"""A matching run (the instance built from one programme's waiting lists and vacancies, and
its plans) and the employment data per territory that the national platform maintains.

A run keeps the instance it solved and the three plans it computed, so that the page shows
exactly what was computed, even after the waiting list has moved, and the prices that prove
its optimal plan, from which the programme's next run starts. What the page shows is
written once, when the run finishes (`plan.store_page`): its figures (`shown`) and one
`RunRow` per vacant unit (the household each plan gives it, the score explained) and per
household left without a home, which the page reads a page at a time. Households appear in the
instance by the reference of their orientation only; runs are deleted after
`RUN_RETENTION_DAYS` (`seuil daily`).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from seuil.core.models import Organisation
from seuil.core.policy import Action
from seuil.core.scoping import ScopedQuerySet
from seuil.housing.models import Programme

from .enums import RunStatus

RUN_RETENTION_DAYS = 90


class MatchingRunQuerySet(ScopedQuerySet):
    view_action = Action.RUN_MATCHING


class MatchingRun(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="matching_runs"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="dispositif",
        on_delete=models.PROTECT,
        related_name="matching_runs",
    )
    day = models.DateField("situation au")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("lancé le", auto_now_add=True)
    status = models.CharField(
        "état", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    step = models.CharField("étape", max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MaxValueValidator(100)]
    )
    instance = models.JSONField("instance", default=dict)
    # Counted once from the instance when it is saved: the list of runs reads these, never
    # the instance (megabytes for a national run).
    households_count = models.PositiveIntegerField("ménages", default=0)
    units_count = models.PositiveIntegerField("logements", default=0)
    # Instance refs → database rows: {"households": {ref: referral id}, "units": {ref: vacancy id}}
    links = models.JSONField("correspondances", default=dict)
    left_out = models.JSONField("laissés de côté", default=list)  # [{"kind", "id", "reason"}]
    results = models.JSONField("plans", default=dict)  # method → seuil-matching-result/1
    # The prices proving the optimal plan (`repair.py`): {"households": {ref: price}, "units":
    # {ref: price}}, {} for a plan with side constraints. The next run of the programme
    # repairs this plan instead of solving from scratch (`services.warm_start`).
    prices = models.JSONField("prix du plan optimal", default=dict)
    # What the page shows besides its rows (`plan.store_page`): {} until the run is done.
    shown = models.JSONField("résumé affiché", default=dict)
    error = models.TextField("erreur", blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = MatchingRunQuerySet.as_manager()

    class Meta:
        verbose_name = "appariement"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values),
                name="matching_run_status_known",
                violation_error_message="État d'appariement inconnu.",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="matching_run_progress_at_most_100",
                violation_error_message="L'avancement ne dépasse pas 100 %.",
            ),
        ]

    def __str__(self):
        return f"Appariement du {self.created_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if "instance" not in self.get_deferred_fields():
            self.households_count = len(self.instance.get("households", ()))
            self.units_count = len(self.instance.get("units", ()))
            if update_fields is not None and "instance" in update_fields:
                kwargs["update_fields"] = {*update_fields, "households_count", "units_count"}
        super().save(*args, **kwargs)

    @property
    def is_pending(self):
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class RunRow(models.Model):
    """A row of a finished run's page (`plan.store_page`): a vacant unit with the household
    each plan gives it and why (`UNIT`), or a household the optimal plan leaves without a
    home and the rule that does (`UNASSIGNED`), at its `position` in the page's order."""

    UNIT = "unit"
    UNASSIGNED = "unassigned"

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="rows")
    kind = models.CharField(
        "sorte",
        max_length=10,
        choices=[(UNIT, "logement vacant"), (UNASSIGNED, "ménage sans logement")],
    )
    position = models.PositiveIntegerField("position")
    data = models.JSONField("contenu", default=dict)

    class Meta:
        verbose_name = "ligne d'un appariement"
        verbose_name_plural = "lignes d'un appariement"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "kind", "position"], name="run_row_one_per_position"
            )
        ]

    def __str__(self):
        return f"Ligne {self.position}"


class TerritoryEmploymentQuerySet(ScopedQuerySet):
    view_action = Action.SET_EMPLOYMENT_SCORES


class TerritoryEmployment(models.Model):
    """The employment prospects of a territory (a département), from 0 to 1, as the national
    platform rates them from labour-market data, in force from `effective_from` (a new
    rating is a new record)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employment_scores"
    )
    territory = models.CharField("département", max_length=3)
    employment_score = models.DecimalField(
        "perspectives d'emploi (0 à 1)",
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    effective_from = models.DateField("en vigueur à partir du")
    source = models.CharField("source", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = TerritoryEmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = "perspectives d'emploi d'un territoire"
        verbose_name_plural = "perspectives d'emploi des territoires"
        ordering = ["territory", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employment_score__gte=0) & Q(employment_score__lte=1),
                name="employment_score_between_0_and_1",
                violation_error_message="Les perspectives d'emploi vont de 0 à 1.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "territory", "effective_from"],
                name="employment_score_one_per_day",
                violation_error_message="Ce territoire a déjà une note en vigueur à cette date.",
            ),
        ]

    def __str__(self):
        return f"{self.territory} : {self.employment_score} ({self.effective_from:%d/%m/%Y})"

    @classmethod
    def scores_on(cls, day):
        """{territory: score as float} in force on `day`, from every platform's ratings (the
        latest rating of each territory wins)."""
        rows = cls.objects.filter(effective_from__lte=day).order_by(
            "territory", "-effective_from", "-set_at", "-id"
        )
        scores = {}
        for territory, score in rows.values_list("territory", "employment_score"):
            scores.setdefault(territory, float(score))
        return scores
