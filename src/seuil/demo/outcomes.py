"""The demo's follow-ups after exit and exit preparation.

Every stay of the demo operator that ended to housing in the last three years is followed
at 6, 12 and 24 months, as far as its windows have opened: most
follow-ups are recorded near the milestone (a few late, a few never, so that « Suivis à
faire » is not empty), with the answers households give (mostly still housed, some not,
with their reason; unknown answers too). One answer came through the household's own link;
another link waits. A present household's exit is being prepared, and the last exit to
housing was recorded with its checklist incomplete.

Drawn from a generator of its own (the plan's draws stay as they were), and written in
bulk with its change history: the figures the other parts of the demo show do not move.
"""

import random

from django.utils import timezone

from seuil.core.history import BulkRecorder
from seuil.core.refs import seeded_ref
from seuil.housing.models import Stay
from seuil.outcomes import rules
from seuil.outcomes.models import (
    ExitChecklist,
    FollowUp,
    FollowUpLink,
    TerritorySheet,
    hash_token,
)

from .common import days, weighted
from .organisations import DEMO_ORGANISATION_REF

OUTCOMES_SEED = 17080
REASONS = [
    ("too_expensive", 3),
    ("too_small", 2),
    ("employment", 3),
    ("family", 2),
    ("isolation", 2),
    ("other", 1),
]


def _answer(rng, probability_true, unknown=0.1):
    if rng.random() < unknown:
        return None
    return rng.random() < probability_true


