"""French plurals and elision, from Python and from templates: one helper for every page."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from seuil.core.wording import agreement, number_fr, of_name, plural


def render(source, **context):
    return Template("{% load ui %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 logement"), (1, "1 logement"), (2, "2 logements"), (-1, "-1 logement")],
)
def test_french_keeps_the_singular_below_two(count, expected):
    assert plural(count, "logement") == expected


@given(st.integers(min_value=-1, max_value=1))
def test_zero_and_one_take_the_singular(count):
    assert plural(count, "personne").endswith(" personne")


@given(st.integers(min_value=2, max_value=10**9) | st.integers(max_value=-2, min_value=-(10**9)))
def test_two_and_more_take_the_plural(count):
    assert plural(count, "personne").endswith(" personnes")


@given(st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=2))
def test_a_decimal_is_plural_from_two_and_written_with_a_comma(count):
    text = plural(count, "jour")
    number, word = text.rsplit(" ", 1)
    assert word == ("jour" if abs(count) < 2 else "jours")
    assert "." not in number
    assert Decimal(number.replace("\u202f", "").replace(",", ".")) == count


@given(st.integers(min_value=0, max_value=10**12))
def test_the_number_reads_back_with_its_thousands_apart(count):
    text = number_fr(count)
    assert int(text.replace("\u202f", "")) == count
    assert all(len(group) == 3 for group in text.split("\u202f")[1:])


def test_regular_and_irregular_plurals():
    assert plural(3, "mois") == "3 mois"
    assert plural(2, "prix") == "2 prix"
    assert plural(2, "journal") == "2 journaux"
    assert plural(2, "tuyau") == "2 tuyaux"
    assert plural(2, "ménage compté,ménages comptés") == "2 ménages comptés"
    assert plural(1, "ménage compté,ménages comptés") == "1 ménage compté"
    assert agreement(3, "a,ont") == "ont" and agreement(1, "a,ont") == "a"


def test_several_words_need_their_plural_given():
    with pytest.raises(ValueError, match="singulier,pluriel"):
        plural(2, "code de secours")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Elif", "d'Elif"),
        ("Émilie Bernard", "d'Émilie Bernard"),
        ("Hélène", "d'Hélène"),
        ("Yasmine", "d'Yasmine"),
        ("Martin", "de Martin"),
        ("Amiens Habitat", "d'Amiens Habitat"),
        ("Association A", "d'Association A"),
        ("Oumar", "d'Oumar"),
        ("Ursula", "d'Ursula"),
        ("Inès", "d'Inès"),
        ("Zoé", "de Zoé"),
    ],
)
def test_de_is_elided_before_a_vowel_or_an_h(name, expected):
    assert of_name(name) == expected


def test_the_template_filters_speak_the_same_rules():
    html = render(
        '{{ zero|pluriel:"logement" }} · {{ one|pluriel:"personne" }} · '
        '{{ two|pluriel:"personne" }} · {{ two|accord:"correspond,correspondent" }} · '
        "Historique {{ name|de }} · Historique {{ other|de }}",
        zero=0,
        one=1,
        two=2,
        name="Elif",
        other="Martin",
    )
    assert html == (
        "0 logement · 1 personne · 2 personnes · correspondent · "
        "Historique d&#x27;Elif · Historique de Martin"
    )


def test_no_template_pluralises_the_english_way():
    """Django's `pluralize` writes « 0 logements »: every template counts with `pluriel`."""
    from pathlib import Path

    import seuil

    root = Path(seuil.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "|pluralize" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
