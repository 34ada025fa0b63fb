"""Reading a parsed JSON document against a declarative description, with French errors.

A description is made of fields (`Text`, `Date`, `Amount`, `Number`, `Integer`, `Bool`,
`Code`, `OneOf`, `List`, `ListOf`, `Mapping`, `MapOf`, `Object`), each saying what one
value must be. A `Reader` reads values against them and collects every problem as a
(path, message) pair, the path JSON-style and the message in French; as a line::

    households[3].members[0].born_on : date invalide (AAAA-MM-JJ attendu)

A value that is absent (JSON null, or left out) takes the field's default, with an error
when the field is required; a wrong value reads as None after its error, so that reading
goes on and every error of the document is reported at once.

A path is given as text (`"rules.occupancy"`, `""` for the document itself) or, inside the
reader, as a pair (parent path, key or index), turned into text only for an error: big
documents are read without building the path of every value.

Texts and dates also follow the plausibility rule of `seuil.core.plausibility` (no
control character in a text; a date field may be given a check of its own).

Plain Python (no Django): the matching engine reads its instances with it.
"""

import functools
import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from .plausibility import check_text

CENT = Decimal("0.01")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER_TYPES = (int, float)


def path_text(path):
    """`households[3].members` for ((("households", 3), "members")), "" for the document."""
    if type(path) is not tuple:
        return path
    parent, key = path
    parent = path_text(parent)
    if type(key) is int:
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def line(path, message):
    """One error as a line: `path : message` (the message alone for the whole document)."""
    return f"{path} : {message}" if path else message


class Errors(list):
    """The (path, message) errors of a document, in the order they were found."""

    def add(self, path, message):
        self.append((path, message))

    def lines(self):
        return [line(path, message) for path, message in self]


class Reader:
    """Reads values against fields and collects their errors in `errors`.

    `missing` is the message of a required value left out; `{expected}` in it stands for
    what the field holds ("nombre attendu"). With `blank_is_absent`, an empty string counts
    as a value left out. `today`: the day that date checks compare with (the day the
    document is read, by default).
    """

    def __init__(self, *, missing="champ obligatoire", blank_is_absent=False, today=None):
        self.errors = Errors()
        self.missing = missing
        self.blank_is_absent = blank_is_absent
        self._today = today

    @property
    def today(self):
        if self._today is None:
            self._today = date.today()
        return self._today

    def error(self, path, message):
        """Record an error; returns None, the value of what was wrong."""
        self.errors.add(path_text(path), message)

    def value(self, value, field, path):
        """`value` read as `field` (what the field gives for a value left out when absent)."""
        if value is None or (self.blank_is_absent and value == ""):
            return self.absent(field, path)
        return field.read(value, path, self)

    def absent(self, field, path):
        if field.required:
            self.error(path, self.missing.format(expected=field.expected))
        return field.absent()

    def fields(self, obj, fields, path):
        """{name: value} of the object `obj` (a dict) read as `fields`, in their order."""
        # `value()` inlined: this loop reads every value of big documents.
        row = {}
        blank_is_absent = self.blank_is_absent
        for name, field in fields.items():
            value = obj.get(name)
            if value is not None and (not blank_is_absent or value != ""):
                row[name] = field.read(value, (path, name), self)
            elif field.required:
                row[name] = self.absent(field, (path, name))
            else:
                row[name] = field.absent()
        return row

    def unknown_keys(self, obj, known, path, message="champ inconnu"):
        """An error with `message` for each key of `obj` that is not in `known`."""
        for key in obj:
            if key not in known:
                self.error((path, str(key)), message)

    def object(self, value, fields, path, *, unknown="champ inconnu"):
        """`fields` of the object `value` (None when it is no object); with `unknown`,
        each key that is not one of `fields` is an error with that message."""
        if not isinstance(value, dict):
            return self.error(path, "objet attendu")
        if unknown:
            self.unknown_keys(value, fields, path, unknown)
        return self.fields(value, fields, path)

    def objects(self, value, path, *, required=False):
        """(index, object) of the list `value`, an error for each item that is no object."""
        objects = []
        for i, item in enumerate(self.value(value, List(required=required), path) or ()):
            if isinstance(item, dict):
                objects.append((i, item))
            else:
                self.error((path, i), "objet attendu")
        return objects


