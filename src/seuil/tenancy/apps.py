from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "seuil.tenancy"
    verbose_name = "Gestion locative"

    def ready(self):
        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot
        from seuil.households.traceability import register_traced
        from seuil.housing.services import on_evictions_written
        from seuil.notifications.registry import register_task_provider

        from . import closings, notices, prevention, sections, services, traceability

        # The menu, the household's account on its file, the tenancy of a unit on its page.
        register_slot("main_navigation", "tenancy/_nav.html", context=sections.navigation, order=25)
        register_slot(
            "household_sections",
            "tenancy/_household_account.html",
            context=sections.household_account,
            order=30,
        )
        register_slot(
            "unit_sections", "tenancy/_unit_tenancy.html", context=sections.unit_tenancy, order=5
        )

        # Every day: the rent calls of the current month (a call already there stays).
        register_daily_task(services.rent_calls_task, order=70)
        # Then the closings of the past years that are missing (`closings`).
        register_daily_task(closings.closings_task, order=72)
        # Then a prevention case for each household whose first rent became late.
        register_daily_task(prevention.prevention_task, order=75)
        # Then the rents that became late that day are signalled; « Mes tâches » lists the
        # sub-leases with late rent.
        notices.register_kinds()
        register_daily_task(notices.late_rent_task, order=77)
        register_task_provider(notices.late_rents, order=50)
        # The eviction procedures written (imported) become prevention cases.
        on_evictions_written(prevention.after_evictions_written)
        # Home insurance certificates about to end: told once, then in « Mes tâches ».
        register_daily_task(notices.remind_insurances_task, order=78)
        register_task_provider(notices.insurances, order=52)
        # The household's history and access log name its tenancy records.
        for object_type, model, related, describe, path in traceability.TRACED:
            register_traced(object_type, model, related=related, describe=describe, household=path)
