from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "seuil.housing"
    verbose_name = "Logement"
