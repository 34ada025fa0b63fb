from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "seuil.exchange"
    verbose_name = "Échanges"

    def ready(self):
        from django_tasks.signals import task_finished

        from seuil.core.daily import register_daily_task
        from seuil.core.downloads import register_download_kind
        from seuil.core.policy import Action
        from seuil.core.slots import register_slot

        from . import tasks, views

        # Workbooks hold personal data: not kept once imported, nor a day after a check.
        register_daily_task(tasks.purge_imports_task, order=65)
        task_finished.connect(tasks.after_task, dispatch_uid="exchange_after_task")
        register_slot("main_navigation", "exchange/_nav.html", order=80)
        # A large organisation's workbook is prepared in the background.
        register_download_kind(
            "organisation_workbook",
            label="Données de votre organisation (classeur)",
            back="exchange:imports",
            back_label="Import et export des données",
            action=Action.EXPORT_ORGANISATION,
            write=views.write_prepared,
        )
