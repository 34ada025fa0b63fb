"""The dates of support (`seuil.support.rules`): the programme's cap with the month-end
rule, amendments that move the end later, a contract in force on a day."""

import calendar
import datetime

from hypothesis import given
from hypothesis import strategies as st

from seuil.support.rules import (
    add_months,
    amendment_errors,
    cap_error,
    end_known_on,
    in_force_on,
    last_possible_end,
    signed_late,
)

D = datetime.date
DAY = datetime.timedelta(days=1)


def test_the_two_examples_of_the_exchange_format():
    assert last_possible_end(D(2023, 11, 15), 18) == D(2025, 5, 14)
    assert last_possible_end(D(2023, 8, 31), 18) == D(2025, 2, 27)


def test_no_cap_no_last_day():
    assert last_possible_end(D(2023, 11, 15), None) is None
    assert cap_error(D(2099, 1, 1), D(2023, 11, 15), None) is None


def test_the_cap_message_gives_the_last_possible_day():
    assert cap_error(D(2025, 5, 14), D(2023, 11, 15), 18) is None
    message = cap_error(D(2025, 5, 15), D(2023, 11, 15), 18)
    assert "18 mois" in message
    assert "15/11/2023" in message
    assert "au plus tard le 14/05/2025" in message


def test_a_leap_day_entry():
    assert last_possible_end(D(2024, 2, 29), 12) == D(2025, 2, 27)
    assert last_possible_end(D(2024, 2, 29), 48) == D(2028, 2, 28)


@given(st.dates(D(1990, 1, 1), D(2090, 12, 31)), st.integers(1, 240))
def test_the_last_end_is_the_day_before_the_anniversary(entered_on, months):
    """Checked against a plain reading of the rule: the anniversary is the same day number
    `months` calendar months later, or the last day of that month when it has no such day."""
    month_index = entered_on.year * 12 + entered_on.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    days_in_month = calendar.monthrange(year, month)[1]
    anniversary = D(year, month, min(entered_on.day, days_in_month))
    last = last_possible_end(entered_on, months)
    assert last == anniversary - DAY
    assert cap_error(last, entered_on, months) is None
    assert f"au plus tard le {last:%d/%m/%Y}" in cap_error(last + DAY, entered_on, months)
    # Longer caps never give an earlier day; the anniversary keeps the day when it can.
    assert last_possible_end(entered_on, months + 1) > last
    if entered_on.day <= 28:
        assert add_months(entered_on, months).day == entered_on.day


def test_each_amendment_moves_the_end_later_in_the_order_signed():
    end = D(2024, 5, 31)
    ok = [(D(2024, 5, 20), D(2024, 11, 30)), (D(2024, 11, 15), D(2025, 2, 28))]
    assert amendment_errors(end, ok) == []
    # Listed out of order, still in order of signature: fine.
    assert amendment_errors(end, list(reversed(ok))) == []
    assert [i for i, _ in amendment_errors(end, [(D(2024, 5, 20), end)])] == [0]
    backwards = [(D(2024, 5, 20), D(2024, 11, 30)), (D(2024, 11, 15), D(2024, 10, 1))]
    ((index, message),) = amendment_errors(end, backwards)
    assert index == 1 and "30/11/2024" in message


def test_the_end_as_known_on_a_day_follows_the_amendments_signed_by_then():
    amendments = [(D(2024, 5, 20), D(2024, 11, 30)), (D(2024, 11, 15), D(2025, 2, 28))]
    end = D(2024, 5, 31)
    assert end_known_on(end, amendments, D(2024, 5, 19)) == end
    assert end_known_on(end, amendments, D(2024, 5, 20)) == D(2024, 11, 30)
    assert end_known_on(end, amendments, D(2025, 6, 1)) == D(2025, 2, 28)
    signed, starts = D(2023, 12, 1), D(2023, 12, 1)
    assert in_force_on(signed, starts, end, amendments, D(2024, 5, 31))
    # Signed later than the day, an amendment does not keep the contract in force.
    late = [(D(2024, 6, 10), D(2024, 11, 30))]
    assert not in_force_on(signed, starts, end, late, D(2024, 6, 5))
    assert in_force_on(signed, starts, end, late, D(2024, 6, 10))
    assert not in_force_on(D(2023, 12, 5), starts, end, [], D(2023, 12, 4))


def test_a_signature_is_late_after_thirty_days():
    assert not signed_late(D(2024, 1, 1), D(2024, 1, 31))
    assert signed_late(D(2024, 1, 1), D(2024, 2, 1))
