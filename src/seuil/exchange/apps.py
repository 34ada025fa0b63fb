from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "seuil.exchange"
    verbose_name = "Échanges"
