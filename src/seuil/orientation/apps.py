from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "seuil.orientation"
    verbose_name = "Orientation"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from seuil.core.daily import register_daily_task
        from seuil.core.downloads import register_download_kind
        from seuil.core.policy import Action
        from seuil.core.slots import register_slot
        from seuil.households.links import refresh_after_save, register_link_source
        from seuil.households.merging import register_merge_check
        from seuil.households.search import SearchKind, register_search_kind
        from seuil.households.traceability import register_traced
        from seuil.housing.services import on_entry, on_exit, on_stay_deletion
        from seuil.notifications.registry import register_task_provider

        from . import (
            exports,
            home,
            links,
            notices,
            search,
            sections,
            tasks,
            todo,
            traceability,
            waiting,
        )
        from .models import Referral, Request
        from .services import entries as services

        # A SIAO is linked by its requests, an operator by its referrals (scope linked);
        # the links follow every save of those records.
        register_link_source(links.request_links)
        register_link_source(links.referral_links)
        for model in (Request, Referral):
            post_save.connect(refresh_after_save, sender=model, dispatch_uid=f"links-{model}")
            post_delete.connect(refresh_after_save, sender=model, dispatch_uid=f"links-del-{model}")
        # The stored order of the waiting lists is deleted where what it depends on changes,
        # and today's is stored every day.
        waiting.connect_forgetting()
        register_daily_task(tasks.store_waiting_lists_task, order=56)
        # A large export of the lists is prepared in the background.
        register_download_kind(
            "waiting_lists",
            label="Listes d'attente du jour",
            back="orientation:waiting_lists",
            back_label="Listes d'attente",
            action=Action.VIEW_WAITING_LISTS,
            write=exports.write_prepared,
        )
        # Two households each with a request in progress are not merged.
        register_merge_check(links.open_requests)
        # The household's history and access log name its orientation records.
        for object_type, model, related, describe, path in traceability.TRACED:
            register_traced(object_type, model, related=related, describe=describe, household=path)
        # Entries close a vacancy and a waiting-list place, exits open a vacancy.
        on_entry(services.after_entry)
        on_exit(services.after_exit)
        on_stay_deletion(services.after_stay_deletion)
        register_slot("main_navigation", "orientation/_nav.html", order=30)
        # The household file shows its orientation, the unit page its vacancies.
        register_slot(
            "household_sections",
            "orientation/_household_orientation.html",
            context=sections.household_orientation,
            order=10,
        )
        register_slot(
            "unit_sections", "orientation/_unit_vacancies.html", context=sections.unit_vacancies
        )
        # The home page: the SIAO's day, the landlord's proposals to answer.
        register_slot("home_day", "orientation/_home_siao.html", context=home.siao_day, order=10)
        register_slot(
            "home_day", "orientation/_home_landlord.html", context=home.landlord_day, order=10
        )
        # Every day: unanswered proposals expire; vacancies follow the stock.
        register_daily_task(tasks.expire_proposals_task, order=40)
        register_daily_task(tasks.sync_vacancies_task, order=50)
        # What orientation tells people (notifications), reminds them of every day, and
        # what it gives them to do (« Mes tâches »).
        notices.register_kinds()
        register_daily_task(tasks.remind_task, order=55)
        register_task_provider(todo.proposals, order=10)
        register_task_provider(todo.requests_to_assess, order=20)
        register_task_provider(todo.commissions, order=30)
        register_task_provider(todo.vacancies, order=40)
        # The search finds requests by reference and by their household's members.
        register_search_kind(
            SearchKind(
                "requests",
                "Demandes d'orientation",
                Action.RECORD_REQUEST,
                search.find_requests,
                40,
            )
        )
