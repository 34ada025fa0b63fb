from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "seuil.matching"
    verbose_name = "Appariement"

    def ready(self):
        from django_tasks.signals import task_finished

        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot

        from . import tasks

        # Matching runs keep households' composition and resources: deleted after 90 days.
        register_daily_task(tasks.purge_runs_task, order=60)
        task_finished.connect(tasks.after_task, dispatch_uid="matching_after_task")
        register_slot("main_navigation", "matching/_nav.html", order=40)
