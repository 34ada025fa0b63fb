"""How a stay links a household to the operator of its unit (`households.links`).

The operator is linked from the entry until `households.links.RETENTION[STAY]` days after
the exit (the follow-up after the exit); refreshed whenever a stay is saved or deleted
(`apps.py`).
"""

from seuil.households.links import Link, ends_after
from seuil.households.models import LinkReason

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
