"""The values of a spreadsheet's cells as the values of a `seuil-exchange/1` file, and back.

`read_cell(value, field, choices)` turns what a cell holds (text, number, date, boolean, as
the spreadsheet gives it) into the JSON value that the field of `schema` reads (an ISO
date, a number, true or false, a code), or says in French why it cannot: a social worker
types « 02/04/1988 », « 420,50 », « oui » or a label of the drop-down list, the exchange
file holds "1988-04-02", 420.5, true and a code. Whether the value is then right (a date
that exists and is plausible, an amount with two decimals, a known code) is `schema`'s
rule, read by the same fields as a JSON file.

`write_cell(value, field, choices)` is the way back, for the export: dates as dates,
codes as their French label, true and false as « Oui » and « Non ».
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from seuil.core.jsondoc import Amount, Bool, Code, Date, Integer, ListOf, Text
from seuil.core.spreadsheet import read_text, safe_text

from .outcomes import Answer, Score
from .sheets import ITEM_SEPARATOR
from .tenancy import DueDay, Month

YES = ("oui", "o", "vrai", "true", "x", "1", "yes")
NO = ("non", "n", "faux", "false", "0", "no")
NOT_KNOWN = ("non connu", "inconnu", "ne sait pas", "?")
LABEL_YES, LABEL_NO = "Oui", "Non"
DAY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")
MONTH_RE = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
ISO_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
SPACES = re.compile(r"[\s\u00a0\u202f]+")
LIST_SPLIT = re.compile(r"[;\n]")
COMMUNES_SPLIT = re.compile(r"[;,\s]+")
FLOAT_DIGITS = 6  # a spreadsheet's 0.1 + 0.2 is 0.30000000000000004: 0.3 is meant


class CellError(ValueError):
    """A cell that cannot be read; the message is in French."""


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _fold(text):
    return SPACES.sub(" ", text).strip().casefold()


def kind_of(field):
    """What a field holds, as a cell: date, month, boolean, answer, code, codes, texts,
    whole, amount or text."""
    if isinstance(field, Month):
        return "month"
    if isinstance(field, Date):
        return "date"
    if isinstance(field, Answer):
        return "answer"
    if isinstance(field, Bool):
        return "boolean"
    if isinstance(field, Code):
        return "code"
    if isinstance(field, ListOf):
        return "codes" if isinstance(field.item, Code) else "texts"
    if isinstance(field, Amount):
        return "amount"
    if isinstance(field, Integer | DueDay | Score):
        return "whole"
    if isinstance(field, Text):
        return "text"
    raise TypeError(f"no cell for {type(field).__name__}")


# ---------------------------------------------------------------- reading


def read_cell(value, field, choices=None):
    """The JSON value of the cell `value` for `field` (None for an empty cell); raises
    CellError with a French message when the cell cannot be read. `choices`: the enum of a
    coded field, whose labels are read as its codes."""
    if _blank(value):
        return None
    return READERS[kind_of(field)](value, choices)


def _read_date(value, _choices):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise CellError(
            f"« {_shown(value)} » n'est pas une date (JJ/MM/AAAA attendu ; vérifiez que la "
            "cellule est au format date ou texte)"
        )
    text = value.strip()
    iso = ISO_DATETIME_RE.match(text)
    if iso:
        text = iso.group(1)
    if ISO_DAY_RE.match(text):
        _check_day(text, int(text[:4]), int(text[5:7]), int(text[8:]))
        return text
    match = DAY_RE.match(text)
    if match is None:
        raise CellError(f"date invalide « {text} » (JJ/MM/AAAA attendu)")
    day, month, year = (int(part) for part in match.groups())
    _check_day(text, year, month, day)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _check_day(text, year, month, day):
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"date inexistante « {text} »") from None


def _read_month(value, _choices):
    if isinstance(value, datetime.date):  # a datetime too: Excel makes « 12/2023 » a date
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    if ISO_MONTH_RE.match(text):
        return text
    match = MONTH_RE.match(text)
    if match is None:
        raise CellError(f"mois invalide « {text} » (MM/AAAA ou AAAA-MM attendu)")
    month, year = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}"


def _read_boolean(value, _choices, *, unknown=False):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _fold(str(value))
    if text in YES:
        return True
    if text in NO:
        return False
    if unknown and text in NOT_KNOWN:
        return None
    expected = "« Oui », « Non » ou vide (non connu)" if unknown else "« Oui » ou « Non »"
    raise CellError(f"« {_shown(value)} » : {expected} attendu")


def _read_answer(value, choices):
    return _read_boolean(value, choices, unknown=True)


def _code(text, choices):
    """The code of `text`, a code or a label of `choices` (case and spaces ignored)."""
    text = text.strip()
    if text in choices.values:
        return text
    folded = _fold(text)
    for code, label in choices.choices:
        if folded in (_fold(str(label)), _fold(code)):
            return code
    labels = ", ".join(f"« {label} »" for label in choices.labels)
    raise CellError(f"valeur inconnue « {text} » (choisir dans la liste : {labels})")


def _read_code(value, choices):
    return _code(_text(value), choices)


def _read_codes(value, choices):
    items = [item for item in LIST_SPLIT.split(_text(value)) if item.strip()]
    unknown = []
    codes = []
    for item in items:
        try:
            codes.append(_code(item, choices))
        except CellError:
            unknown.append(f"« {item.strip()} »")
    if unknown:
        labels = ", ".join(f"« {label} »" for label in choices.labels)
        raise CellError(
            f"{'valeur inconnue' if len(unknown) == 1 else 'valeurs inconnues'} "
            f"{', '.join(unknown)} (séparer les valeurs par « {ITEM_SEPARATOR} » et les "
            f"choisir parmi : {labels})"
        )
    return codes


def _read_texts(value, _choices):
    return [item for item in COMMUNES_SPLIT.split(_text(value)) if item]


def _number(value):
    """The Decimal of a cell holding a number (typed or as text « 1 234,50 »)."""
    if isinstance(value, bool):
        raise CellError(f"« {_shown(value)} » n'est pas un nombre")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(round(value, FLOAT_DIGITS)))
    if isinstance(value, Decimal):
        return value
    text = SPACES.sub("", str(value)).removesuffix("€").replace(",", ".")
    if not NUMBER_RE.match(text):
        raise CellError(f"nombre invalide « {str(value).strip()} »")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"nombre invalide « {str(value).strip()} »") from None


def _json_number(number):
    """An int when whole (the fields of whole numbers take no Decimal), else the Decimal."""
    return int(number) if number == number.to_integral_value() else number


def _read_amount(value, _choices):
    return _json_number(_number(value))


def _read_whole(value, _choices):
    number = _number(value)
    if number != number.to_integral_value():
        raise CellError(f"nombre entier attendu (« {_shown(value)} »)")
    return int(number)


def _text(value):
    if isinstance(value, bool):
        raise CellError(f"texte attendu, pas « {_shown(value)} »")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _read_text(value, _choices):
    return read_text(_text(value).strip())


def _shown(value):
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    return str(value)


READERS = {
    "date": _read_date,
    "month": _read_month,
    "boolean": _read_boolean,
    "answer": _read_answer,
    "code": _read_code,
    "codes": _read_codes,
    "texts": _read_texts,
    "amount": _read_amount,
    "whole": _read_whole,
    "text": _read_text,
}


# ---------------------------------------------------------------- writing


def write_cell(value, field, choices=None):
    """What the cell of a JSON `value` of `field` holds in the exported workbook."""
    if value is None or value == "":
        return None
    kind = kind_of(field)
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind in ("boolean", "answer"):
        return LABEL_YES if value else LABEL_NO
    if kind == "code":
        return str(choices(value).label)
    if kind == "codes":
        return ITEM_SEPARATOR.join(str(choices(code).label) for code in value)
    if kind == "texts":
        return ITEM_SEPARATOR.join(value)
    if kind in ("amount", "whole"):
        return value
    return safe_text(value)
