"""The requests to a SIAO in the search (`households.search`): by reference, or those of
the households whose members match the query."""

from django.db.models import Prefetch, Q
from django.urls import reverse

from seuil.households.models import Membership
from seuil.households.search import Result, display_name

from .models import Request


def find_requests(context):
    query = context.query
    matching = Q(ref__in=query.ref_variants()) | Q(household__in=context.household_ids())
    requests = (
        Request.objects.visible_to(context.user)
        .filter(matching)
        .select_related("household", "siao")
        .prefetch_related(
            Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))
        )
        .order_by("-received_on", "-pk")
    )
    results = []
    for orientation_request in requests[:100]:
        household = orientation_request.household
        head = household.head_on(None)
        who = display_name(head.person) if head else f"ménage {household.ref}"
        results.append(
            Result(
                f"Demande {orientation_request.ref} – {who}",
                reverse("orientation:request_detail", args=[orientation_request.uuid]),
                [
                    f"{orientation_request.get_status_display()} depuis le "
                    f"{orientation_request.status_since:%d/%m/%Y}",
                    f"Reçue le {orientation_request.received_on:%d/%m/%Y} par "
                    f"{orientation_request.siao.name}",
                ],
                [household],
            )
        )
    return results
