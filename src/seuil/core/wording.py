"""French wording in one place: plurals by count and the elision of « de ».

French takes the singular below two: « 0 logement », « 1 personne », « 1,5 jour »,
« 2 personnes » (Django's `pluralize` writes « 0 logements »). A word is given by its
singular, or as « singulier,pluriel » when its plural is not regular or for several words:

    plural(3, "logement")                      "3 logements"
    plural(0, "logement")                      "0 logement"
    plural(2, "mois")                          "2 mois"
    plural(1, "ménage compté,ménages comptés")  "1 ménage compté"
    agreement(2, "correspond,correspondent")    "correspondent" (the word alone)
    of_name("Elif")                            "d'Elif"
    of_name("Martin")                          "de Martin"

In templates, through `{% load ui %}`: ``{{ n|pluriel:"logement" }}``,
``{{ n|accord:"a,ont" }}``, ``Historique {{ person.full_name|de }}``.
"""

import unicodedata
from decimal import Decimal

THOUSANDS = "\u202f"  # narrow no-break space, as amounts and the activity report write them

# Words ending so keep their form in the plural (un mois, deux mois; un prix, deux prix).
INVARIABLE_ENDINGS = ("s", "x", "z")
# « de » becomes « d' » before a vowel or a silent h (d'Elif, d'Hélène, d'Yasmine).
ELIDING_LETTERS = frozenset("aeiouyhæœ")


def _forms(forms):
    """(singular, plural) from « mot » or « singulier,pluriel »."""
    singular, comma, plural_form = str(forms).partition(",")
    singular, plural_form = singular.strip(), plural_form.strip()
    if comma:
        if not singular or not plural_form:
            raise ValueError(f"« {forms} » : écrivez « singulier,pluriel ».")
        return singular, plural_form
    if not singular or " " in singular:
        raise ValueError(f"« {forms} » : donnez le pluriel, « singulier,pluriel ».")
    return singular, _regular_plural(singular)


def _regular_plural(word):
    lowered = word.lower()
    if lowered.endswith(INVARIABLE_ENDINGS):
        return word
    if lowered.endswith(("au", "eu")):
        return word + "x"
    if lowered.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def phrase_plural(phrase):
    """The plural of a noun phrase, its first word made plural: « décision de la
    commission » → « décisions de la commission »."""
    first, _, rest = str(phrase).strip().partition(" ")
    return " ".join(filter(None, (_regular_plural(first), rest)))


def _number(count):
    """A count as a French number: Decimal, int or float; a numeric string is read."""
    if isinstance(count, bool):
        raise TypeError("un booléen n'est pas un nombre")
    if isinstance(count, str):
        count = Decimal(count.strip().replace(",", "."))
    if isinstance(count, float):
        count = Decimal(repr(count))
    return Decimal(count)


def is_singular(count):
    """French takes the singular when the absolute value is below 2."""
    return abs(_number(count)) < 2


def agreement(count, forms):
    """The form of the word that agrees with `count` (the word alone)."""
    singular, plural_form = _forms(forms)
    return singular if is_singular(count) else plural_form


def number_fr(count):
    """« 1 234 » (narrow no-break space between thousands), « 1,5 », « -3 »."""
    value = _number(count)
    if value == value.to_integral_value():
        text = f"{int(value):,}".replace(",", THOUSANDS)
    else:
        text = format(value.normalize(), ",f").replace(",", THOUSANDS).replace(".", ",")
    return text


def plural(count, forms):
    """The count and the word that agrees with it: « 0 logement », « 2 personnes »."""
    return f"{number_fr(count)} {agreement(count, forms)}"


def ordinal(number):
    """« 1er », « 2e », « 10e »: a rank, as a waiting list says it."""
    number = int(number)
    return "1er" if number == 1 else f"{number}e"


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def long_date(day):
    """« 1er novembre 2025 », « 31 octobre 2026 »: a day in words, always with its year."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def period(start, end):
    """A period, each end with its year: « 1er novembre 2025 – 31 octobre 2026 ». The one
    way a period is written on a page or in a document (PDF, DOCX, XLSX)."""
    return f"{long_date(start)} – {long_date(end)}"


def _first_letter(word):
    for character in word:
        if character.isalpha():
            return unicodedata.normalize("NFD", character)[0].lower()
    return ""


def of_name(word):
    """« de » before a name or a word, elided before a vowel or an h: « d'Elif »."""
    word = str(word).strip()
    if not word:
        return "de"
    return f"d'{word}" if _first_letter(word) in ELIDING_LETTERS else f"de {word}"
