"""The base of Seuil's list filters (django-filter): one FilterSet per list, read by the
page and the API."""

import django_filters


class FilterSet(django_filters.FilterSet):
    @property
    def filtered(self):
        """Whether any filter narrows the list (the page says so and offers to clear)."""
        return self.is_bound and any(getattr(self.form, "cleaned_data", {}).values())

    def narrow(self, queryset):
        """`queryset` narrowed as `qs` narrows the filter set's own (a part of it:
        `ScopedQuerySet.visible_parts`, paged by `core.scoped_pages`)."""
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018 — the form validated first, as `qs` does
        return self.filter_queryset(queryset)
