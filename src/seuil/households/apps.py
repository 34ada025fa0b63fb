from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "seuil.households"
    verbose_name = "Ménages"

    def ready(self):
        from seuil.core.scoping import register_household_link, register_household_sharing
        from seuil.core.slots import register_slot

        from . import links, search, search_views
        from .models import shared_households

        # Records that follow a household are shared (referred, consented) as it is.
        register_household_sharing(shared_households)
        # Scope linked reads the link rows; a handover links the former holder for a while.
        register_household_link(links.live_links)
        links.register_link_source(links.handover_links)
        register_slot("main_navigation", "households/_nav.html", order=10)
        register_slot("main_navigation", "households/_nav_shared_notes.html", order=60)
        # The search: households and persons here, the apps above add their kinds; its box
        # in the header of every page.
        search.register_search_kind(search.HOUSEHOLDS)
        search.register_search_kind(search.PERSONS)
        search.register_person_criterion(search.BIRTH_DATE)
        search.register_person_criterion(search.BIRTH_YEAR)
        register_slot("site_search", "households/_search_box.html", context=search_views.box)
