from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "seuil.core"
    verbose_name = "Cœur"

    def ready(self):
        from .slots import register_slot

        # « Paramètres » in the menu, for those who keep the organisation's settings.
        register_slot("main_navigation", "core/_settings_nav.html", order=95)
