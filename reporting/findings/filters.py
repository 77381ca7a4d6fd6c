"""Filters of the findings library, shared by the page, its exports and the
API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.managed_lists import CodeOrIdFilter
from core.prefectures import Prefecture
from core.search import folded_contains, search_variants
from grants.models import Programme, TargetGroup, Theme

from ..models import FeatureTag
from .models import Finding, FindingEvidence


class _RoundLabelledField(django_filters.fields.ModelChoiceField):
    """Themes belong to a round; name the round in the option."""

    def label_from_instance(self, obj):
        return f"{obj.funding_round.title} — {obj}"


class _RoundLabelledChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _RoundLabelledField


class FindingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search the statements"))
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Finding.Kind.choices)
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.order_by("code"))
    theme = _RoundLabelledChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.select_related("funding_round"))
    # Codes, as the API reads and writes them; ids still work.
    target_group = CodeOrIdFilter(
        label=_("Target group"), field_name="target_groups", queryset=TargetGroup.objects.all())
    feature_tag = CodeOrIdFilter(
        label=_("Feature"), field_name="feature_tags", queryset=FeatureTag.objects.all())
    prefecture = django_filters.ChoiceFilter(
        label=_("Prefecture"), choices=Prefecture.choices, method="in_prefecture")
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    award = django_filters.NumberFilter(label=_("Award"), method="of_award")

    class Meta:
        model = Finding
        fields: list = []

    def search(self, queryset, name, value):
        # Full-width and half-width forms fold (core.search).
        if not search_variants(value):
            return queryset
        return queryset.filter(folded_contains(("statement",), value))

    def in_prefecture(self, queryset, name, value):
        # A JSON list of codes; the quoted code cannot match part of another.
        return queryset.filter(prefectures__icontains=f'"{value}"')

    def of_award(self, queryset, name, value):
        """Findings of an award: tagged with it, or evidenced by its reports."""
        evidenced = FindingEvidence.objects.filter(finding=OuterRef("pk"), report__award_id=value)
        return queryset.filter(Q(award_id=value) | Exists(evidenced))
