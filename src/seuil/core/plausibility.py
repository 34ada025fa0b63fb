"""The one plausibility rule for dates and text, used by every door (pages, API, import).

- A birth date is not after today, nor before 1900-01-01.
- A dated event (an entry, an exit, a legal status since, resources on, a member joining
  or leaving) is not before 1900-01-01, nor more than one year after today.
- A planned end (a support contract's or an amendment's end) is not before 1900-01-01,
  nor more than three years after today: it is planned, not a fact, and the programme's
  cap (`Programme.max_support_months`, checked by `support.rules`) bounds it more closely
  where one is set — 18 months in IML-Réfugiés.
- A text holds no control character (NUL among them); free text (several lines) may hold
  tabs and line breaks.
- A household's priority criteria agree with its composition: « Famille monoparentale »
  needs a child and no partner, « Famille nombreuse » three children.
- A unit's typology suits the household's size (`TYPOLOGY_OCCUPANCY`, the matching engine's
  default occupancy too): outside it is a warning that a person confirms, not an error.

The `check_*` functions are plain Python (the import reads files without Django): each
returns the French message of what is wrong, or None when the value is plausible. The
`validate_*` functions are the Django validators built from them, for forms and serializers.
"""

import re
from datetime import date

EARLIEST = date(1900, 1, 1)
# The C0 and C1 control characters and DEL; free text keeps tab, line feed and carriage
# return (a browser sends a line break as CR LF).
ONE_LINE_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FREE_TEXT_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


PLANNED_END_YEARS = 3


def years_after(today, years):
    """The same day `years` years later (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def one_year_after(today):
    """The same day a year later (28 February for a 29 February)."""
    return years_after(today, 1)


def check_birth_date(value, today):
    """The message of a birth date after today or before 1900, None for a plausible one."""
    if value > today:
        return "date de naissance postérieure à aujourd'hui"
    if value < EARLIEST:
        return f"date antérieure au {EARLIEST:%d/%m/%Y}"
    return None


def check_event_date(value, today):
    """The message of an event's date before 1900 or more than a year after today."""
    if value < EARLIEST:
        return f"date antérieure au {EARLIEST:%d/%m/%Y}"
    latest = one_year_after(today)
    if value > latest:
        return f"date plus d'un an après aujourd'hui (au plus tard le {latest:%d/%m/%Y})"
    return None


def check_planned_end(value, today):
    """The message of a planned end before 1900 or more than three years after today."""
    if value < EARLIEST:
        return f"date antérieure au {EARLIEST:%d/%m/%Y}"
    latest = years_after(today, PLANNED_END_YEARS)
    if value > latest:
        return (
            f"fin prévue plus de {PLANNED_END_YEARS} ans après aujourd'hui "
            f"(au plus tard le {latest:%d/%m/%Y})"
        )
    return None


# Persons a typology suits by default, (fewest, most): the entry form's warning and the
# matching engine's occupancy rule when a SIAO sets none.
TYPOLOGY_OCCUPANCY = {
    "room": (1, 1),
    "T1": (1, 2),
    "T2": (1, 3),
    "T3": (2, 5),
    "T4": (3, 7),
    "T5": (4, 9),
    "T6": (5, 99),
}
CHILD_ROLE, PARTNER_ROLE = "child", "partner"
SINGLE_PARENT, LARGE_FAMILY = "single_parent", "large_family"
LARGE_FAMILY_CHILDREN = 3


def check_composition(criteria, roles):
    """The message of priority criteria that the household's members (their roles today:
    "head", "partner", "child", "other") contradict, None when they agree."""
    children = sum(1 for role in roles if role == CHILD_ROLE)
    if SINGLE_PARENT in criteria:
        if children == 0:
            return "« Famille monoparentale » : le ménage ne compte aucun enfant"
        if PARTNER_ROLE in roles:
            return "« Famille monoparentale » : le ménage compte un·e conjoint·e"
    if LARGE_FAMILY in criteria and children < LARGE_FAMILY_CHILDREN:
        counted = f"{children} enfant" if children < 2 else f"{children} enfants"
        return f"« Famille nombreuse » : le ménage compte {counted}, il en faut au moins 3"
    return None


def check_typology(typology, persons):
    """The warning for a unit of `typology` given to a household of `persons`, None when
    the size suits it (or is unknown)."""
    bounds = TYPOLOGY_OCCUPANCY.get(typology)
    if bounds is None or not persons:
        return None
    fewest, most = bounds
    size = "1 personne" if persons == 1 else f"{persons} personnes"
    if persons < fewest:
        return f"un ménage de {size} dans un logement prévu pour {fewest} personnes ou plus"
    if persons > most:
        return f"un ménage de {size} dans un logement prévu pour {most} personnes au plus"
    return None


def check_text(value, *, multiline=False):
    """The message of a text holding a control character (a tab or a line break too,
    unless `multiline`), None for a clean one."""
    found = (FREE_TEXT_CONTROL_RE if multiline else ONE_LINE_CONTROL_RE).search(value)
    if found is None:
        return None
    return f"caractère de contrôle interdit (U+{ord(found.group()):04X})"


# ---- Django validators ------------------------------------------------------------------


# Django is imported inside them: the checks above stay plain Python.


def _raise(message):
    if message is not None:
        from django.core.exceptions import ValidationError

        raise ValidationError(message[0].upper() + message[1:] + ".", code="implausible")


def _today():
    from django.utils import timezone

    return timezone.localdate()


def validate_birth_date(value):
    _raise(check_birth_date(value, _today()))


def validate_event_date(value):
    _raise(check_event_date(value, _today()))


def validate_planned_end(value):
    _raise(check_planned_end(value, _today()))


def validate_text(value):
    _raise(check_text(value))


def validate_free_text(value):
    _raise(check_text(value, multiline=True))
