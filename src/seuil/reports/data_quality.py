"""The data quality of an organisation: what to complete or correct, each kind with its count
today, its count at the end of each of the last twelve months, and the files to fix.

Every rule is read from its one home: missing values as the activity report counts them
among the households present (`compute.missing_by_field`), implausible dates by
`core.plausibility`, likely duplicates by `households.likely_duplicates`, households never
housed by the household list's « Jamais entré dans un logement » filter
(`housing.household_pages.by_presence`), a unit in stock by `HousingUnit.in_stock_on` and a
vacancy's start by `housing.vacant_units` (long from `SEUIL_VACANCY_ALERT_DAYS`).

The trend counts from dated facts: presence by the stays' dates, a record of a file from
the day its household was created (when nothing else dates it), vacancies and stock by
their dates. A constant number of queries whatever the number of files.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from seuil.core.plausibility import check_birth_date, check_event_date
from seuil.households.duplicates import likely_duplicate_pairs
from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.household_pages import by_presence
from seuil.housing.models import HousingUnit, Stay
from seuil.housing.vacant_units import vacant_units_on
from seuil.orientation.models import Referral

from . import compute
from .facts import load_facts

MONTHS = 12
# A household file open this long without any entry nor a place on a waiting list.
WITHOUT_STAY_AFTER_DAYS = 90
# At most this many files listed under each kind (the count says how many there are).
LISTED = 50

# Each field the activity report needs, and the title of its missing values.
MISSING_FIELDS = {
    "birth_date": "Date de naissance non renseignée",
    "sex": "Sexe non renseigné",
    "legal_status": "Situation administrative non renseignée",
    "resources": "Ressources non renseignées",
    "prior_situation": "Situation avant l'accueil non renseignée",
}


@dataclass
class Line:
    """A file to complete or correct: what, the problem, where to fix it."""

    household: Household | None
    label: str
    problem: str
    url: str


@dataclass
class Check:
    code: str
    title: str
    explanation: str
    trend: list  # the counts at each point of `points`, the last one today
    lines: list = field(default_factory=list)
    fix_label: str = ""
    fix_url: str = ""

    @property
    def count(self):
        return self.trend[-1]

    @property
    def listed(self):
        return self.lines[:LISTED]

    @property
    def not_listed(self):
        return max(len(self.lines) - LISTED, 0)


@dataclass
class DataQuality:
    day: datetime.date
    points: list  # the end of each of the last eleven months, then today
    checks: list


def month_points(day, months=MONTHS):
    """The last day of each of the `months - 1` months before `day`'s month, then `day`."""
    points = [day]
    first = day.replace(day=1)
    for _ in range(months - 1):
        last = first - datetime.timedelta(days=1)
        points.append(last)
        first = last.replace(day=1)
    return points[::-1]


def _household_line(household, problem, url=None):
    return Line(household, household.ref, problem, url or household.get_absolute_url())


def data_quality(organisation, day=None):
    day = day or timezone.localdate()
    points = month_points(day)
    households = {
        h.pk: h
        for h in Household.objects.filter(organisation=organisation, anonymised_on__isnull=True)
    }
    created = {pk: timezone.localdate(h.created_at) for pk, h in households.items()}
    checks = [
        *_missing(organisation, points, households),
        _implausible(organisation, points, households, created),
        _duplicates(organisation, points, created),
        _without_stay(organisation, points, households),
        _stays_out_of_stock(organisation, points, households),
        _long_vacant(organisation, points),
    ]
    return DataQuality(day=day, points=points, checks=checks)


# ---- missing values ----------------------------------------------------------------------


def _missing(organisation, points, households):
    """One check per field, among the households present at each point (as the activity
    report counts them)."""
    facts = load_facts(organisation.ref, [], points[0], points[-1])
    index = compute.index_of(facts)
    trend = {code: [] for code in MISSING_FIELDS}
    rows = {}
    for point in points:
        counted = compute._Counted()
        compute._present(index, point, counted)
        rows = compute.missing_by_field(index, counted)
        for code in MISSING_FIELDS:
            trend[code].append(len(rows[code]))
    person_ids = {pid for code_rows in rows.values() for _, pid in code_rows if pid}
    persons = {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}
    checks = []
    for code, title in MISSING_FIELDS.items():
        lines = []
        for household_id, person_id in rows[code]:
            household = households.get(household_id)
            if household is None:
                continue
            person = persons.get(person_id)
            who = person.full_name if person else "le ménage"
            url = _where_to_complete(code, household, person)
            lines.append(_household_line(household, f"{who} : non renseigné", url))
        lines.sort(key=lambda line: (line.label, line.problem))
        checks.append(
            Check(
                code=f"manquant-{code.replace('_', '-')}",
                title=title,
                explanation="Parmi les ménages présents (logés) à chaque date, comme le "
                "rapport d'activité les compte.",
                trend=trend[code],
                lines=lines,
            )
        )
    return checks


