from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "seuil.outcomes"
    verbose_name = "Sorties et suivi après la sortie"

    def ready(self):
        from seuil.core.slots import register_slot
        from seuil.housing.services import on_exit

        from . import pages, services

        # The exit keeps what its checklist still lacked (the exit is never refused for it);
        # the exit form says what it lacks beforehand.
        on_exit(services.note_missing_at_exit)
        register_slot(
            "stay_exit", "outcomes/_exit_notice.html", context=pages.exit_checklist_notice
        )
        register_slot("main_navigation", "outcomes/_nav.html", context=pages.navigation, order=45)
        register_slot(
            "main_navigation",
            "outcomes/mobility/_nav.html",
            context=pages.mobility_navigation,
            order=46,
        )
        register_slot(
            "household_sections",
            "outcomes/_household_outcomes.html",
            context=pages.household_outcomes,
            order=30,
        )
