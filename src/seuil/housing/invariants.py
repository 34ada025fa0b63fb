"""The rules that stays must keep, as pure functions over plain dates.

Shared by the entry/exit services (one stay against the database) and the importer
(every stay of a file at once). Each function returns French messages; empty means valid.
Intervals are half-open: a stay occupies [entered_on, exited_on), so a household may
enter a unit on the day the previous one leaves.
"""

from datetime import date

FAR_FUTURE = date.max


def _end(exited_on):
    return FAR_FUTURE if exited_on is None else exited_on


def intervals_overlap(start_a, end_a, start_b, end_b):
    """True when [start_a, end_a) and [start_b, end_b) share a day (None = open end).

    An empty stay (exit on the day of entry) occupies no day and overlaps nothing.
    """
    if start_a == end_a or start_b == end_b:
        return False
    return start_a < _end(end_b) and start_b < _end(end_a)


def stay_dates_errors(entered_on, exited_on):
    if exited_on is not None and exited_on < entered_on:
        return ["La date de sortie précède la date d'entrée."]
    return []


def stay_stock_errors(entered_on, exited_on, captured_on, returned_on, *, apart=False):
    """A stay must lie within the unit's time in stock [captured_on, returned_on).

    With `apart`, the messages about its start and about its end, as two lists."""
    early, late = [], []
    if entered_on < captured_on:
        early.append(
            f"Le logement n'est dans le parc que depuis le {captured_on:%d/%m/%Y} : "
            "on ne peut y entrer avant."
        )
    if returned_on is not None and _end(exited_on) > returned_on:
        late.append(
            f"Le logement a été rendu au bailleur le {returned_on:%d/%m/%Y} : "
            "le séjour doit se terminer au plus tard ce jour-là."
        )
    return (early, late) if apart else early + late


def find_overlaps(stays):
    """Pairs of overlapping stays among `stays` that share a key.

    `stays` is an iterable of (key, entered_on, exited_on, label); returns a list of
    (label_a, label_b) in a stable order. Sorting by start makes it O(n log n).
    """
    by_key = {}
    for key, entered_on, exited_on, label in stays:
        by_key.setdefault(key, []).append((entered_on, _end(exited_on), label))
    clashes = []
    for items in by_key.values():
        items.sort(key=lambda item: (item[0], item[1], str(item[2])))
        latest_end, latest_label = None, None
        for start, end, label in items:
            if start == end:
                continue  # an empty stay occupies no day
            if latest_end is not None and start < latest_end:
                clashes.append((latest_label, label))
            if latest_end is None or end > latest_end:
                latest_end, latest_label = end, label
    return clashes


def membership_dates_errors(joined_on, left_on):
    if joined_on is not None and left_on is not None and left_on < joined_on:
        return ["La date de départ du ménage précède la date d'arrivée."]
    return []
