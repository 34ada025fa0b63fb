from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "seuil.core"
    verbose_name = "Cœur"

    def ready(self):
        from django.db.models.signals import post_delete
        from django_tasks.signals import task_finished

        from . import downloads
        from .daily import register_daily_task
        from .documents import delete_file_of, document_models
        from .slots import register_slot

        # Every model's models are loaded by now: a deleted document (one by one, in a
        # cascade, at anonymisation) takes its stored file with it once the deletion commits.
        for model in document_models():
            post_delete.connect(delete_file_of, sender=model, weak=False)
        # « Paramètres » in the menu, for those who keep the organisation's settings.
        register_slot("main_navigation", "core/_settings_nav.html", order=95)
        # Files prepared in the background: a stopped worker's fails, a day later they go.
        task_finished.connect(downloads.after_task, dispatch_uid="downloads_after_task")
        register_daily_task(downloads.purge_downloads_task, order=62)
