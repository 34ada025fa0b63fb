"""The order of a waiting list on a day, computed once and kept (`waiting.stored_list`).

A `RankedList` is the whole list of one (programme, SIAO) on one day: every household
waiting that day, its position and the items of its points. It is what `priority.rank`
gives for that day, stored so that a page reads one page of it and "how it moved" reads
the position of an earlier day instead of ranking the list again. It is a copy, never the
source: a change to what the order depends on (a referral's dates, an assessment, the
request's date or reference, the SIAO's weights) deletes the stored days it may change
(`waiting.forget_stored_lists`), which are computed again when next read; `seuil daily`
computes today's of every list and deletes those older than `RANK_RETENTION_DAYS`.
"""

from django.db import models

from seuil.core.models import Organisation
from seuil.housing.models import Programme

from .waiting_lists import Referral

RANK_RETENTION_DAYS = 40  # "how it moved" compares with 30 days before, by default


class RankedList(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name="dispositif", on_delete=models.CASCADE, related_name="+"
    )
    siao = models.ForeignKey(
        Organisation, verbose_name="SIAO", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("liste au")
    size = models.PositiveIntegerField("ménages sur la liste")
    computed_at = models.DateTimeField("calculée le", auto_now_add=True)

    class Meta:
        verbose_name = "liste d'attente classée d'un jour"
        verbose_name_plural = "listes d'attente classées d'un jour"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "siao", "day"], name="ranked_list_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["siao", "day"], name="ranked_list_siao_day")]

    def __str__(self):
        return f"Liste d'attente classée du {self.day:%d/%m/%Y}"


class RankedEntry(models.Model):
    """A household's place on a `RankedList`, with the items of its points
    (`priority.Breakdown`)."""

    ranked_list = models.ForeignKey(RankedList, on_delete=models.CASCADE, related_name="entries")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField("position")
    waiting_days = models.PositiveIntegerField("jours d'attente")
    waiting_months = models.PositiveIntegerField("mois d'attente")
    waiting_points = models.IntegerField("points d'attente")
    criteria = models.JSONField("points par critère", default=list)  # [[code, points], ...]
    total = models.IntegerField("total des points")

    class Meta:
        verbose_name = "place sur une liste d'attente classée"
        verbose_name_plural = "places sur une liste d'attente classée"
        constraints = [
            models.UniqueConstraint(
                fields=["ranked_list", "position"], name="ranked_entry_one_per_position"
            ),
            models.UniqueConstraint(
                fields=["ranked_list", "referral"], name="ranked_entry_one_per_referral"
            ),
        ]

    def __str__(self):
        return f"Position {self.position}"
