"""Display helpers of the matching pages.

{% load matching_tags %}
{% plan_household household referral %}   a household of a plan: its head's name (a link to
                                           its file when the page's `can_see_households`),
                                           or its reference without a referral; then its
                                           reference, composition and bearable rent
"""

from django import template
from django.utils.html import format_html

from seuil.core.templatetags.ui import money, pluriel
from seuil.orientation.templatetags.orientation_tags import household_name

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_household(context, household, referral):
    """`household` as a run stored it (`plan.HOUSEHOLD_SHOWN`), `referral` its orientation
    (None once gone). A tag, not an included template: a run's page names hundreds."""
    if referral:
        name = household_name(context, referral.household, context.get("can_see_households"))
        ref = f"réf. {referral.household.ref}"
    else:
        name = ref = household["ref"]
    return format_html(
        '{}<br><span class="help">{} · {}, {} · loyer supportable {}</span>',
        name,
        ref,
        pluriel(household["adults"], "adulte"),
        pluriel(household["children"], "enfant"),
        money(household["max_rent"]),
    )
