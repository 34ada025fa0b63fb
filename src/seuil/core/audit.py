"""Access log: every read and write of a person's or household's file."""

from .models import AccessLog


def record_access(user, action, obj):
    """Write one access-log row (call inside the transaction of the read or write)."""
    AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        role=getattr(user, "role", "") or "",
        organisation_id=getattr(user, "organisation_id", None),
        action=action,
        object_type=obj._meta.model_name,
        object_uuid=obj.uuid,
    )
