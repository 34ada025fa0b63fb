"""Likely duplicates among the persons an import creates: warnings, never errors.

A new person of the file (a reference the organisation does not have yet) that is likely
one already recorded, or another new one of the same file, is reported by its place in the
file and the two references (`households.duplicates`: same birth date and similar names,
or same name and same birth year). The import goes on: an operator may well have two
homonyms; the warning asks to check, and the search finds both by their references.
"""

from itertools import chain

from seuil.households.duplicates import Identity, find_likely_duplicates
from seuil.households.models import Person

from .batches import BATCH_SIZE


def _recorded(organisation, refs):
    """Those of `refs` that are persons of `organisation` already (their refs
    streamed, `BATCH_SIZE` at a time)."""
    if organisation is None:
        return set()
    rows = Person.objects.filter(organisation=organisation).values_list("ref", flat=True)
    return {ref for ref in rows.iterator(chunk_size=BATCH_SIZE) if ref in refs}


def _others(organisation, seen):
    """The identities of the organisation's persons that the file does not list (read
    as a stream of tuples: only their blocks are kept, by `find_likely_duplicates`)."""
    if organisation is None:
        return
    rows = (
        Person.objects.filter(organisation=organisation)
        .values_list("ref", "first_name", "last_name", "birth_date")
        .iterator(chunk_size=BATCH_SIZE)
    )
    for ref, first_name, last_name, birth_date in rows:
        if ref not in seen:
            yield Identity((None, ref, True), first_name, last_name, birth_date)


def duplicate_warnings(document, organisation):
    """(path, message) for each new person of `document` likely already there
    (`organisation`: the one imported into, None when it is new)."""
    members = {}
    for i, household in document.rows("households"):
        for j, member in enumerate(household["members"] or []):
            if member is not None:
                members.setdefault(member["ref"], (i, j, member))
    known = _recorded(organisation, members.keys())
    if len(known) == len(members):
        return []  # a file that adds no person (the same file again) warns of nothing
    new, existing = [], []
    for ref, (i, j, member) in members.items():
        # The place in the file is spelt out only for a warning.
        identity = Identity(
            ((i, j), ref, ref in known),
            member["first_name"] or "",
            member["last_name"] or "",
            member["birth_date"],
        )
        (existing if ref in known else new).append(identity)
    warnings = []
    pairs = find_likely_duplicates(new, chain(existing, _others(organisation, members)))
    for identity, other, reason in pairs:
        (i, j), ref, _ = identity.key
        path = f"households[{i}].members[{j}]"
        _, other_ref, recorded = other.key
        where = "déjà enregistrée" if recorded else "du même fichier"
        warnings.append(
            (
                path,
                f"doublon probable : la nouvelle personne « {ref} » ressemble à la personne "
                f"« {other_ref} » {where} ({reason}) ; vérifiez qu'il s'agit bien de deux "
                "personnes (la nouvelle est importée)",
            )
        )
    return warnings
