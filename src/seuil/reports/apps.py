from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "seuil.reports"
    verbose_name = "Rapports d'activité"
