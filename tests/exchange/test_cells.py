"""A cell as a person types it reads as the value of the exchange file: dates in French or
ISO form or as dates, amounts with a comma or spaces, « oui »/« non », labels or codes in
any case; and what the export writes reads back as it was."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from seuil.core.jsondoc import Amount, Bool, Code, Date, ListOf, Text
from seuil.exchange.cells import CellError, read_cell, write_cell
from seuil.exchange.outcomes import Answer, Score
from seuil.exchange.sheets import SHEETS
from seuil.exchange.tenancy import DueDay, Month
from seuil.households.enums import ResourceType
from tests.conftest import examples

DATE = Date()
AMOUNT = Amount()
BOOL = Bool()
ANSWER = Answer()
DAYS = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
CODED = [
    (column.choices, sheet.spec[column.field])
    for sheet in SHEETS
    for column in sheet.columns
    if column.choices
]


def _french(day, pad):
    if pad:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day}/{day.month}/{day.year}"


@settings(max_examples=examples(200))
@given(day=DAYS, form=st.sampled_from(["iso", "french", "short", "date", "datetime", "dots"]))
def test_a_date_reads_whatever_way_it_is_typed(day, form):
    cell = {
        "iso": day.isoformat(),
        "french": _french(day, True),
        "short": _french(day, False),
        "date": day,
        "datetime": datetime.datetime(day.year, day.month, day.day),
        "dots": f"{day.day:02d}.{day.month:02d}.{day.year}",
    }[form]
    assert read_cell(cell, DATE) == day.isoformat()
    assert read_cell(write_cell(day.isoformat(), DATE), DATE) == day.isoformat()


@pytest.mark.parametrize(
    "cell, message",
    [
        ("31/02/2023", "date inexistante « 31/02/2023 »"),
        ("2023-13-01", "date inexistante « 2023-13-01 »"),
        ("demain", "date invalide « demain » (JJ/MM/AAAA attendu)"),
        (45000, "n'est pas une date"),
        (True, "n'est pas une date"),
    ],
)
def test_a_cell_that_is_no_date_says_so_in_french(cell, message):
    with pytest.raises(CellError) as refused:
        read_cell(cell, DATE)
    assert message in str(refused.value)


@settings(max_examples=examples(200))
@given(
    cents=st.integers(min_value=0, max_value=999_999_999),
    form=st.sampled_from(["float", "comma", "dot", "spaces", "euro", "int"]),
)
def test_an_amount_reads_whatever_way_it_is_typed(cents, form):
    amount = Decimal(cents) / 100
    text = f"{amount:.2f}"
    whole, decimals = text.split(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    cell = {
        "float": float(amount),
        "comma": text.replace(".", ","),
        "dot": text,
        "spaces": f"{grouped},{decimals}",
        "euro": f"{text.replace('.', ',')} €",
        "int": int(amount) if amount == int(amount) else float(amount),
    }[form]
    read = read_cell(cell, AMOUNT)
    assert Decimal(read) == amount
    assert isinstance(read, int) == (amount == amount.to_integral_value())


def test_a_float_made_by_a_formula_reads_as_the_amount_meant():
    assert read_cell(0.1 + 0.2, AMOUNT) == Decimal("0.3")
    with pytest.raises(CellError, match="nombre invalide « douze »"):
        read_cell("douze", AMOUNT)


@pytest.mark.parametrize("field", [DueDay(), Score(), SHEETS[1].spec["max_support_months"]])
def test_whole_numbers_read_as_integers(field):
    assert read_cell("5", field) == 5
    assert read_cell(5.0, field) == 5
    with pytest.raises(CellError, match="nombre entier attendu"):
        read_cell("2,5", field)


@settings(max_examples=examples(100))
@given(
    value=st.booleans(),
    form=st.sampled_from(["label", "upper", "bool", "number", "word"]),
)
def test_oui_non_reads_whatever_way_it_is_typed(value, form):
    cell = {
        "label": "Oui" if value else "Non",
        "upper": "OUI" if value else "NON",
        "bool": value,
        "number": int(value),
        "word": "vrai" if value else "faux",
    }[form]
    assert read_cell(cell, BOOL) is value
    assert read_cell(write_cell(value, BOOL), BOOL) is value


def test_an_answer_may_be_not_known_and_anything_else_is_refused():
    assert read_cell(None, ANSWER) is None
    assert read_cell("non connu", ANSWER) is None
    with pytest.raises(CellError, match="« Oui », « Non » ou vide"):
        read_cell("peut-être", ANSWER)
    with pytest.raises(CellError, match="« Oui » ou « Non » attendu"):
        read_cell("peut-être", BOOL)


@settings(max_examples=examples(200))
@given(data=st.data())
def test_a_code_reads_from_its_label_or_its_code_in_any_case(data):
    choices, field = data.draw(st.sampled_from(CODED))
    code, label = data.draw(st.sampled_from(choices.choices))
    shown = data.draw(st.sampled_from([str(label), str(label).upper(), code, f"  {label} "]))
    if isinstance(field, ListOf):
        assert read_cell(shown, field, choices) == [code]
    else:
        assert read_cell(shown, field, choices) == code
        assert read_cell(write_cell(code, field, choices), field, choices) == code


def test_an_unknown_code_lists_the_labels_to_choose_from():
    field = Code(ResourceType.values)
    with pytest.raises(CellError) as refused:
        read_cell("Loto", field, ResourceType)
    assert str(refused.value).startswith(
        "valeur inconnue « Loto » (choisir dans la liste : « Salaire »"
    )


@settings(max_examples=examples(100))
@given(codes=st.lists(st.sampled_from(ResourceType.values), min_size=1, max_size=4, unique=True))
def test_several_codes_in_one_cell_read_back_as_written(codes):
    field = ListOf(Code(ResourceType.values))
    written = write_cell(codes, field, ResourceType)
    assert read_cell(written, field, ResourceType) == codes
    assert read_cell(written.replace(";", "\n"), field, ResourceType) == codes


def test_communes_may_be_separated_by_semicolons_commas_or_spaces():
    field = ListOf(Text())
    assert read_cell("80021; 80001,80002 2A004", field) == ["80021", "80001", "80002", "2A004"]
    assert read_cell(80021, field) == ["80021"]


@settings(max_examples=examples(100))
@given(text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30))
def test_a_text_reads_back_as_written_even_when_it_looks_like_a_formula(text):
    # Spaces around a text are typing noise (cut); an apostrophe before a formula start is
    # the mark of the export (removed), so a text that starts with one is not drawn.
    text = text.strip()
    assume(text and not text.startswith("'"))
    assert read_cell(write_cell(text, Text()), Text()) == text
    assert read_cell(f"  {text} ", Text()) == text


def test_a_month_reads_from_a_date_or_text():
    month = Month()
    assert read_cell("2023-12", month) == "2023-12"
    assert read_cell("12/2023", month) == "2023-12"
    assert read_cell(datetime.datetime(2023, 12, 1), month) == "2023-12"
    with pytest.raises(CellError, match="mois invalide"):
        read_cell("décembre", month)
