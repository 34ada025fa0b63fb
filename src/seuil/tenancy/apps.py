from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "seuil.tenancy"
    verbose_name = "Gestion locative"

    def ready(self):
        from seuil.core.daily import register_daily_task
        from seuil.households.traceability import register_traced

        from . import services, traceability

        # Every day: the rent calls of the current month (a call already there stays).
        register_daily_task(services.rent_calls_task, order=70)
        # The household's history and access log name its tenancy records.
        for object_type, model, related, describe, of_household in traceability.TRACED:
            register_traced(
                object_type, model, related=related, describe=describe, of_household=of_household
            )
