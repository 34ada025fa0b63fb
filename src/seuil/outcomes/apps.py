from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "seuil.outcomes"
    verbose_name = "Sorties et suivi après la sortie"

    def ready(self):
        from seuil.housing.services import on_exit

        from . import services

        # The exit keeps what its checklist still lacked (the exit is never refused for it).
        on_exit(services.note_missing_at_exit)
