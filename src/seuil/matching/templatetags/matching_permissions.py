"""The rules of `seuil.matching.permissions` as template filters.

Usage: {% load matching_permissions %}{% if user|can_run_matching %}…{% endif %}
"""

from django import template

from seuil.matching import permissions

register = template.Library()

for _name in ("can_run_matching", "can_set_employment_scores"):
    register.filter(_name, getattr(permissions, _name))
