from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "seuil.outcomes"
    verbose_name = "Sorties et suivi après la sortie"

    def ready(self):
        from seuil.core.daily import register_daily_task
        from seuil.core.slots import register_slot
        from seuil.households.traceability import register_traced
        from seuil.housing.services import on_exit
        from seuil.notifications.registry import register_task_provider

        from . import models, notices, pages, services

        # The exit keeps what its checklist still lacked (the exit is never refused for it);
        # the exit form says what it lacks beforehand.
        on_exit(services.note_missing_at_exit)
        # Every day: the follow-ups after exit that became due; and « Mes tâches ».
        notices.register_kinds()
        register_daily_task(notices.follow_ups_task, order=85)
        register_task_provider(notices.follow_up_todos, order=70)
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
        # The household's history and access log name these records.
        for object_type, model, describe, path in (
            ("followup", models.FollowUp, pages.describe_follow_up, "stay__household"),
            ("exitchecklist", models.ExitChecklist, pages.describe_checklist, "stay__household"),
            ("followuplink", models.FollowUpLink, pages.describe_link, "stay__household"),
            ("mobilityfile", models.MobilityFile, pages.describe_mobility_file, "household"),
            (
                "threewaymeeting",
                models.ThreeWayMeeting,
                pages.describe_meeting,
                "file__household",
            ),
        ):
            register_traced(object_type, model, describe=describe, household=path)
