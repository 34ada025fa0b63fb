"""National mobility in the demo: households of a shelter in Île-de-France (the CADA de
Créteil, Val-de-Marne) who chose the Somme, each at its own step of the path.

`plan_mobility(today)` draws the paths in plain data (dated steps, who does each);
`write_mobility_demo(today, organisations)` walks them through the app's services
(`outcomes.mobility`, `households.links.hand_over`, `housing.services`,
`outcomes.services.record_follow_up`), so that the state machine, the parties of each step
and the dates are checked as they would be for a user:

- MOB-IDF-1 went the whole way three years ago: territories, choice, two three-way meetings
  (the first with an interpreter), proposal, acceptance, the file sent and acknowledged, the
  move, a stepping-stone home, the arrival, twelve months of support, the handover; the
  household, tenant of a private owner whose home the operator managed under a mandate,
  kept it when the support and the mandate ended (an exit to housing), and was followed 6,
  12 and 24 months later;
- MOB-IDF-2 did the same two years ago, to another commune, and was followed at 6 and 12
  months (it has since left the commune for work);
- MOB-IDF-3 is in its twelve months of support; MOB-IDF-4 accepted a proposal and its file
  was sent; MOB-IDF-5 is between two three-way meetings; MOB-IDF-6 is reading the
  territory sheets.
"""

from dataclasses import dataclass, field

from seuil.core.models import User
from seuil.households.links import hand_over
from seuil.households.models import Consent
from seuil.housing.models import HousingUnit, Programme
from seuil.housing.services import enter_household, record_exit, save_unit
from seuil.orientation.enums import VacancyClosing
from seuil.orientation.models import Vacancy
from seuil.orientation.services.vacancies import close_vacancy
from seuil.outcomes import mobility, rules, services

from .common import days
from .matching import _household

SHELTER_REF = "cada94"
ARRIVAL_REF = "apremis"
PLATFORM_REF = "plateforme-nationale"
# Who does what: the platform's agent, the shelter's social worker, the arrival operator's.
PLATFORM_USER, SHELTER_USER, ARRIVAL_USER = "plateforme", "structure-depart", "travailleur-social"
TRANSMITTED = ["identity", "legal_status", "resources", "social_note", "schooling"]


@dataclass
class Path:
    ref: str
    head: tuple  # first name, last name, sex
    adults: int
    children: int
    opened_on: object
    last_step: str
    commune: str = "80021"  # Amiens
    interpreter: str = ""
    follow_ups: list = field(default_factory=list)  # (months, answers)

    def day(self, offset):
        return self.opened_on + days(offset)


# Days after the opening of each step of a path that goes the whole way.
STEP_DAYS = {
    "choice": 21,
    "meeting": 40,
    "second_meeting": 54,
    "proposal": 75,
    "acceptance": 82,
    "file_sent": 84,
    "file_received": 86,
    "travel_booked": 88,
    "move": 105,
    "arrival": 106,
    "support": 113,
    "handover": 113 + 365,
}


def plan_mobility(today):
    """The demo's mobility paths as plain data (see the module's docstring)."""
    housed = {"housed": True, "same_home": True, "same_commune": True, "satisfaction": 4}
    return [
        Path(
            "MOB-IDF-1",
            ("Farida", "Ahmadi", "F"),
            2,
            3,
            today - days(STEP_DAYS["handover"] + 830),
            "handover",
            commune="80001",  # Abbeville
            interpreter="dari",
            follow_ups=[
                (6, {**housed, "employed": False, "in_training": True, "support_satisfaction": 5}),
                (12, {**housed, "employed": True, "in_training": False, "support_satisfaction": 5}),
                (24, {**housed, "employed": True, "satisfaction": 5}),
            ],
        ),
        Path(
            "MOB-IDF-2",
            ("Yonas", "Berhane", "M"),
            1,
            0,
            today - days(STEP_DAYS["handover"] + 470),
            "handover",
            commune="80021",
            interpreter="tigrinya",
            follow_ups=[
                (6, {**housed, "employed": True, "support_satisfaction": 4}),
                (
                    12,
                    {
                        "housed": True,
                        "same_home": False,
                        "same_commune": False,
                        "employed": True,
                        "satisfaction": 3,
                        "reason_for_leaving": "employment",
                    },
                ),
            ],
        ),
        Path("MOB-IDF-3", ("Maryam", "Sultani", "F"), 1, 2, today - days(260), "support", "80021"),
        Path("MOB-IDF-4", ("Ahmed", "Nour", "M"), 2, 1, today - days(90), "acceptance"),
        Path("MOB-IDF-5", ("Selam", "Tekle", "F"), 1, 1, today - days(45), "meeting"),
        Path("MOB-IDF-6", ("Omid", "Karimi", "M"), 1, 0, today - days(6), "information"),
    ]


def _reached(path, step):
    order = [s.value for s in mobility.PATH]
    return order.index(path.last_step) >= order.index(step)


