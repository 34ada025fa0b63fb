"""How orientation links a household to organisations other than the one holding its file,
and the rule its requests set to a merge of two households (`open_requests`).

Two link sources (`households.links`), refreshed whenever a request or a referral is saved
or deleted (`apps.py`):

- a SIAO is linked by each request it received, from its reception, while it is in
  progress or admitted (until its referral closes, then the retention of
  `households.links.RETENTION`); a refusal closes it on its date (then the retention); a
  withdrawal ends the link on its date, with no retention;
- an operator is linked by an admitted referral to one of its programmes, from the
  admission until the referral closes (housed: its stay then links it, `housing.links`).

A landlord is never linked to a household file: it sees the proposals of its units through
their own queryset (`Proposal.objects.visible_to`), and a social note only with consent.
"""

from seuil.households.links import Link, ends_after
from seuil.households.models import LinkReason

from .enums import RequestStatus
from .models import Referral, Request


def request_links(household_ids):
    requests = Request.objects.filter(household_id__in=household_ids).select_related("referral")
    for request in requests:
        yield Link(
            request.siao_id,
            request.household_id,
            LinkReason.REQUEST,
            request.uuid,
            request.received_on,
            _request_ends(request),
        )


def _request_ends(request):
    if request.status == RequestStatus.WITHDRAWN:
        return request.status_since
    if request.status == RequestStatus.REFUSED:
        return ends_after(LinkReason.REQUEST, request.status_since)
    if request.status == RequestStatus.ADMITTED:
        referral = getattr(request, "referral", None)
        return ends_after(LinkReason.REQUEST, referral and referral.closed_on)
    return None


def referral_links(household_ids):
    referrals = Referral.objects.filter(household_id__in=household_ids).select_related("programme")
    for referral in referrals:
        yield Link(
            referral.programme.organisation_id,
            referral.household_id,
            LinkReason.REFERRAL,
            referral.uuid,
            referral.admitted_on,
            ends_after(LinkReason.REFERRAL, referral.closed_on),
        )


def open_requests(kept, absorbed):
    """A merge of two households each with a request in progress is refused: one household
    has one request under way at a time (registered with `households.merging`)."""
    in_progress = {
        household_id: ref
        for household_id, ref in Request.objects.in_progress()
        .filter(household__in=(kept, absorbed))
        .order_by("-received_on", "-pk")
        .values_list("household_id", "ref")
    }
    if len(in_progress) < 2:
        return []
    return [
        f"Les deux ménages ont chacun une demande d'orientation en cours "
        f"({in_progress[kept.pk]} et {in_progress[absorbed.pk]}) : clôturez ou retirez l'une "
        "d'elles avant la fusion."
    ]
