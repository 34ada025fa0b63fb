from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "seuil.support"
    verbose_name = "Accompagnement"

    def ready(self):
        from seuil.core.slots import register_slot
        from seuil.households.merging import register_merge_check
        from seuil.households.traceability import register_traced

        from . import sections, services

        # Two households each with a referent designated today are not merged.
        register_merge_check(services.overlapping_referents)

        register_slot("main_navigation", "support/_nav.html", context=sections.navigation, order=25)
        # The household file shows its support (after its stays).
        register_slot(
            "household_sections",
            "support/_household_support.html",
            context=sections.household_support,
            order=30,
        )
        # The household's history and access log name its support records.
        for object_type, model, related, describe, of_household in sections.TRACED:
            register_traced(
                object_type, model, related=related, describe=describe, of_household=of_household
            )
