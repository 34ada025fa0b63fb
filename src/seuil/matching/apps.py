from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "seuil.matching"
    verbose_name = "Appariement"
