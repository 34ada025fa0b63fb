from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "seuil.reports"
    verbose_name = "Rapports d'activité"

    def ready(self):
        from django_tasks.signals import task_finished

        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot

        from . import inputs, tasks
        from .steering import home_panel

        inputs.watch()
        task_finished.connect(tasks.after_task, dispatch_uid="reports_after_task")
        register_daily_task(tasks.purge_reports_task, order=67)

        register_slot("main_navigation", "reports/_nav_activity.html", order=50)
        register_slot("main_navigation", "reports/_nav_quality.html", order=55)
        register_slot("main_navigation", "reports/_nav_steering.html", order=70)
        # The state's home page shows the steering summary of its département.
        register_slot("home_state", "reports/_home_steering.html", context=home_panel)