def write_mobility_demo(today, organisations):
    """Walk the demo's mobility paths; return their number."""
    shelter, arrival = organisations[SHELTER_REF], organisations[ARRIVAL_REF]
    platform = organisations[PLATFORM_REF]
    users = {u.username: u for u in User.objects.filter(organisation__in=organisations.values())}
    agent, worker, receiver = users[PLATFORM_USER], users[SHELTER_USER], users[ARRIVAL_USER]
    programme = Programme.objects.get(organisation=arrival, ref="mobilite")
    paths = plan_mobility(today)
    for number, path in enumerate(paths, start=1):
        household = _household(
            shelter, path.ref, path.head, path.adults, path.children, path.opened_on
        )
        Consent.objects.create(
            household=household,
            scope="mobility_file",
            recipient=platform,
            given_on=path.opened_on - days(3),
            # The path, then the two years of follow-up after the exit.
            expires_on=path.opened_on + days(STEP_DAYS["handover"] + 3 * 365),
            recorded_by=worker,
            comment="Consentement écrit pour le dossier de mobilité nationale et son suivi.",
        )
        file = mobility.open_file(
            household, platform=platform, departure=shelter, on=path.opened_on, by=agent
        )
        _walk(path, file, agent, worker, receiver, arrival, programme, number)
    return len(paths)


def _walk(path, file, agent, worker, receiver, arrival, programme, number):
    S = mobility.S
    if not _reached(path, S.CHOICE):
        return
    mobility.advance(
        file,
        S.CHOICE,
        on=path.day(STEP_DAYS["choice"]),
        by=agent,
        comment="Le ménage a lu les fiches de la Somme et de l'Oise ; il choisit la Somme.",
        arrival_department="80",
        arrival_commune=path.commune,
    )
    first = mobility.plan_meeting(
        file,
        planned_on=path.day(STEP_DAYS["meeting"]),
        interpreter_language=path.interpreter,
        by=worker,
    )
    if not _reached(path, S.MEETING):
        return
    mobility.record_meeting(
        first, held_on=path.day(STEP_DAYS["meeting"]), outcome="go_on", by=agent
    )
    second = mobility.plan_meeting(file, planned_on=path.day(STEP_DAYS["second_meeting"]), by=agent)
    if path.last_step == S.MEETING:
        return
    mobility.record_meeting(
        second, held_on=path.day(STEP_DAYS["second_meeting"]), outcome="go_on", by=worker
    )
    mobility.advance(
        file,
        S.PROPOSAL,
        on=path.day(STEP_DAYS["proposal"]),
        by=agent,
        comment="Un logement de l'opérateur d'arrivée correspond à la composition du ménage.",
        arrival=arrival,
        arrival_commune=path.commune,
    )
    mobility.advance(file, S.ACCEPTANCE, on=path.day(STEP_DAYS["acceptance"]), by=worker)
    mobility.send_file(
        file,
        on=path.day(STEP_DAYS["file_sent"]),
        parts=TRANSMITTED,
        household_agreed=True,
        by=worker,
    )
    mobility.acknowledge_file(file, on=path.day(STEP_DAYS["file_received"]), by=receiver)
    if not _reached(path, S.MOVE):
        return
    moved_on = path.day(STEP_DAYS["move"])
    mobility.advance(
        file,
        S.MOVE,
        on=moved_on,
        by=worker,
        comment="Train de Paris-Nord ; le ménage est accueilli en gare par l'opérateur.",
        travel_booked_on=path.day(STEP_DAYS["travel_booked"]),
        stepping_stone_until=moved_on + days(30) if number == 1 else None,
    )
    household = file.household
    # The shelter hands the household's file over to the arrival operator, which houses it.
    hand_over(
        household,
        to=arrival,
        on=moved_on,
        by=worker,
        reason="Mobilité nationale : installation dans la Somme.",
        social_note_transferred=True,
    )
    unit = HousingUnit.objects.create(
        organisation=arrival,
        ref=f"MOB-A{number}",
        programme=programme,
        typology="T4" if path.children >= 2 else "T2",
        management_mode="mandate",
        commune=path.commune,
        rent=480 if path.children >= 2 else 360,
        charges=60,
        captured_on=moved_on - days(60),
    )
    stay = enter_household(household, unit, entered_on=moved_on, acting_user=receiver)
    mobility.advance(file, S.ARRIVAL, on=path.day(STEP_DAYS["arrival"]), by=receiver)
    mobility.advance(file, S.SUPPORT, on=path.day(STEP_DAYS["support"]), by=receiver)
    if not _reached(path, S.HANDOVER):
        return
    exited_on = path.day(STEP_DAYS["handover"])
    mobility.advance(
        file,
        S.HANDOVER,
        on=exited_on,
        by=receiver,
        comment="Relais au service social du département ; le ménage garde son logement.",
    )
    # The household keeps its home, now a tenant like any other: the management mandate
    # ends and the home leaves the operator's stock (no vacancy).
    stay = record_exit(
        stay, exited_on=exited_on, destination="private_landlord", acting_user=receiver
    )
    unit.returned_on = exited_on
    save_unit(unit, acting_user=receiver)
    for vacancy in Vacancy.objects.filter(unit=unit, closed_on__isnull=True):
        close_vacancy(
            vacancy, closed_on=exited_on, reason=VacancyClosing.RETURNED, acting_user=receiver
        )
    windows = {w.months: w for w in rules.MILESTONES}
    for months, answers in path.follow_ups:
        services.record_follow_up(
            stay, on=windows[months].due_on(exited_on) + days(4), answers=answers, by=receiver
        )
