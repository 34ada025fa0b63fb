"""Documents of support: the printable contract (PDF, from the template
`support/contract.html`, which the operator may adapt: `seuil.core.document_templates`),
the minutes of a meeting (PDF, `support/minutes.html`: the households by their reference
only, since minutes go outside the organisation) and a worker's calendar (iCalendar, with
no personal data beyond the household's initials and reference and a link to its file)."""

import datetime
import re

from django.utils import timezone

from seuil.core.document_templates import render_pdf

from .models import Objective


def contract_context(contract):
    stay = contract.stay
    household = stay.household
    end = contract.current_end
    objectives = list(
        Objective.objects.filter(household=household, organisation=contract.organisation_id)
        .filter(set_on__lte=end)
        .exclude(closed_on__lt=contract.starts_on)
        .order_by("set_on", "pk")
    )
    members = household.members_on(contract.signed_on) or household.members_on(None)
    return {
        "contract": contract,
        "stay": stay,
        "household": household,
        "members": sorted(members, key=lambda m: (m.role != "head", m.person.last_name)),
        "amendments": list(contract.amendments.order_by("signed_on", "ends_on")),
        "objectives": objectives,
        "organisation": contract.organisation,
        "printed_at": timezone.localtime(),
    }


def render_contract(contract):
    """The contract as a PDF document (bytes); no network access."""
    return render_pdf(
        "support/contract.html",
        contract_context(contract),
        stylesheet="support/contract.css",
        organisation=contract.organisation,
    )


# ---- minutes of a meeting -------------------------------------------------------------------


def pseudonymise(text, households):
    """`text` with every first or last name of the members of `households` (loaded with
    their memberships and persons) replaced by « [ménage REF] », whole words, any case."""
    names = {}
    for household in households:
        for membership in household.memberships.all():
            person = membership.person
            for name in (person.first_name, person.last_name):
                for word in re.split(r"[\s]+", name or ""):
                    if len(word) >= 2:
                        names.setdefault(word.casefold(), household.ref)
    if not names or not text:
        return text
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    return pattern.sub(lambda m: f"[ménage {names[m.group(1).casefold()]}]", text)


def minutes_context(meeting, households):
    return {
        "meeting": meeting,
        "organisation": meeting.organisation,
        "refs": [h.ref for h in households],
        "participants": [
            line.strip() for line in meeting.participants.splitlines() if line.strip()
        ],
        "agenda": pseudonymise(meeting.agenda, households),
        "minutes": pseudonymise(meeting.minutes, households),
        "printed_at": timezone.localtime(),
    }


def render_minutes(meeting, households):
    """The minutes of `meeting` as a PDF document (bytes): the households on its agenda
    (`households`, with their members loaded) appear by their reference only."""
    return render_pdf(
        "support/minutes.html",
        minutes_context(meeting, households),
        stylesheet="support/contract.css",
        organisation=meeting.organisation,
    )


# ---- calendar ------------------------------------------------------------------------------


def initials(household):
    """ "A. K." from the head's names, the household's reference when unknown."""
    head = household.head_on(None)
    if head is None:
        return household.ref
    parts = [p for p in (head.person.first_name, head.person.last_name) if p]
    return " ".join(f"{p[0].upper()}." for p in parts) or household.ref


def _escape(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line):
    """Lines of 75 octets at most (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def calendar(contacts, *, link, name):
    """The iCalendar text of `contacts` (with their household and its members loaded):
    summary = kind, initials and the household's reference, description = the link to the
    household's file. The one rendering of both the download and the subscribed feed."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Seuil//Accompagnement//FR",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for contact in contacts:
        lines += ["BEGIN:VEVENT", f"UID:{contact.uuid}@seuil", f"DTSTAMP:{stamp}"]
        if contact.at is None:
            lines.append(f"DTSTART;VALUE=DATE:{contact.on:%Y%m%d}")
        else:
            moment = timezone.make_aware(datetime.datetime.combine(contact.on, contact.at))
            start = moment.astimezone(datetime.UTC)
            lines += [
                f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                f"DTEND:{start + datetime.timedelta(hours=1):%Y%m%dT%H%M%SZ}",
            ]
        household = contact.household
        summary = f"{contact.get_kind_display()} – {initials(household)} ({household.ref})"
        status = {"planned": "TENTATIVE", "done": "CONFIRMED", "missed": "CANCELLED"}
        lines += [
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(link(contact))}",
            f"URL:{link(contact)}",
            f"STATUS:{status.get(contact.status, 'CONFIRMED')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
