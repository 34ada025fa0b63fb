"""Errors of the exchange: French messages for people, JSON paths for programs."""

from seuil.core import wording
from seuil.core.jsondoc import line


def plural(count, singular, plural_form=None):
    return wording.plural(count, f"{singular},{plural_form}" if plural_form else singular)


class ExchangeError(Exception):
    """An import or export that cannot be done; `errors` are lines to show the user."""

    def __init__(self, errors, summary=None):
        self.errors = list(errors)
        self.summary = summary or "Rien n'a été enregistré."
        super().__init__("\n".join([*self.errors, self.summary]))


class ExchangeFileError(ExchangeError):
    """The file cannot be read as a seuil-exchange/1 document at all (missing, not JSON…)."""

    def __init__(self, message):
        super().__init__([], f"Import refusé : {message} Rien n'a été enregistré.")


class ExchangeValidationError(ExchangeError):
    """The file breaks the format or the rules; nothing was written.

    `errors` are strings `path : message` (e.g. `households[3].members[1].birth_date : date
    invalide (AAAA-MM-JJ attendu)`); `items` the same as (path, message) pairs.
    """

    def __init__(self, items):
        self.items = list(items)
        errors = [line(path, message) for path, message in self.items]
        summary = f"Import refusé : {plural(len(errors), 'erreur')}, rien n'a été enregistré."
        super().__init__(errors, summary)
