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
    "can_view_aggregates",
    "can_view_data_quality",
    "can_export_person",
    "can_import_organisation",
    "can_view_access_log",
    "can_view_history",
    "can_manage_tokens",
    "can_view_users",
    "can_manage_users",
    "can_manage_settings",
    "can_manage_organisation",
    "can_refer_to_psychologist",
    "can_record_consent",
    "can_change_social_note",
    "can_view_sensitive_details",
    "can_read_shared_notes",
):
    register.filter(_name, getattr(permissions, _name))
