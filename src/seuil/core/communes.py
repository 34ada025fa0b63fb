"""The communes of France, found by their name or their INSEE code.

`data/communes.csv` lists every current commune (and the municipal arrondissements of
Paris, Lyon and Marseille): its INSEE code, its name and its département. It is drawn from
the official geographic code (COG) as the package `@etalab/decoupage-administratif` 6.0.0
publishes it (data under the Licence Ouverte / Open Licence 2.0 of Etalab); a new release
is drawn the same way (keep the rows whose `type` is `commune-actuelle` or
`arrondissement-municipal`: `code,nom,departement`).

People choose a commune by its name, as they say it: « Amiens », « amiens », « St Quentin »,
« Saint-Sauveur (80) » when several communes bear the name, or its INSEE code (« 80021 »). The
code is what Seuil keeps; pages show « Amiens (80021) ». Plain Python: the exchange import
may read it without Django.
"""

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data") / "communes.csv"

CODE_RE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
# « Saint-Sauveur (80) », « Amiens (80021) »: a name and, between brackets, its département
# or its code.
HINTED_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<hint>[0-9]{2,3}|2[AB]|[0-9]{5}|2[AB][0-9]{3})\)$")
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    department: str

    def __str__(self):
        return f"{self.name} ({self.code})"


def name_key(text):
    """The name as it is compared: no accent, no case, hyphens, apostrophes and spaces
    alike, « St » and « Ste » read « Saint » and « Sainte »."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", plain.replace("œ", "oe").replace("æ", "ae"))
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


@functools.cache
def _table():
    by_code, by_name = {}, {}
    with DATA.open(encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        next(rows)  # code,nom,departement
        for code, name, department in rows:
            commune = Commune(code, name, department)
            by_code[commune.code] = commune
            by_name.setdefault(name_key(commune.name), []).append(commune)
    return by_code, by_name


def by_code(code):
    """The commune of this INSEE code, or None."""
    return _table()[0].get((code or "").strip().upper())


def describe(code):
    """« Amiens (80021) »; « code 80999 (commune inconnue) » for a code no commune has."""
    if not code:
        return ""
    commune = by_code(code)
    return str(commune) if commune else f"code {code} (commune inconnue)"


class UnknownCommune(ValueError):
    """The French message of a name or a code that names no commune, or several."""


def find(text, department=None):
    """The commune `text` names (see the module's docstring); among homonyms, the one of
    `department` when there is one. Raises UnknownCommune with a French message."""
    text = " ".join((text or "").split())
    if not text:
        raise UnknownCommune("Saisissez le nom de la commune.")
    if CODE_RE.match(text.upper()):
        commune = by_code(text)
        if commune is None:
            raise UnknownCommune(
                f"« {text} » n'est le code INSEE d'aucune commune : vérifiez-le, ou saisissez "
                "le nom de la commune."
            )
        return commune
    name, hint = text, None
    hinted = HINTED_RE.match(text)
    if hinted:
        name, hint = hinted["name"], hinted["hint"].upper()
        if len(hint) == 5:
            commune = by_code(hint)
            if commune is not None and name_key(commune.name) == name_key(name):
                return commune
            hint = None
    found = _table()[1].get(name_key(name), [])
    if not found:
        raise UnknownCommune(
            f"Aucune commune ne s'appelle « {name} » : vérifiez l'orthographe, ou saisissez "
            "son code INSEE (5 caractères, par exemple 80021 pour Amiens)."
        )
    if hint:
        found = [c for c in found if c.department == hint] or found
    if len(found) > 1 and department:
        found = [c for c in found if c.department == department] or found
    if len(found) > 1:
        departments = ", ".join(sorted({c.department for c in found}))
        example = found[0]
        raise UnknownCommune(
            f"Plusieurs communes s'appellent « {example.name} » (départements {departments}) : "
            f"précisez le département, par exemple « {example.name} ({example.department}) »."
        )
    return found[0]


def find_all(text, department=None):
    """The communes of `text`, one a line (or separated by « ; »), each once in the order
    given, and the French messages of the lines that name none: (communes, errors)."""
    communes, errors, seen = [], [], set()
    for line in re.split(r"[\n;]", text or ""):
        if not line.strip():
            continue
        try:
            commune = find(line, department)
        except UnknownCommune as error:
            errors.append(str(error))
            continue
        if commune.code not in seen:
            seen.add(commune.code)
            communes.append(commune)
    return communes, errors
