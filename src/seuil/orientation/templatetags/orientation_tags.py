"""Display helpers of the orientation pages.

{% load orientation_tags %}
{{ household|head_name }}          "DIALLO Aïcha", or "Ménage M0001" without a head
{% household_name household link %}   the same, a link to the household's file when `link`
                                   (the user may open it)
{{ household|persons_today }}      members today
{{ household|composition }}        "3 personnes : 2 adultes, 1 enfant" (no name)
{{ assessment.needs|labels:"needs" }}   the French labels of a list of codes
"""

import uuid

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from seuil.core.wording import plural
from seuil.housing.enums import Typology
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


# A uuid standing for the household's in the address of the files, reversed once a page.
ANY_UUID = uuid.UUID(int=0)


@register.simple_tag(takes_context=True)
def household_name(context, household, link=False):
    """A household by its head's name, linked to its file when `link`. A tag, not an
    included template, and the address of the files reversed once a page (each reverse
    costs a tenth of a millisecond): lists name hundreds of households."""
    name = head_name(household)
    if not link:
        return name
    files = context.render_context.get(ANY_UUID)
    if files is None:
        files = context.render_context[ANY_UUID] = reverse("households:detail", args=[ANY_UUID])
    url = files.replace(str(ANY_UUID), str(household.uuid))
    return format_html('<a href="{}">{}</a>', url, name)


@register.filter
def persons_today(household):
    return len(household.members_on(timezone.localdate()))


# A member of unknown age counts as an adult, as in matching.
ADULT_AGE = 18


def _count(n, word):
    return plural(n, word)


@register.filter
def composition(household):
    """The household today by its size and composition only, without a name: what a landlord
    sees of it without the household's consent (e.g. "3 personnes : 2 adultes, 1 enfant")."""
    today = timezone.localdate()
    members = household.members_on(today)
    if not members:
        return "Composition non renseignée"
    adults = sum(1 for m in members if (age := m.person.age_on(today)) is None or age >= ADULT_AGE)
    children = len(members) - adults
    parts = [_count(adults, "adulte")] if adults else []
    if children:
        parts.append(_count(children, "enfant"))
    return f"{_count(len(members), 'personne')} : {', '.join(parts)}"


@register.filter
def labels(codes, kind):
    """The labels of a list of codes, joined by commas ("—" for an empty list)."""
    names = LIST_LABELS[kind]
    return ", ".join(str(names.get(code, code)) for code in codes or ()) or "—"


@register.filter
def criterion_label(code):
    return str(LIST_LABELS["criteria"].get(code, code))
