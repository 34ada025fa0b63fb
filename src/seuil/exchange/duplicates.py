"""Likely duplicates among the persons an import creates: warnings, never errors.

A new person of the file (a reference the organisation does not have yet) that is likely
one already recorded, or another new one of the same file, is reported by its place in the
file and the two references (`households.duplicates`: same birth date and similar names,
or same name and same birth year). The import goes on: an operator may well have two
homonyms; the warning asks to check, and the search finds both by their references.
"""

from seuil.households.duplicates import Identity, find_likely_duplicates


def duplicate_warnings(document, snapshot):
    """(path, message) for each new person of `document` likely already there."""
    known = set(snapshot.persons)
    seen, new, existing = set(), [], []
    for i, household in document.rows("households"):
        for j, member in enumerate(household["members"] or []):
            if member is None or member["ref"] in seen:
                continue
            seen.add(member["ref"])
            # The place in the file is spelt out only for a warning.
            identity = Identity(
                ((i, j), member["ref"], member["ref"] in known),
                member["first_name"] or "",
                member["last_name"] or "",
                member["birth_date"],
            )
            (existing if member["ref"] in known else new).append(identity)
    for ref, row in snapshot.persons.items():
        if ref not in seen:
            existing.append(
                Identity((None, ref, True), row["first_name"], row["last_name"], row["birth_date"])
            )
    warnings = []
    for identity, other, reason in find_likely_duplicates(new, existing):
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
