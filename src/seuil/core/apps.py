from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "seuil.core"
    verbose_name = "Cœur"

    def ready(self):
        from .daily import register_daily_task
        from .retention import purge_access_log_task, purge_login_log_task

        register_daily_task(purge_access_log_task, order=10)
        register_daily_task(purge_login_log_task, order=20)
