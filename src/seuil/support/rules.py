"""The dates of support, in plain Python (no Django): the exchange file, the pages, the API
and the activity report all read them here.

- **Cap**: when a programme caps support at M months (`Programme.max_support_months`), the
  last end of a contract, amendments included, is the day before the M-month anniversary of
  the stay's entry; an anniversary that does not exist falls on the month's last day
  (entered 2023-11-15, M = 18: last end 2025-05-14; entered 2023-08-31, M = 18: anniversary
  2025-02-28, last end 2025-02-27).
- **Amendments**: taken in the order they were signed (the order given for a same day),
  each moves the end later than the end before it.
- **In force**: a contract is in force on D when it was signed on or before D and
  `starts_on <= D <=` its end as known on D: the end of its last amendment signed on or
  before D, else its own `ends_on`.
- **Late signature**: signed more than 30 days after the stay's entry.
"""

import calendar
from datetime import date, timedelta

LATE_SIGNATURE_DAYS = 30
ENDING_SOON_DAYS = 30  # contracts ending within this many days: amend or prepare the exit
DEFAULT_NO_CONTACT_DAYS = 30


def add_months(day, months):
    """The day `months` months after `day`; a day the month lacks falls on its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_possible_end(entered_on, max_months):
    """The last day support may end for a stay entered on `entered_on` under a cap of
    `max_months` months; None when there is no cap (or no entry date)."""
    if max_months is None or entered_on is None:
        return None
    return add_months(entered_on, max_months) - timedelta(days=1)


def cap_error(ends_on, entered_on, max_months):
    """The French message of an end beyond the programme's cap, None when within it."""
    last = last_possible_end(entered_on, max_months)
    if last is None or ends_on is None or ends_on <= last:
        return None
    return (
        f"l'accompagnement ne peut aller au-delà de {max_months} mois après l'entrée du "
        f"{entered_on:%d/%m/%Y} : fin au plus tard le {last:%d/%m/%Y}"
    )


def dates_error(starts_on, ends_on):
    """The French message of a contract that ends before it starts, None otherwise."""
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return "la fin du contrat précède son début"
    return None


def in_signing_order(amendments):
    """The indexes of `amendments` ((signed_on, ends_on) pairs) in the order they were
    signed; a same day keeps the order given. Amendments without a date come last."""
    return sorted(
        range(len(amendments)),
        key=lambda i: (amendments[i][0] is None, amendments[i][0] or date.min, i),
    )


def amendment_errors(ends_on, amendments):
    """[(index, French message)] of the amendments ((signed_on, ends_on) pairs) that do not
    move the end later than the end before them (the contract's `ends_on` for the first).
    An amendment without both dates is not compared (its error is elsewhere)."""
    errors = []
    previous = ends_on
    for i in in_signing_order(amendments):
        signed_on, new_end = amendments[i]
        if signed_on is None or new_end is None:
            continue
        if previous is not None and new_end <= previous:
            errors.append(
                (i, f"un avenant doit reporter la fin après le {previous:%d/%m/%Y}, la fin d'avant")
            )
        else:
            previous = new_end
    return errors


def end_known_on(ends_on, amendments, day):
    """The end of a contract as known on `day`: the end of its last amendment
    ((signed_on, ends_on) pairs) signed on or before `day`, else its own `ends_on`."""
    signed = [(s, e) for s, e in amendments if s is not None and s <= day]
    if not signed:
        return ends_on
    return max(signed)[1]


def current_end(ends_on, amendments):
    """The end of a contract with all its amendments: the last one signed, else its own."""
    if not amendments:
        return ends_on
    return max(amendments, key=lambda a: (a[0] or date.min, a[1]))[1]


def in_force_on(signed_on, starts_on, ends_on, amendments, day):
    """Is a contract in force on `day`? (see the module's docstring)"""
    if signed_on > day or starts_on > day:
        return False
    return day <= end_known_on(ends_on, amendments, day)


def days_entry_to_contract(entered_on, signed_on):
    return (signed_on - entered_on).days


def signed_late(entered_on, signed_on):
    """Signed more than 30 days after the stay's entry."""
    return days_entry_to_contract(entered_on, signed_on) > LATE_SIGNATURE_DAYS
