from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "seuil.households"
    verbose_name = "Ménages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from seuil.core.daily import register_daily_task
        from seuil.core.scoping import register_household_link, register_household_sharing
        from seuil.core.slots import register_slot
        from seuil.notifications.registry import register_task_provider

        from . import home, links, list_state, merging, notices, search, search_views
        from .models import Household, LegalStatusRecord, Membership, Person, shared_households
        from .signals import (
            household_created,
            legal_status_written,
            membership_written,
            person_written,
        )

        # Records that follow a household are shared (referred, consented) as it is.
        register_household_sharing(shared_households)
        # The list's order follows each membership and each name written one at a time.
        post_save.connect(membership_written, sender=Membership, dispatch_uid="head-name")
        post_delete.connect(membership_written, sender=Membership, dispatch_uid="head-name-del")
        post_save.connect(person_written, sender=Person, dispatch_uid="head-name-person")
        # The list's filters follow each membership and each legal status (`list_state`).
        post_save.connect(legal_status_written, sender=LegalStatusRecord, dispatch_uid="ls")
        post_delete.connect(legal_status_written, sender=LegalStatusRecord, dispatch_uid="ls-d")
        post_save.connect(household_created, sender=Household, dispatch_uid="ls-household")
        register_daily_task(list_state.refresh_stale_task, order=36)
        # Scope linked reads the link rows; a handover links the former holder for a while.
        register_household_link(links.live_links)
        links.register_link_source(links.handover_links)
        # What undoes a merge is forgotten after its 30 days.
        register_daily_task(merging.purge_merge_undo_task, order=35)
        register_slot("main_navigation", "households/_nav.html", order=10)
        register_slot("main_navigation", "households/_nav_shared_notes.html", order=60)
        # The home page: a psychologist's referred households.
        register_slot(
            "home_day", "households/_home_referred.html", context=home.referred_households, order=20
        )
        # Residence permits filed in a file: a reminder before they expire.
        notices.register_kinds()
        register_task_provider(notices.residence_permits, order=80)
        register_daily_task(notices.remind_residence_permits_task, order=58)
        # The search: households and persons here, the apps above add their kinds; its box
        # in the header of every page.
        search.register_search_kind(search.HOUSEHOLDS)
        search.register_search_kind(search.PERSONS)
        search.register_person_criterion(search.BIRTH_DATE)
        search.register_person_criterion(search.BIRTH_YEAR)
        search.register_person_criterion(search.PHONE)
        register_slot("site_search", "households/_search_box.html", context=search_views.box)
