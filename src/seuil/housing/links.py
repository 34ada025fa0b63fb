"""How a stay links a household to the operator of its unit (`households.links`), and the
rule stays set to a merge of two households (`households.merging`).

The operator is linked from the entry until `households.links.RETENTION[STAY]` days after
the exit (the follow-up after the exit); refreshed whenever a stay is saved or deleted
(`apps.py`).
"""

from seuil.households.links import Link, ends_after
from seuil.households.models import LinkReason

from . import invariants
from .models import Stay


def stay_links(household_ids):
    for stay in Stay.objects.filter(household_id__in=household_ids):
        yield Link(
            stay.organisation_id,
            stay.household_id,
            LinkReason.STAY,
            stay.uuid,
            stay.entered_on,
            ends_after(LinkReason.STAY, stay.exited_on),
        )


def overlapping_stays(kept, absorbed):
    """A merge of two households is refused when their stays overlap in time: one household
    cannot have lived in two units at once (registered with `households.merging`)."""
    stays = Stay.objects.filter(household__in=(kept, absorbed)).select_related("unit")
    clashes = invariants.find_overlaps(
        (0, stay.entered_on, stay.exited_on, stay) for stay in stays.order_by("pk")
    )
    return [
        f"Les séjours {a.ref} (logement {a.unit.ref}, entré le {a.entered_on:%d/%m/%Y}) et "
        f"{b.ref} (logement {b.unit.ref}, entré le {b.entered_on:%d/%m/%Y}) se chevauchent : "
        "corrigez ou supprimez l'un d'eux avant la fusion."
        for a, b in clashes
    ]
