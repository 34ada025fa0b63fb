from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "seuil.orientation"
    verbose_name = "Orientation"

    def ready(self):
        from seuil.core.scoping import register_household_link
        from seuil.households.traceability import register_traced
        from seuil.housing import services as housing_services

        from . import links, traceability
        from .services import entries as services

        # Scope ``own`` of every household record follows these links (core/scoping.py).
        register_household_link(links.households_asking)
        register_household_link(links.households_oriented_to)
        register_household_link(links.households_staying_with)
        # The household's history and access log name its orientation records.
        for object_type, model, related, describe, of_household in traceability.TRACED:
            register_traced(
                object_type, model, related=related, describe=describe, of_household=of_household
            )
        # Entries close a vacancy and a waiting-list place, exits open a vacancy.
        if services.after_entry not in housing_services.ENTRY_HOOKS:
            housing_services.ENTRY_HOOKS.append(services.after_entry)
        if services.after_exit not in housing_services.EXIT_HOOKS:
            housing_services.EXIT_HOOKS.append(services.after_exit)
