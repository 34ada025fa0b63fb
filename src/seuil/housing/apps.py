from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "seuil.housing"
    verbose_name = "Logement"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from seuil.core.policy import Action
        from seuil.core.slots import register_slot
        from seuil.households.links import refresh_after_save, register_link_source
        from seuil.households.list_extensions import (
            register_list_filter,
            register_list_prefetch,
        )
        from seuil.households.merging import register_merge_check
        from seuil.households.search import SearchKind, register_search_kind
        from seuil.households.signals import stay_written
        from seuil.households.traceability import register_traced

        from . import household_pages as pages
        from . import links, reference_views, search, services
        from .models import EvictionProcedure, HousingDocument, Stay

        # An operator is linked by the stays in its units (scope linked).
        register_link_source(links.stay_links)
        # Two households whose stays overlap in time are not merged.
        register_merge_check(links.overlapping_stays)
        post_save.connect(refresh_after_save, sender=Stay, dispatch_uid="links-stay")
        post_delete.connect(refresh_after_save, sender=Stay, dispatch_uid="links-del-stay")
        # The household list's filters follow each stay (`households.list_state`; the bulk
        # writes: `StayQuerySet`).
        post_save.connect(stay_written, sender=Stay, dispatch_uid="list-state-stay")
        post_delete.connect(stay_written, sender=Stay, dispatch_uid="list-state-del-stay")
        # The apps above learn of the eviction procedures written (`on_evictions_written`).
        post_save.connect(
            services.eviction_saved, sender=EvictionProcedure, dispatch_uid="eviction-saved"
        )

        register_slot("main_navigation", "housing/_nav.html", order=20)
        # « Paramètres de l'organisation » leads to the programmes, sectors and landlords.
        register_slot(
            "organisation_settings",
            "housing/_settings.html",
            context=reference_views.settings_summary,
            order=10,
        )
        # The household file shows its current unit, the link to house it, its stays and
        # eviction procedures; its list filters by programme and by presence; its
        # traceability pages name the stays.
        register_slot(
            "household_summary",
            "housing/_household_summary.html",
            context=pages.household_summary,
        )
        register_slot(
            "household_actions", "housing/_household_enter.html", context=pages.household_actions
        )
        register_slot(
            "household_sections",
            "housing/_household_stays.html",
            context=pages.household_stays,
            order=20,
        )
        register_list_prefetch(pages.STAYS_OF_THE_ROWS)
        register_list_filter(
            "programme",
            field=pages.programme_field,
            narrow=pages.by_programme,
            order=10,
            api_schema=pages.PROGRAMME_API_SCHEMA,
        )
        register_list_filter(
            "presence",
            field=pages.presence_field,
            narrow=pages.by_presence,
            order=20,
            api_schema=pages.PRESENCE_API_SCHEMA,
        )
        register_traced(
            "stay",
            Stay,
            related=("unit",),
            describe=pages.describe_stay,
            household="household",
        )
        register_traced(
            "housingdocument",
            HousingDocument,
            related=("stay",),
            describe=pages.describe_stay_document,
            household="stay__household",
            document=True,
        )
        # The search finds units by reference and address.
        register_search_kind(
            SearchKind("units", "Logements", Action.VIEW_UNITS, search.find_units, 30)
        )
