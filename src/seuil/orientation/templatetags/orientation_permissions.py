"""The rules of `seuil.orientation.permissions` as template filters.

Usage: {% load orientation_permissions %}{% if user|can_make_proposal %}…{% endif %}
Templates show or hide links with them; views still check the same rules.
"""

from django import template

from seuil.orientation import permissions

register = template.Library()

for _name in (
    "can_view_requests",
    "can_record_request",
    "can_assess",
    "can_view_commissions",
    "can_decide_referral",
    "can_view_waiting_lists",
    "can_set_priority_weights",
    "can_view_vacancies",
    "can_declare_vacancy",
    "can_close_vacancy",
    "can_make_proposal",
    "can_view_proposals",
    "can_answer_proposal",
    "can_enter_household",
    "can_use_orientation",
    "can_view_orientation_dashboard",
):
    register.filter(_name, getattr(permissions, _name))