class Field:
    """What one value must be; `expected` names it in the error of a missing value."""

    expected = "valeur attendue"

    def __init__(self, *, required=False, default=None):
        self.required = required
        self.default = default

    def absent(self):
        """The value of the field when it is left out."""
        return self.default

    def read(self, value, path, reader):
        """The clean value of `value` (not None), or None after its error."""
        raise NotImplementedError


class Text(Field):
    """A string of one line without control characters, at most `max_length` long;
    `non_empty`: "" is wrong; `blank`: the error of a string of spaces; `pattern` (a
    compiled regex) and `mismatch`, its error (may use `{value}`). "" when absent, None
    when required."""

    expected = "texte attendu"

    def __init__(
        self,
        *,
        max_length=None,
        non_empty=False,
        blank=None,
        pattern=None,
        mismatch=None,
        required=False,
        default="",
    ):
        super().__init__(required=required, default=None if required else default)
        self.max_length = max_length
        self.non_empty = non_empty
        self.blank = blank
        self.pattern = pattern
        self.mismatch = mismatch
        self.plain = max_length is None and blank is None and pattern is None

    def read(self, value, path, reader):
        if not isinstance(value, str) or (self.non_empty and not value):
            expected = "texte non vide attendu" if self.non_empty else "texte attendu"
            return reader.error(path, expected)
        implausible = check_text(value)
        if implausible is not None:
            return reader.error(path, implausible)
        if self.plain:
            return value  # the common case, fast: big documents are mostly valid
        if self.max_length is not None and len(value) > self.max_length:
            return reader.error(
                path, f"texte trop long ({len(value)} caractères, {self.max_length} au plus)"
            )
        if self.blank and not value.strip():
            return reader.error(path, self.blank)
        if self.pattern is not None and not self.pattern.match(value):
            return reader.error(path, self.mismatch.format(value=value))
        return value


@functools.lru_cache(maxsize=65536)
def _day(text):
    """The date of an ISO text, one object per text: a large document repeats the same
    days many times (a few hundred thousand dates, a few tens of thousands of days)."""
    return date.fromisoformat(text)


class Date(Field):
    """An ISO date `YYYY-MM-DD`, read as a `datetime.date`; `check(day, today)`: the
    message of an implausible day (`seuil.core.plausibility`), None for a plausible one."""

    expected = "date attendue"

    def __init__(self, *, check=None, required=False):
        super().__init__(required=required)
        self.check = check

    def read(self, value, path, reader):
        if not isinstance(value, str) or not DATE_RE.match(value):
            return reader.error(path, "date invalide (AAAA-MM-JJ attendu)")
        try:
            day = _day(value)
        except ValueError:
            return reader.error(path, f"date inexistante « {value} »")
        if self.check is not None:
            implausible = self.check(day, reader.today)
            if implausible is not None:
                return reader.error(path, implausible)
        return day


class Amount(Field):
    """An amount of money: a number ≥ 0, at most `max_value`, with two decimals at most,
    read as a `Decimal`."""

    expected = "nombre attendu"

    def __init__(self, *, max_value=Decimal("9999999.99"), required=False):
        super().__init__(required=required)
        self.max_value = max_value

    def read(self, value, path, reader):
        amount = _decimal(value)
        if amount is None:
            return reader.error(path, "nombre attendu")
        if amount < 0:
            return reader.error(path, "nombre négatif interdit")
        if amount > self.max_value:
            return reader.error(path, f"nombre trop grand (au plus {self.max_value})")
        if amount != amount.quantize(CENT):
            return reader.error(path, "deux décimales au plus")
        return amount


