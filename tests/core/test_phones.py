"""Phone numbers are read in any usual French or international form, stored in E.164 and
shown back as people write them; anything else is refused in French."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from seuil.core.phones import OVERSEAS, PhoneError, display_phone, normalise_phone, phone_digits

SEPARATORS = st.sampled_from(["", " ", ".", "-", "/"])


@given(
    first=st.sampled_from("1234567989"),
    rest=st.lists(st.integers(0, 99), min_size=4, max_size=4),
    separator=SEPARATORS,
    form=st.sampled_from(["national", "plus", "zeros", "plus_zero"]),
)
def test_a_metropolitan_number_reads_the_same_whatever_its_form(first, rest, separator, form):
    pairs = [f"{n:02d}" for n in rest]
    national = f"0{first}" + "".join(pairs)
    assume(national[1:4] not in OVERSEAS)  # overseas: their own country code (next test)
    written = {
        "national": separator.join([f"0{first}", *pairs]),
        "plus": f"+33 {first}" + separator + separator.join(pairs),
        "zeros": f"0033{first}" + "".join(pairs),
        "plus_zero": f"+33 (0){first}" + separator + separator.join(pairs),
    }[form]
    assert normalise_phone(written) == f"+33{national[1:]}"
    assert display_phone(normalise_phone(written)) == " ".join(
        national[i : i + 2] for i in range(0, 10, 2)
    )


@pytest.mark.parametrize(
    ("written", "stored", "shown"),
    [
        ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("0692 12 34 56", "+262692123456", "06 92 12 34 56"),  # La Réunion, mobile
        ("05 90 12 34 56", "+590590123456", "05 90 12 34 56"),  # Guadeloupe
        ("+262 692 12 34 56", "+262692123456", "06 92 12 34 56"),
        ("+44 20 7946 0000", "+442079460000", "+442079460000"),
        ("00 213 550 12 34 56", "+213550123456", "+213550123456"),
    ],
)
def test_numbers_are_stored_international_and_shown_as_written(written, stored, shown):
    assert normalise_phone(written) == stored
    assert display_phone(stored) == shown
    assert phone_digits(stored) == stored[1:]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "vide"),
        ("06 12 34 56", "10 chiffres"),
        ("6 12 34 56 78", "10 chiffres"),
        ("00 12", "de 8 à 15 chiffres"),
        ("06 12 34 56 7A", "que des chiffres"),
        ("+33 6 12 34 56", "9 chiffres"),
        ("+1 234", "de 8 à 15 chiffres"),
        ("+1234567890123456", "de 8 à 15 chiffres"),
    ],
)
def test_an_unreadable_number_is_refused_in_french(written, message):
    with pytest.raises(PhoneError, match=message):
        normalise_phone(written)
