"""The minutes of a commission meeting as PDF (WeasyPrint): date, SIAO, members present,
and each request on the agenda with its decision. No network access: the document has no
external resource, its style sheet is passed as a string."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from seuil.core.pdf import print_pdf
from seuil.households.models import Membership


def agenda_rows(meeting):
    """[(request, its decision at this meeting or None)] in the agenda's order, as the
    meeting's page and its minutes show them."""
    items = list(
        meeting.agenda_items.select_related("request__household")
        .prefetch_related(
            Prefetch(
                "request__household__memberships",
                queryset=Membership.objects.select_related("person"),
            )
        )
        .order_by("added_at", "pk")
    )
    decisions = {
        d.request_id: d
        for d in meeting.decisions.select_related("programme__organisation", "decided_by")
    }
    return [(item.request, decisions.get(item.request_id)) for item in items]


def minutes_context(meeting):
    members = [line.strip() for line in meeting.members_present.splitlines() if line.strip()]
    return {
        "meeting": meeting,
        "members": members,
        "rows": agenda_rows(meeting),
        "printed_at": timezone.localtime(),
    }


def render_minutes(meeting):
    """The PDF document (bytes), tagged (`core.pdf.print_pdf`)."""
    html = render_to_string("orientation/minutes.html", minutes_context(meeting))
    css = render_to_string("orientation/minutes.css")
    return print_pdf(html, stylesheets=[css], name="le procès-verbal")
