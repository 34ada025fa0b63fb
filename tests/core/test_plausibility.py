"""The one plausibility rule for dates and text: births, dated events, control characters."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from seuil.core.plausibility import (
    EARLIEST,
    check_birth_date,
    check_event_date,
    check_text,
    one_year_after,
    validate_birth_date,
    validate_free_text,
)

DAYS = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9998, 12, 31))
TODAYS = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2200, 12, 31))
CONTROL = st.characters(categories=["Cc"])
CONTROL_CHARS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))}


@given(value=DAYS, today=TODAYS)
def test_a_birth_date_is_plausible_exactly_from_1900_to_today(value, today):
    message = check_birth_date(value, today)
    assert (message is None) == (EARLIEST <= value <= today)
    if value > today:
        assert message == "date de naissance postérieure à aujourd'hui"
    elif value < EARLIEST:
        assert message == "date antérieure au 01/01/1900"


@given(value=DAYS, today=TODAYS)
def test_an_event_is_plausible_exactly_from_1900_to_a_year_after_today(value, today):
    latest = one_year_after(today)
    assert 365 <= (latest - today).days <= 366
    message = check_event_date(value, today)
    assert (message is None) == (EARLIEST <= value <= latest)
    if value > latest:
        assert message == (
            f"date plus d'un an après aujourd'hui (au plus tard le {latest:%d/%m/%Y})"
        )


def test_a_year_after_the_29th_of_february_is_the_28th():
    assert one_year_after(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


@given(before=st.text(), control=CONTROL, after=st.text())
def test_a_text_with_a_control_character_is_refused(before, control, after):
    value = before + control + after
    message = check_text(value)
    assert message is not None and message.startswith("caractère de contrôle interdit (U+")
    free = check_text(value, multiline=True)
    assert (free is None) == all(c in "\t\n\r" for c in value if c in CONTROL_CHARS)


@given(st.text(alphabet=st.characters(exclude_categories=["Cc"])))
def test_a_text_without_control_characters_is_accepted(value):
    assert check_text(value) is None
    assert check_text(value, multiline=True) is None


def test_free_text_keeps_its_tabs_and_line_breaks():
    assert check_text("Ligne 1\r\n\tLigne 2", multiline=True) is None
    assert check_text("Ligne 1\r\nLigne 2") == "caractère de contrôle interdit (U+000D)"
    assert check_text("Nom\x00") == "caractère de contrôle interdit (U+0000)"


def test_the_django_validators_speak_french_in_sentences(today):
    with pytest.raises(ValidationError) as caught:
        validate_birth_date(today + datetime.timedelta(days=1))
    assert caught.value.messages == ["Date de naissance postérieure à aujourd'hui."]
    validate_birth_date(today)
    with pytest.raises(ValidationError) as caught:
        validate_free_text("note\x07")
    assert caught.value.messages == ["Caractère de contrôle interdit (U+0007)."]