def _where_to_complete(code, household, person):
    """The page where `code` is filled in: the status and resources forms, the household's
    form, else its file (whose members are edited from it)."""
    if code == "legal_status" and person is not None:
        return reverse("households:add_legal_status", args=[household.uuid, person.uuid])
    if code == "resources":
        return reverse("households:add_resources", args=[household.uuid])
    if code == "prior_situation":
        return reverse("households:edit", args=[household.uuid])
    return household.get_absolute_url()


# ---- implausible dates -------------------------------------------------------------------


def _implausible(organisation, points, households, created):
    """Birth dates and dated facts the plausibility rule refuses today, counted at each
    point for the households that existed then."""
    today = points[-1]
    found = []  # (household_id, problem)
    for household_id, name, birth_date in Membership.objects.filter(
        household__organisation=organisation, person__birth_date__isnull=False
    ).values_list("household_id", "person__first_name", "person__birth_date"):
        message = check_birth_date(birth_date, today)
        if message:
            found.append((household_id, f"{name or 'une personne'} : {message}"))
    for household_id, name, joined, left in Membership.objects.filter(
        household__organisation=organisation
    ).values_list("household_id", "person__first_name", "joined_on", "left_on"):
        for label, value in (("arrivée", joined), ("départ", left)):
            message = value and check_event_date(value, today)
            if message:
                found.append((household_id, f"{name or 'une personne'}, {label} : {message}"))
    for household_id, since in LegalStatusRecord.objects.filter(
        person__organisation=organisation, person__memberships__household__isnull=False
    ).values_list("person__memberships__household_id", "since"):
        message = check_event_date(since, today)
        if message:
            found.append((household_id, f"statut administratif : {message}"))
    for household_id, on in ResourceRecord.objects.filter(
        household__organisation=organisation
    ).values_list("household_id", "on"):
        message = check_event_date(on, today)
        if message:
            found.append((household_id, f"ressources : {message}"))
    for household_id, ref, entered, exited in Stay.objects.filter(
        organisation=organisation
    ).values_list("household_id", "ref", "entered_on", "exited_on"):
        for label, value in (("entrée", entered), ("sortie", exited)):
            message = value and check_event_date(value, today)
            if message:
                found.append((household_id, f"séjour {ref}, {label} : {message}"))
    found = [(h, problem) for h, problem in found if h in households]
    lines = sorted(
        (_household_line(households[h], problem) for h, problem in found),
        key=lambda line: (line.label, line.problem),
    )
    return Check(
        code="invraisemblable",
        title="Dates invraisemblables",
        explanation="Naissance après aujourd'hui ou avant 1900, date d'un fait (entrée, "
        "sortie, statut, ressources, arrivée dans le ménage) avant 1900 ou plus d'un an "
        "après aujourd'hui. Évolution : dates des dossiers existant à chaque date.",
        trend=[sum(1 for h, _ in found if created[h] <= point) for point in points],
        lines=lines,
    )


# ---- likely duplicates -------------------------------------------------------------------


def _duplicates(organisation, points, created):
    pairs = likely_duplicate_pairs(organisation)

    def since(person):
        days = [created.get(m.household_id) for m in person.memberships.all()]
        days = [d for d in days if d is not None]
        return min(days) if days else None

    lines, trend_days = [], []
    for person, other, reason in pairs:
        first = next(iter(person.memberships.all()), None)
        second = next(iter(other.memberships.all()), None)
        household = first.household if first else (second.household if second else None)
        url = household.get_absolute_url() if household else reverse("households:list")
        where = " et ".join(
            dict.fromkeys(m.household.ref for m in (first, second) if m is not None)
        )
        lines.append(
            Line(
                household,
                f"{person.full_name} / {other.full_name}",
                reason + (f", ménage {where}" if where else ""),
                url,
            )
        )
        known = [d for d in (since(person), since(other)) if d is not None]
        trend_days.append(max(known) if len(known) == 2 else None)
    return Check(
        code="doublons",
        title="Doublons probables",
        explanation="Personnes de même date de naissance dont les noms sont très proches, "
        "ou de même nom (accents, majuscules et ordre des noms ignorés) et de même année de "
        "naissance ou dont l'une des deux dates est inconnue ; deux membres d'un même ménage "
        "seulement si leurs noms sont identiques. Évolution : paires dont les deux dossiers "
        "existaient à chaque date.",
        trend=[sum(1 for d in trend_days if d is not None and d <= p) for p in points],
        lines=lines,
    )


