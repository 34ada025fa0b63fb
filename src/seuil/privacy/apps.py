from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "seuil.privacy"
    verbose_name = "Protection des données"

    def ready(self):
        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot

        from . import anonymisation, retention

        # Every day: the access log past 12 months, the log of logins past 180 days, then
        # the households past SEUIL_RETENTION_DAYS after their last exit (history, logs too).
        register_daily_task(retention.purge_access_log_task, order=10)
        register_daily_task(retention.purge_login_log_task, order=20)
        register_daily_task(anonymisation.anonymise_task, order=30)
        # The household file offers each member's right-of-access download.
        register_slot("household_members", "privacy/_household_subject_access.html")
