from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "seuil.home"
    verbose_name = "Accueil"
