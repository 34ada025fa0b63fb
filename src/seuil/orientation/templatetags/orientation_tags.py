"""Display helpers of the orientation pages, and the vacancy section of the unit page.

{% load orientation_tags %}
{{ household|head_name }}          "DIALLO Aïcha", or "Ménage M0001" without a head
{{ household|persons_today }}      members today
{{ assessment.needs|labels:"needs" }}   the French labels of a list of codes
{% unit_vacancies unit %}          the "Vacance" section of a unit's page
{% household_orientation household %}  the "Orientation" section of a household's page
"""

import datetime

from django import template
from django.utils import timezone

from seuil.housing.enums import Typology
from seuil.orientation import permissions, vacancies
from seuil.orientation.enums import (
    Answer,
    DecisionRefusalReason,
    Party,
    PriorityCriterion,
    ProposalRefusalReason,
    ProposalStatus,
    ReferralStatus,
    RequestStatus,
    SupportNeed,
    WithdrawalReason,
)
from seuil.orientation.models import Request, Vacancy
from seuil.orientation.services.vacancies import vacancy_errors

register = template.Library()

LIST_LABELS = {
    "needs": dict(SupportNeed.choices),
    "typologies": dict(Typology.choices),
    "criteria": dict(PriorityCriterion.choices),
}


# Per kind of transition log: the labels of its statuses and of its reasons.
TRANSITION_LABELS = {
    "requesttransition": (
        dict(RequestStatus.choices),
        {**dict(DecisionRefusalReason.choices), **dict(WithdrawalReason.choices)},
    ),
    "referraltransition": (dict(ReferralStatus.choices), dict(WithdrawalReason.choices)),
    "proposaltransition": (dict(ProposalStatus.choices), dict(ProposalRefusalReason.choices)),
}


@register.filter
def transition_text(transition):
    """A status change in words: "Évaluée (auparavant : Reçue)", "Le ménage : accord"."""
    statuses, _ = TRANSITION_LABELS[transition._meta.model_name]
    to = str(statuses.get(transition.to_status, transition.to_status))
    party = getattr(transition, "party", "")
    if party:
        answer = "accord" if transition.answer == Answer.ACCEPTED else "refus"
        text = f"{Party(party).label} : {answer}"
        if transition.to_status != transition.from_status:
            text += f" ; proposition {to.lower()}"
        return text
    if not transition.from_status:
        return to
    if transition.from_status == transition.to_status:
        return f"{to} (de nouveau)"
    return f"{to} (auparavant : {statuses.get(transition.from_status, transition.from_status)})"


@register.filter
def transition_reason(transition):
    _, reasons = TRANSITION_LABELS[transition._meta.model_name]
    return str(reasons.get(transition.reason, transition.reason)) if transition.reason else ""


@register.filter
def head_name(household):
    head = household.head_on(None)
    if head is None:
        return f"Ménage {household.ref}"
    return f"{head.person.last_name.upper()} {head.person.first_name}".strip()


@register.filter
def persons_today(household):
    return len(household.members_on(timezone.localdate()))


@register.filter
def labels(codes, kind):
    """The labels of a list of codes, joined by commas ("—" for an empty list)."""
    names = LIST_LABELS[kind]
    return ", ".join(str(names.get(code, code)) for code in codes or ()) or "—"


@register.filter
def criterion_label(code):
    return str(LIST_LABELS["criteria"].get(code, code))


@register.inclusion_tag("orientation/_unit_vacancies.html", takes_context=True)
def unit_vacancies(context, unit):
    """The vacancy section of a unit's page: vacant days and cost over the last 12 months
    and since the capture, the unit's vacancy records, and the button to declare one."""
    user = context["user"]
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    units = type(unit).objects.filter(pk=unit.pk)
    lettable = not unit.rooms.exists()
    last_year = vacancies.unit_vacancies(units, year_ago + datetime.timedelta(days=1), today)
    since_capture = vacancies.unit_vacancies(units, unit.captured_on, today)
    records = list(
        Vacancy.objects.visible_to(user)
        .filter(unit=unit)
        .select_related("unit")
        .prefetch_related("proposals")
    )
    return {
        "unit": unit,
        "today": today,
        "lettable": lettable,
        "last_year": last_year[0] if last_year else None,
        "since_capture": since_capture[0] if since_capture else None,
        "records": [(v, v.days_on(today), vacancies.vacancy_cost(v, today)) for v in records],
        "can_declare": lettable
        and permissions.can_declare_vacancy(user)
        and not vacancy_errors(unit, today),
    }


@register.inclusion_tag("orientation/_household_orientation.html", takes_context=True)
def household_orientation(context, household):
    """The orientation section of a household's page: its requests to SIAOs, where each
    stands (waiting list, proposal), and the link to record a new one."""
    user = context["user"]
    if not permissions.can_view_requests(user):
        return {"shown": False}
    requests = list(
        Request.objects.visible_to(user)
        .filter(household=household)
        .select_related("siao", "referral__programme")
        .order_by("-received_on", "-id")
    )
    return {
        "shown": True,
        "household": household,
        "requests": [(r, getattr(r, "referral", None)) for r in requests],
        "can_record": permissions.can_record_request(user),
    }
