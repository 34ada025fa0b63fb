from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "seuil.core"
    verbose_name = "Cœur"
