from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "seuil.tenancy"
    verbose_name = "Gestion locative"
