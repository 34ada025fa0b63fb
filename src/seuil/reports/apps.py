from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "seuil.reports"
    verbose_name = "Rapports d'activité"

    def ready(self):
        from seuil.core.slots import register_slot

        register_slot("main_navigation", "reports/_nav_activity.html", order=50)
        register_slot("main_navigation", "reports/_nav_steering.html", order=70)
