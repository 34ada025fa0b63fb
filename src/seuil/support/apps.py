from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "seuil.support"
    verbose_name = "Accompagnement"
