from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "seuil.notifications"
    verbose_name = "Notifications et tâches"

    def ready(self):
        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot

        from . import delivery, sections, services

        # The header: « Mes tâches », and the notifications with the count of unread ones.
        register_slot("main_navigation", "notifications/_nav_todo.html", order=5)
        register_slot(
            "main_navigation",
            "notifications/_nav_inbox.html",
            context=sections.unread_notifications,
            order=90,
        )
        # The home page starts with the day's tasks.
        register_slot(
            "home_day", "notifications/_home_tasks.html", context=sections.home_tasks, order=5
        )
        # Every day: notifications older than 180 days are deleted; after the other tasks
        # (which may notify), the digests leave.
        register_daily_task(services.purge_notifications_task, order=25)
        register_daily_task(delivery.send_digests_task, order=90)
