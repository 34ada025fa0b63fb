"""Phone numbers: one rule to read what a person types, store it and show it.

A number is stored in the international E.164 form (``+33612345678``): a plus sign, the
country code and the number, digits only, at most 15 digits. What a social worker types is
read as follows (spaces, dots, dashes, slashes and brackets are ignored):

- ten digits starting with 0 (``06 12 34 56 78``): a French number. Those of the overseas
  départements keep their own country code (``0692…`` La Réunion → ``+262692…``,
  ``0590…`` Guadeloupe → ``+590590…``), as the telephone plan says;
- ``+`` or ``00`` then the country code (``+33 6 12 34 56 78``, ``0044 20 7946 0000``): an
  international number, 8 to 15 digits; after +33 (and the overseas codes) come exactly
  nine digits, the leading 0 of the national form dropped (``+33 (0)6…`` is accepted);
- anything else is refused with a French message saying what to type.

`phone_digits(e164)` is the number's digits without the plus sign (``33612345678``): the
form a search compares, after `normalise_phone` of what the user typed. Plain Python: no
Django import outside the validator (the import of a spreadsheet may use it).

Written here rather than taken from a library (``phonenumbers`` knows every country's plan
but weighs some 40 MB of metadata): Seuil needs French numbers exactly and international
ones in a plausible E.164 form, which these few lines do.
"""

import re

SEPARATORS_RE = re.compile(r"[\s.\-/()]")
# French national prefixes (the two digits after the 0) of the overseas départements and
# their country codes; every other 0X number is metropolitan (+33).
OVERSEAS = {
    "262": "262",  # La Réunion, fixed
    "692": "262",  # La Réunion, mobile
    "693": "262",
    "269": "262",  # Mayotte, fixed
    "639": "262",  # Mayotte, mobile
    "590": "590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    "690": "590",
    "691": "590",
    "594": "594",  # Guyane
    "694": "594",
    "596": "596",  # Martinique
    "696": "596",
    "697": "596",
}
# Country codes whose numbers, after the code, have exactly nine digits (the French plan).
FRENCH_PLAN_CODES = ("33", "262", "590", "594", "596")
HINT = (
    "Tapez un numéro français à 10 chiffres (06 12 34 56 78) ou un numéro international "
    "commençant par + et l'indicatif du pays (+44 20 7946 0000)."
)


class PhoneError(ValueError):
    """A number that cannot be read; the message says why, in French."""


def normalise_phone(text):
    """The E.164 form of `text` (see the module), or PhoneError with a French message."""
    raw = SEPARATORS_RE.sub("", text or "")
    if not raw:
        raise PhoneError("Le numéro est vide. " + HINT)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+"):
        digits = raw[1:]
        if not digits.isdigit():
            raise PhoneError("Un numéro ne contient que des chiffres après le +. " + HINT)
        for code in FRENCH_PLAN_CODES:
            if digits.startswith(code):
                national = digits[len(code) :]
                if len(national) == 10 and national.startswith("0"):
                    national = national[1:]  # +33 (0)6 12 34 56 78
                if len(national) != 9 or national.startswith("0"):
                    raise PhoneError(
                        f"Après +{code}, un numéro a 9 chiffres (sans le 0 initial). " + HINT
                    )
                return f"+{code}{national}"
        if not 8 <= len(digits) <= 15 or digits.startswith("0"):
            raise PhoneError(
                "Un numéro international a de 8 à 15 chiffres après le + (indicatif du pays "
                "compris). " + HINT
            )
        return f"+{digits}"
    if not raw.isdigit():
        raise PhoneError("Un numéro ne contient que des chiffres. " + HINT)
    if len(raw) != 10 or not raw.startswith("0") or raw[1] == "0":
        raise PhoneError("Un numéro français a 10 chiffres et commence par 0. " + HINT)
    national = raw[1:]
    return f"+{OVERSEAS.get(national[:3], '33')}{national}"


def phone_digits(e164):
    """The digits of a stored number, without the plus sign: what a search compares."""
    return e164.removeprefix("+")


def display_phone(e164):
    """A stored number as people read it: ``06 12 34 56 78`` for a French one (overseas
    included), ``+44 2079460000`` (the code apart) for another country's."""
    digits = phone_digits(e164)
    for code in FRENCH_PLAN_CODES:
        national = digits[len(code) :]
        if digits.startswith(code) and len(national) == 9:
            if code == "33" or OVERSEAS.get(national[:3]) == code:
                number = "0" + national
                return " ".join(number[i : i + 2] for i in range(0, 10, 2))
    return e164


def validate_phone(value):
    """Django validator: `value` is a number `normalise_phone` can read."""
    try:
        normalise_phone(value)
    except PhoneError as error:
        from django.core.exceptions import ValidationError

        raise ValidationError(str(error), code="phone") from None