# ---- households never housed -------------------------------------------------------------


def _never_housed_on(organisation, day):
    """Households of the organisation created `WITHOUT_STAY_AFTER_DAYS` days before `day` or
    earlier, never entered in a unit by `day` (the list's filter) nor waiting on a list."""
    limit = day - datetime.timedelta(days=WITHOUT_STAY_AFTER_DAYS)
    waiting = Referral.objects.filter(household=OuterRef("pk"), admitted_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )
    households = Household.objects.filter(
        organisation=organisation, anonymised_on__isnull=True, created_at__date__lte=limit
    ).exclude(Exists(waiting))
    return by_presence(households, "never", day)


def _without_stay(organisation, points, households):
    today_ids = list(_never_housed_on(organisation, points[-1]).values_list("pk", flat=True))
    trend = [_never_housed_on(organisation, point).count() for point in points[:-1]]
    lines = sorted(
        (
            _household_line(households[pk], "aucune entrée dans un logement")
            for pk in today_ids
            if pk in households
        ),
        key=lambda line: line.label,
    )
    return Check(
        code="sans-sejour",
        title="Ménages sans séjour",
        explanation=f"Dossiers ouverts depuis plus de {WITHOUT_STAY_AFTER_DAYS} jours, sans "
        "aucune entrée dans un logement ni place en liste d'attente : enregistrez l'entrée, "
        "ou clôturez le dossier.",
        trend=[*trend, len(today_ids)],
        lines=lines,
        fix_label="Voir ces ménages dans la liste",
        fix_url=reverse("households:list") + "?presence=never",
    )


# ---- stays in a unit out of stock --------------------------------------------------------


def _out_of_stock_on(organisation, day):
    """Stays present on `day` in a unit not in the organisation's stock that day (not yet
    captured, already returned, or a dwelling split into rooms)."""
    in_stock = HousingUnit.objects.filter(organisation=organisation).in_stock_on(day)
    return (
        Stay.objects.filter(organisation=organisation)
        .present_on(day)
        .exclude(unit__in=in_stock.values("pk"))
    )


def _stays_out_of_stock(organisation, points, households):
    stays = list(_out_of_stock_on(organisation, points[-1]).select_related("unit"))
    trend = [_out_of_stock_on(organisation, point).count() for point in points[:-1]]
    lines = [
        Line(
            households.get(stay.household_id),
            f"Séjour {stay.ref}, logement {stay.unit.ref}",
            f"entré le {stay.entered_on:%d/%m/%Y} ; logement capté le "
            f"{stay.unit.captured_on:%d/%m/%Y}"
            + (f", rendu le {stay.unit.returned_on:%d/%m/%Y}" if stay.unit.returned_on else ""),
            reverse("housing:edit", args=[stay.unit.uuid]),
        )
        for stay in stays
    ]
    return Check(
        code="sejour-hors-parc",
        title="Séjours dans un logement hors du parc",
        explanation="Ménages présents dans un logement qui n'était pas dans le parc ce "
        "jour-là (pas encore capté, déjà rendu, ou partagé en chambres) : corrigez les dates "
        "du logement ou du séjour.",
        trend=[*trend, len(lines)],
        lines=lines,
    )


# ---- units vacant for long ---------------------------------------------------------------


def _long_vacant(organisation, points):
    days = settings.SEUIL_VACANCY_ALERT_DAYS
    units = HousingUnit.objects.filter(organisation=organisation)
    trend, current = [], []
    for point in points:
        current = [v for v in vacant_units_on(units, point) if v.days >= days]
        trend.append(len(current))
    lines = [
        Line(
            None,
            f"Logement {v.unit.ref}",
            f"vacant depuis le {v.vacant_since:%d/%m/%Y} ({v.days} jours)",
            v.unit.get_absolute_url(),
        )
        for v in current
    ]
    return Check(
        code="vacance-longue",
        title="Logements vacants depuis longtemps",
        explanation=f"Logements du parc vacants depuis {days} jours ou plus : proposez-les, "
        "ou enregistrez l'entrée ou la restitution qui manque.",
        trend=trend,
        lines=lines,
        fix_label="Voir les vacances",
        fix_url=reverse("orientation:vacancies"),
    )
