"""Caseloads: the households each referent social worker follows on a day, against the
target of their programmes (`SupportSettings.households_per_worker`, reinforced households
weighing `reinforced_weight`)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from seuil.housing.enums import SupportIntensity
from seuil.housing.models import Stay

from .models import IntensityChange, Referent, SupportSettings, intensity_on
from .services import REFERENT_ROLES


@dataclass
class Followed:
    household: object
    stay: object | None  # the household's stay in one of the organisation's units, if any
    intensity: str
    weight: Decimal
    target: int | None


@dataclass
class Caseload:
    worker: object
    followed: list = field(default_factory=list)
    second: list = field(default_factory=list)  # households it is second referent of

    @property
    def households(self):
        return len(self.followed)

    @property
    def reinforced(self):
        return sum(1 for f in self.followed if f.intensity == SupportIntensity.REINFORCED)

    @property
    def weighted(self):
        return sum((f.weight for f in self.followed), Decimal(0))

    @property
    def load(self):
        """The share of a full caseload, from the targets of the households' programmes
        (None when no household has a target)."""
        parts = [f.weight / f.target for f in self.followed if f.target]
        return sum(parts, Decimal(0)) if parts else None

    @property
    def targets(self):
        return sorted({f.target for f in self.followed if f.target})


def caseloads(organisation, day):
    """One `Caseload` per referent-able worker of the organisation (those with none too),
    and the households present on `day` in its units without a main referent."""
    workers = (
        get_user_model()
        .objects.filter(organisation=organisation, role__in=REFERENT_ROLES, is_active=True)
        .order_by("last_name", "first_name", "username")
    )
    loads = {w.pk: Caseload(w) for w in workers}
    referents = (
        Referent.objects.filter(organisation=organisation)
        .on(day)
        .select_related("household", "worker")
    )
    stays = {
        s.household_id: s
        for s in Stay.objects.filter(organisation=organisation)
        .present_on(day)
        .select_related("programme", "household")
        .prefetch_related(Prefetch("intensity_changes", queryset=IntensityChange.objects.all()))
    }
    settings = {
        s.programme_id: s
        for s in SupportSettings.objects.filter(programme__organisation=organisation)
    }
    with_referent = set()
    for referent in referents:
        load = loads.setdefault(referent.worker_id, Caseload(referent.worker))
        stay = stays.get(referent.household_id)
        intensity = intensity_on(stay, day) if stay else SupportIntensity.STANDARD
        setting = settings.get(stay.programme_id) if stay else None
        weight = Decimal(1)
        if intensity == SupportIntensity.REINFORCED and setting is not None:
            weight = setting.reinforced_weight
        target = setting.households_per_worker if setting is not None else None
        row = Followed(referent.household, stay, intensity, weight, target)
        if referent.second:
            load.second.append(row)
        else:
            load.followed.append(row)
            with_referent.add(referent.household_id)
    without = [s for h, s in stays.items() if h not in with_referent]
    return list(loads.values()), sorted(without, key=lambda s: s.household.ref)
