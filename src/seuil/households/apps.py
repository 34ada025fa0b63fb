from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "seuil.households"
    verbose_name = "Ménages"
