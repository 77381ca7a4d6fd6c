"""The staff list filters, shared by the screening page, its exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.prefectures import Prefecture
from core.search import folded_contains, search_variants
from core.vocab import LegalForm
from core.widgets import PlainSelect
from grants.models import FundingRound, ScaleTier, Theme

from .models import Application


class _RoundLabelledField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.funding_round.title} — {obj}"


class _RoundLabelledChoiceFilter(django_filters.ModelChoiceFilter):
    """Themes and tiers belong to a round; name the round in the option."""

    field_class = _RoundLabelledField


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search (title, organisation, receipt number)")
    )
    funding_round = django_filters.ModelChoiceFilter(
        label=_("Funding round"), queryset=FundingRound.objects.select_related("programme"),
        widget=PlainSelect,
    )
    theme = _RoundLabelledChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.select_related("funding_round"),
        widget=PlainSelect,
    )
    tier = _RoundLabelledChoiceFilter(
        label=_("Scale tier"), queryset=ScaleTier.objects.select_related("funding_round"),
        widget=PlainSelect,
    )
    # NOTE: the selects render in Python (core.widgets.PlainSelect, the same
    # HTML): through the widget templates they were half the list page's time.
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Application.Status.choices,
                                         widget=PlainSelect)
    prefecture = django_filters.ChoiceFilter(
        label=_("Prefecture (organisation or activity area)"), choices=Prefecture.choices,
        method="in_prefecture", widget=PlainSelect,
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), field_name="organisation__legal_form", choices=LegalForm.choices,
        widget=PlainSelect,
    )
    min_yen = django_filters.NumberFilter(
        label=_("Requested amount from (yen)"), field_name="requested_yen", lookup_expr="gte",
    )
    max_yen = django_filters.NumberFilter(
        label=_("Requested amount up to (yen)"), field_name="requested_yen", lookup_expr="lte",
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"), widget=PlainSelect,
        fields=(
            ("submitted_at", "submitted_at"),
            ("requested_yen", "requested_yen"),
            ("title", "title"),
            ("organisation__name", "organisation"),
            ("receipt_number", "receipt_number"),
            ("status", "status"),
        ),
        # Both directions named in words (django-filter's own "%s (descending)"
        # has no Japanese and reads as a half-translated label).
        field_labels={
            "submitted_at": _("Submitted at (oldest first)"),
            "-submitted_at": _("Submitted at (newest first)"),
            "requested_yen": _("Requested amount (smallest first)"),
            "-requested_yen": _("Requested amount (largest first)"),
            "title": _("Title (ascending)"),
            "-title": _("Title (descending)"),
            "organisation__name": _("Organisation (ascending)"),
            "-organisation": _("Organisation (descending)"),
            "receipt_number": _("Receipt number (lowest first)"),
            "-receipt_number": _("Receipt number (highest first)"),
            "status": _("Status (ascending)"),
            "-status": _("Status (descending)"),
        },
    )

    class Meta:
        model = Application
        fields: list = []

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_choices_cached", False):
            from .filter_choices import use_cached_choices

            use_cached_choices(form, ("funding_round", "theme", "tier"))
            form._choices_cached = True
        return form

    def search(self, queryset, name, value):
        # NOTE: full-width and half-width forms fold (core.search): "ＮＰＯ"
        # finds "NPO", "A-0001" finds "Ａ－０００１".
        if not search_variants(value):
            return queryset
        return queryset.filter(folded_contains(
            ("title", "organisation__name", "organisation__name_kana", "receipt_number"), value))

    def in_prefecture(self, queryset, name, value):
        # The activity area is a JSON list of codes; match the quoted code.
        return queryset.filter(
            Q(organisation__prefecture=value) | Q(prefectures__icontains=f'"{value}"')
        )
