"""How long traces are kept, and the daily tasks that enforce it (`seuil daily`).

The access log (who read or changed which file, `AccessLog`) is kept 12 months, then
purged: the CNIL recommends keeping such traces 6 months to 1 year (recommandation relative
à la journalisation, 2021). The change history (`ChangeRecord`: who changed what, before and
after) is **not** purged here: it is part of the household's file, kept as long as the file,
and removed with it when the household is anonymised after its retention period.

The purges are daily tasks (`seuil.core.daily`), run by `seuil daily`.
"""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from seuil.core.models import AccessLog
from seuil.core.wording import agreement, plural

ACCESS_LOG_MONTHS = 12
LOGIN_LOG_DAYS = 180


def months_before(moment, months):
    """The same date and time `months` calendar months earlier (31 March - 1 month → 28
    or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def access_log_limit(now, months=ACCESS_LOG_MONTHS):
    """Access-log rows strictly older than this moment are past their retention."""
    return months_before(timezone.localtime(now), months)


def purge_access_log(now, months=ACCESS_LOG_MONTHS, dry_run=False):
    """Delete the access-log rows older than `months` months before `now`; return how many
    (with `dry_run`, how many would go, and nothing is deleted).

    A row exactly `months` months old is kept. Only the access log is purged: the change
    history is kept with the household's file (see the module's docstring).
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    expired = AccessLog.objects.filter(at__lt=access_log_limit(now, months))
    if dry_run:
        return expired.count()
    with transaction.atomic():
        return expired.delete()[0]


def _traces(count):
    return plural(count, "trace d'accès,traces d'accès")


def purge_access_log_message(count, months=ACCESS_LOG_MONTHS, dry_run=False):
    """The French line saying what the purge did (or would do)."""
    if dry_run:
        verb = agreement(count, "serait supprimée,seraient supprimées")
        return f"{_traces(count)} de plus de {months} mois {verb} (simulation)."
    return f"{_traces(count)} de plus de {months} mois {agreement(count, 'supprimée')}."


def purge_access_log_task(now, *, dry_run=False):
    """Daily task: purge the access log older than 12 months."""
    count = purge_access_log(now, ACCESS_LOG_MONTHS, dry_run=dry_run)
    return purge_access_log_message(count, ACCESS_LOG_MONTHS, dry_run)


def purge_login_log_task(now, *, dry_run=False):
    """Daily task: the log of successful logins (django-axes: username, address, browser)
    is kept `LOGIN_LOG_DAYS` days, like the failed attempts it helps to read."""
    from axes.models import AccessFailureLog
    from axes.models import AccessLog as LoginLog

    limit = now - datetime.timedelta(days=LOGIN_LOG_DAYS)
    old = [model.objects.filter(attempt_time__lt=limit) for model in (LoginLog, AccessFailureLog)]
    count = sum(rows.count() for rows in old)
    if not dry_run:
        with transaction.atomic():
            for rows in old:
                rows.delete()
    line = f"{plural(count, 'trace de connexion,traces de connexion')} de plus de "
    line += f"{LOGIN_LOG_DAYS} jours"
    if dry_run:
        return f"{line} {agreement(count, 'serait supprimée,seraient supprimées')} (simulation)."
    return f"{line} {agreement(count, 'supprimée')}."
