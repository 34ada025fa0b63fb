from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "seuil.support"
    verbose_name = "Accompagnement"

    def ready(self):
        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot
        from seuil.households.merging import register_merge_check
        from seuil.households.traceability import register_traced
        from seuil.housing.programme_parts import ProgrammePart, register_programme_part
        from seuil.housing.services import on_entry
        from seuil.notifications.registry import register_task_provider

        from . import home, notices, programme_part, sections, services
        from .models import Meeting

        # Two households each with a referent designated today are not merged.
        register_merge_check(services.overlapping_referents)

        register_slot("main_navigation", "support/_nav.html", context=sections.navigation, order=25)
        register_slot(
            "main_navigation",
            "support/_nav_meetings.html",
            context=sections.navigation_meetings,
            order=26,
        )
        # The home page: the households the user is referent of.
        register_slot(
            "home_day", "support/_home_households.html", context=home.my_households, order=20
        )
        # Every day: contracts ending soon, tomorrow's appointments; and « Mes tâches ».
        notices.register_kinds()
        register_daily_task(notices.support_reminders_task, order=80)
        register_task_provider(notices.support_todos, order=60)
        # At an entry, the referents confirm the objectives the SIAO's assessment proposes.
        on_entry(notices.objectives_to_propose)
        register_task_provider(notices.review_todos, order=61)
        # The household file shows its support (after its stays).
        register_slot(
            "household_sections",
            "support/_household_support.html",
            context=sections.household_support,
            order=30,
        )
        # The programme's page of the settings edits its target caseload and yearly budget.
        register_programme_part(
            ProgrammePart(
                fields=programme_part.part_fields,
                initial=programme_part.part_initial,
                save=programme_part.save_part,
            ),
            order=10,
        )
        # The household's history and access log name its support records.
        for object_type, model, related, describe, path in sections.TRACED:
            register_traced(object_type, model, related=related, describe=describe, household=path)
        # A meeting belongs to the organisation: the households on its agenda see who opened
        # it, and its log stays when one of them is anonymised.
        register_traced("meeting", Meeting, household="agenda_items__household", shared=True)