def _follow_up(rng, stay, window, today, still_housed):
    """A follow-up of `stay` at `window`, near its day (never after today)."""
    on = window.due_on(stay.exited_on) + days(rng.randint(-25, 20))
    on = min(on, today)
    housed = still_housed if rng.random() > 0.08 else None
    same_home = None if housed is None else (housed and rng.random() < 0.85)
    left = housed is False or same_home is False
    return FollowUp(
        organisation_id=stay.organisation_id,
        ref=seeded_ref(FollowUp, f"{stay.ref}-{window.months}"),
        stay=stay,
        on=on,
        housed=housed,
        same_home=same_home,
        same_commune=None if housed is None else rng.random() < 0.8,
        employed=_answer(rng, 0.2 + 0.15 * (window.months // 6)),
        in_training=_answer(rng, 0.3),
        satisfaction=weighted(rng, [(None, 1), (2, 1), (3, 2), (4, 4), (5, 3)]),
        support_satisfaction=weighted(rng, [(None, 1), (3, 1), (4, 3), (5, 4)]),
        reason_for_leaving=weighted(rng, REASONS) if left else "",
        returned_to_shelter_or_street=(housed is False and rng.random() < 0.5) or False,
    )


def write_outcomes_demo(today, organisations):
    operator = organisations[DEMO_ORGANISATION_REF]
    rng = random.Random(OUTCOMES_SEED)  # nosec B311 (fake demo data)
    # The exits whose 24-month window closed within the last year, and every later one.
    longest = max(w.last for w in rules.MILESTONES) + 365
    stays = [
        s
        for s in Stay.objects.filter(
            organisation=operator, exited_on__gte=today - days(longest), exited_on__lte=today
        )
        .select_related("household")
        .order_by("exited_on", "pk")
        if rules.ended_to_housing(s.exit_destination, s.lease_transferred)
    ]
    follow_ups = []
    for number, stay in enumerate(stays):
        still_housed = rng.random() < 0.85
        for window in rules.MILESTONES:
            if today < window.opens_on(stay.exited_on):
                break
            # The follow-up of a window still open is sometimes not done yet; a closed
            # one was missed now and then.
            pending = today <= window.closes_on(stay.exited_on) and number % 3 == 0
            if pending or rng.random() < 0.1:
                continue
            follow_ups.append(_follow_up(rng, stay, window, today, still_housed))
            still_housed = still_housed and rng.random() < 0.95
    if follow_ups:
        follow_ups[-1].answered_by = "household"
    FollowUp.objects.bulk_create(follow_ups)
    recorder = BulkRecorder(organisation=operator)
    households = {s.pk: s.household for s in stays}
    for follow_up in follow_ups:
        recorder.add(follow_up, None, household=households[follow_up.stay_id])
    now = timezone.now()
    links = []
    if follow_ups:
        answered = follow_ups[-1]
        links.append(
            FollowUpLink(
                organisation=operator,
                stay_id=answered.stay_id,
                token_hash=hash_token(f"demo-lien-utilise-{answered.ref}-{rng.random()}"),
                created_at=now - days(3),
                expires_at=now + days(27),
                used_at=now - days(1),
                follow_up=answered,
            )
        )
    if stays:
        links.append(
            FollowUpLink(
                organisation=operator,
                stay=stays[0],
                token_hash=hash_token(f"demo-lien-en-attente-{rng.random()}"),
                created_at=now - days(2),
                expires_at=now + days(28),
            )
        )
    FollowUpLink.objects.bulk_create(links)
    checklists = _checklists(today, operator, stays)
    for checklist in checklists:
        recorder.add(checklist, None, household=checklist.stay.household)
    recorder.write()
    _territory_sheets(organisations)
    return {"follow_ups": len(follow_ups), "checklists": len(checklists)}


TERRITORIES = [
    (
        "80",
        "Somme",
        "Beaucoup d'emplois dans l'agroalimentaire, la logistique, l'aide à la personne et le "
        "bâtiment, surtout autour d'Amiens et d'Abbeville. France Travail a des agences dans "
        "les deux villes.",
        "Bus dans Amiens et Abbeville ; trains réguliers vers Paris (1 h 10) et Lille. Dans "
        "les villages, une voiture ou le vélo sont souvent nécessaires.",
        "Écoles, collèges et lycées dans toutes les villes ; classes pour les enfants qui "
        "apprennent le français (UPE2A) à Amiens.",
        "Cours de français gratuits avec l'OFII (contrat d'intégration républicaine) et dans "
        "plusieurs associations d'Amiens.",
        "CHU à Amiens, hôpital à Abbeville ; des médecins généralistes, mais il faut parfois "
        "attendre pour un rendez-vous.",
        "Climat doux et humide : des hivers frais, des étés tempérés, de la pluie toute l'année.",
    ),
    (
        "60",
        "Oise",
        "Emplois dans l'industrie, la logistique et le commerce autour de Beauvais, Compiègne "
        "et Creil ; beaucoup de personnes travaillent aussi en Île-de-France.",
        "Trains fréquents vers Paris depuis Creil et Compiègne ; bus dans les villes.",
        "Écoles, collèges et lycées dans toutes les villes.",
        "Cours de français avec l'OFII et des associations à Beauvais, Creil et Compiègne.",
        "Hôpitaux à Beauvais, Compiègne et Creil.",
        "Climat tempéré, proche de celui de Paris.",
    ),
]


def _territory_sheets(organisations):
    """The platform's sheets of the two territories its demo households can choose."""
    platform = organisations.get("plateforme-nationale")
    if platform is None:
        return
    TerritorySheet.objects.bulk_create(
        [
            TerritorySheet(
                platform=platform,
                department=department,
                name=name,
                employment=employment,
                transport=transport,
                schools=schools,
                french_courses=french,
                health=health,
                climate=climate,
            )
            for department, name, employment, transport, schools, french, health, climate in (
                TERRITORIES
            )
        ]
    )


def _checklists(today, operator, stays):
    """A present household's exit in preparation; the last exit to housing, recorded with
    its checklist incomplete."""
    checklists = []
    present = (
        Stay.objects.filter(organisation=operator)
        .present_on(today)
        .select_related("household")
        .order_by("entered_on", "pk")
        .first()
    )
    if present is not None:
        checklists.append(
            ExitChecklist(
                organisation=operator,
                stay=present,
                starts_on=today - days(40),
                social_housing_number="080012500123A",
                applied_on=today - days(35),
                sliding_lease_agreed_on=today - days(20),
                debt_status="plan",
                debts_checked_on=today - days(12),
                insurance_on=None,
                not_applicable=["school"],
            )
        )
    if stays:
        last = stays[-1]
        checklist = ExitChecklist(
            organisation=operator,
            stay=last,
            starts_on=last.exited_on - days(90),
            social_housing_number="080012400987B",
            applied_on=last.exited_on - days(80),
            pre_exit_inspection_on=last.exited_on - days(10),
            debt_status="none",
            debts_checked_on=last.exited_on - days(10),
            insurance_on=last.exited_on - days(3),
            caf_informed_on=last.exited_on - days(2),
            handover_meeting_on=last.exited_on - days(7),
            handover_partner="department",
            not_applicable=["sliding_lease"],
        )
        checklist.missing_at_exit = [code for code, _ in checklist.missing()]
        checklists.append(checklist)
    ExitChecklist.objects.bulk_create(checklists)
    return checklists