def _decimal(value):
    """The finite Decimal of a JSON number (float, int or Decimal), None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


class Number(Field):
    """A finite number, read as a float; `low`, `high`: bounds (inclusive), whose error
    keeps the value. `default` (0.0) when absent."""

    expected = "nombre attendu"

    def __init__(self, *, low=None, high=None, required=False, default=0.0):
        super().__init__(required=required, default=default)
        self.low = low
        self.high = high

    def read(self, value, path, reader):
        if value.__class__ is bool or not isinstance(value, NUMBER_TYPES):
            return reader.error(path, "nombre attendu")
        if not math.isfinite(value):
            return reader.error(path, "nombre fini attendu")
        low, high = self.low, self.high
        if low is not None and value < low:
            bounds = f"entre {low} et {high}" if high is not None else f"supérieur ou égal à {low}"
            reader.error(path, f"nombre {bounds} attendu")
        elif high is not None and value > high:
            reader.error(path, f"nombre entre {low} et {high} attendu")
        return float(value)


class Integer(Field):
    """A whole number ≥ 0 (`2.0` is 2). `default` (0) when absent."""

    expected = "entier attendu"

    def __init__(self, *, required=False, default=0):
        super().__init__(required=required, default=default)

    def read(self, value, path, reader):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value.__class__ is bool or not isinstance(value, int) or value < 0:
            return reader.error(path, "entier positif ou nul attendu")
        return value


class Bool(Field):
    """true or false; false when absent."""

    expected = "booléen attendu"

    def __init__(self, *, required=False):
        super().__init__(required=required, default=False)

    def read(self, value, path, reader):
        if value.__class__ is not bool:
            return reader.error(path, "booléen attendu (true ou false)")
        return value


class Code(Field):
    """One of the codes `choices` (strings). "" when absent, None when required."""

    expected = "code attendu"

    def __init__(self, choices, *, required=False):
        super().__init__(required=required, default=None if required else "")
        self.choices = tuple(choices)

    def read(self, value, path, reader):
        if not isinstance(value, str):
            return reader.error(path, "code attendu (texte)")
        if value not in self.choices:
            return reader.error(
                path, f"code inconnu « {value} » (attendu : {', '.join(self.choices)})"
            )
        return value


class OneOf(Field):
    """One of a few JSON values, null among them (the value when absent), read as its
    index in `values`."""

    expected = "valeur attendue"

    def __init__(self, values):
        super().__init__(default=values.index(None))
        self.values = tuple(values)

    def read(self, value, path, reader):
        if value not in self.values:
            shown = ", ".join("null" if v is None else f"« {v} »" for v in self.values)
            return reader.error(path, f"une de ces valeurs attendue : {shown}")
        return self.values.index(value)


class List(Field):
    """A list, as it is (its items are read apart); None when absent."""

    expected = "liste attendue"

    def read(self, value, path, reader):
        if not isinstance(value, list):
            return reader.error(path, "liste attendue")
        return value


class ListOf(Field):
    """A list of `item` values; [] when absent, None when required.

    `wrong`: the error of a value that is no list; `empty`: the error of an empty list;
    `unique`: the error of a value given twice; `sort`: read sorted. An item in error makes
    the whole list wrong, unless `partial`: the list is then read without it.
    """

    expected = "liste attendue"

    def __init__(
        self,
        item,
        *,
        wrong="liste attendue",
        empty=None,
        unique=None,
        sort=False,
        partial=False,
        required=False,
    ):
        super().__init__(required=required)
        self.item = item
        self.wrong = wrong
        self.empty = empty
        self.unique = unique
        self.sort = sort
        self.partial = partial

    def absent(self):
        return None if self.required else []

    def read(self, value, path, reader):
        if not isinstance(value, list):
            return reader.error(path, self.wrong)
        if not value:
            return reader.error(path, self.empty) if self.empty else []
        read = self.item.read
        items = []
        failed = False
        for i, v in enumerate(value):
            item = read(v, (path, i), reader)
            if item is None:
                failed = True
            else:
                items.append(item)
        if failed and not self.partial:
            return None
        if self.unique and len(set(items)) != len(items):
            return reader.error(path, self.unique)
        return sorted(items) if self.sort else items


class Mapping(Field):
    """An object, as it is; {} when absent. `wrong`: the error of a value that is none."""

    expected = "objet attendu"

    def __init__(self, *, wrong="objet attendu"):
        super().__init__()
        self.wrong = wrong

    def absent(self):
        return {}

    def read(self, value, path, reader):
        if not isinstance(value, dict):
            return reader.error(path, self.wrong)
        return value


class MapOf(Mapping):
    """An object whose every value is read as `item` (keys kept, in their order)."""

    def __init__(self, item):
        super().__init__()
        self.item = item

    def read(self, value, path, reader):
        if super().read(value, path, reader) is None:
            return None
        return {key: reader.value(v, self.item, (path, str(key))) for key, v in value.items()}


class Object(Field):
    """An object with `fields`, read as {name: value}; `unknown`: the error of a key that
    is not one of them (None: such keys are ignored). None when absent."""

    expected = "objet attendu"

    def __init__(self, fields, *, unknown="champ inconnu", required=False):
        super().__init__(required=required)
        self.fields = fields
        self.unknown = unknown

    def read(self, value, path, reader):
        return reader.object(value, self.fields, path, unknown=self.unknown)
