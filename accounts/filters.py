"""List filters for organisations, shared by the staff page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.prefectures import Prefecture
from core.vocab import LegalForm

from .models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, kana or corporate number."),
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=LegalForm.choices, empty_label=_("All legal forms")
    )
    prefecture = django_filters.ChoiceFilter(
        label=_("Prefecture"), choices=Prefecture.choices, empty_label=_("All prefectures")
    )

    class Meta:
        model = Organisation
        fields = ["search", "legal_form", "prefecture"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
