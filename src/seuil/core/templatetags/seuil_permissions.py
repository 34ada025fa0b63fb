"""The permission rules of `seuil.core.permissions` as template filters.

Usage: {% load seuil_permissions %}{% if user|can_change_households %}…{% endif %}
Templates show or hide links with them; views still check the same rules.
"""

from django import template

from seuil.core import permissions

register = template.Library()

for _name in (
    "can_view_households",
    "can_change_households",
    "can_view_units",
    "can_change_units",
    "can_change_stays",
    "can_view_activity_report",
):
    register.filter(_name, getattr(permissions, _name))
