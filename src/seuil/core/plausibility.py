"""The one plausibility rule for dates and text, used by every door (pages, API, import).

- A birth date is not after today, nor before 1900-01-01.
- A dated event (an entry, an exit, a legal status since, resources on, a member joining
  or leaving) is not before 1900-01-01, nor more than one year after today.
- A text holds no control character (NUL among them); free text (several lines) may hold
  tabs and line breaks.

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


def one_year_after(today):
    """The same day a year later (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


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


def validate_text(value):
    _raise(check_text(value))


def validate_free_text(value):
    _raise(check_text(value, multiline=True))
