"""The units in the search (`households.search`): by reference, or by the words of their
address (accents and case ignored)."""

from seuil.households.names import fold
from seuil.households.search import Result

from .models import HousingUnit


def find_units(context):
    query = context.query
    units = HousingUnit.objects.visible_to(context.user).select_related("programme")
    by_ref = list(units.filter(ref__in=query.ref_variants()))
    found = {u.pk for u in by_ref}
    by_address = []
    if query.words:
        # The addresses of the units the user may see, read in one query and compared
        # folded: a landlord or an operator has thousands of units, not millions.
        for pk, address in units.exclude(address="").values_list("pk", "address"):
            folded = fold(address).replace("'", " ").replace("-", " ")
            if pk not in found and all(word in folded for word in query.words):
                by_address.append(pk)
    by_address = list(units.filter(pk__in=by_address[:100]).order_by("ref"))
    return [_result(unit) for unit in by_ref + by_address]


def _result(unit):
    details = [unit.get_typology_display()]
    if unit.address:
        details.append(unit.address)
    if unit.programme:
        details.append(unit.programme.name)
    return Result(f"Logement {unit.ref}", unit.get_absolute_url(), details)
