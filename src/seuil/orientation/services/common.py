"""What the orientation actions share: today, validation, locks, dates not in the future."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def validated(obj):
    obj.full_clean(validate_unique=True, validate_constraints=True)
    return obj


def not_after_today(day, what, field=None):
    """Refuse a day after today; `field`: the argument (and form field) it is said about."""
    if day > today():
        message = f"{what} ne peut être postérieure à aujourd'hui."
        raise ValidationError({field: message} if field else message)


def person(user):
    """The user who acted, None for a command or an automatic task."""
    return user if user is not None and user.is_authenticated else None


def locked(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)
