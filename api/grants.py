"""API for programmes and funding rounds.

Reads are public for published rounds (drafts only for staff and oversight);
every write goes through grants.services, the same calls the staff pages make.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.fiscal import wareki_fiscal_year_label
from core.policies import programmes_managed_by
from core.vocab import LegalForm
from grants import services
from grants.models import (
    ExpenseCategory,
    FundingRound,
    FundingRoundEvent,
    Programme,
    ScaleTier,
    Theme,
)

from .errors import DetailOutput, DomainErrorOutput
from .fields import YenField
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission

TAG = "rounds"

# --- Output ---------------------------------------------------------------------


class ProgrammeOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="Name in the request's language.")

    class Meta:
        model = Programme
        fields = [
            "id", "code", "name", "name_ja", "name_en",
            "description_ja", "description_en", "funder_name",
        ]


class ProgrammeRefOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="Name in the request's language.")

    class Meta:
        model = Programme
        fields = ["id", "code", "name", "name_ja", "name_en"]


class ThemeOutput(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = [
            "id", "number", "title_ja", "title_en", "example_activities",
            "min_awards", "max_awards",
        ]


class TierOutput(serializers.ModelSerializer):
    class Meta:
        model = ScaleTier
        fields = [
            "id", "code", "name_ja", "name_en", "area_description", "ceiling_yen", "sort_order",
        ]


class ExpenseCategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = ExpenseCategory
        fields = ["code", "name_ja", "name_en"]


class RoundOutput(serializers.ModelSerializer):
    """A funding round with everything an applicant needs to decide to apply.
    Datetimes are ISO 8601 in Japan time (+09:00)."""

    programme = ProgrammeRefOutput(read_only=True)
    fiscal_year_label_wareki = serializers.SerializerMethodField(
        help_text="和暦 fiscal-year label, e.g. 令和5年度 for 2023."
    )
    themes = ThemeOutput(many=True, read_only=True)
    tiers = TierOutput(many=True, read_only=True)
    expense_categories = ExpenseCategoryOutput(many=True, read_only=True)
    allowed_legal_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=LegalForm.choices),
        read_only=True,
        help_text="Empty means every legal form may apply.",
    )
    is_accepting = serializers.SerializerMethodField(
        help_text="Open and now between opens_at and closes_at."
    )

    class Meta:
        model = FundingRound
        fields = [
            "id", "programme", "fiscal_year", "fiscal_year_label_wareki",
            "title_ja", "title_en", "description_ja", "description_en",
            "status", "is_accepting", "opens_at", "closes_at", "budget_yen",
            "max_award_years", "ceiling_basis", "themes", "tiers", "expense_categories",
            "allowed_legal_forms", "consortium_allowed", "min_prefectures",
            "budget_change_threshold_percent", "copied_from", "created_at", "updated_at",
        ]

    def get_fiscal_year_label_wareki(self, funding_round) -> str:
        return wareki_fiscal_year_label(funding_round.fiscal_year)

    def get_is_accepting(self, funding_round) -> bool:
        return funding_round.is_accepting()


class ActorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class RoundEventOutput(serializers.ModelSerializer):
    actor = ActorOutput(read_only=True, allow_null=True)
    # NOTE: a plain string, as before the field had choices (FundingRoundEvent.Action).
    action = serializers.CharField(read_only=True)
    changes = serializers.DictField(
        read_only=True, help_text="Changed fields as {field: [before, after]}."
    )

    class Meta:
        model = FundingRoundEvent
        fields = ["id", "at", "actor", "action", "from_status", "to_status", "reason", "changes"]


# --- Input ----------------------------------------------------------------------


class ReasonInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="Why; recorded in the round's history. Required for rule changes to "
        "a published round that has applications.",
    )


class RoundFieldsInput(ReasonInput):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    title_ja = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_ja = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    opens_at = serializers.DateTimeField(help_text="ISO 8601; without an offset, Japan time.")
    closes_at = serializers.DateTimeField(help_text="Must be after opens_at.")
    budget_yen = YenField(help_text="Total budget, positive whole yen.")
    max_award_years = serializers.IntegerField(min_value=1, max_value=5, required=False)
    ceiling_basis = serializers.ChoiceField(
        choices=FundingRound.CeilingBasis.choices, required=False
    )
    expense_categories = serializers.SlugRelatedField(
        many=True, slug_field="code", required=False,
        queryset=ExpenseCategory.objects.filter(is_active=True),
        help_text="Codes of the eligible expense categories.",
    )
    allowed_legal_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=LegalForm.choices), required=False,
        help_text="Empty means every legal form may apply.",
    )
    consortium_allowed = serializers.BooleanField(required=False)
    min_prefectures = serializers.IntegerField(min_value=1, max_value=47, required=False)
    budget_change_threshold_percent = serializers.IntegerField(
        min_value=0, max_value=100, required=False
    )


class RoundCreateInput(RoundFieldsInput):
    reason = None
    programme = serializers.SlugRelatedField(
        slug_field="code", queryset=Programme.objects.all(),
        help_text="Code of a programme you staff.",
    )


class RoundUpdateInput(RoundFieldsInput):
    """Any subset of the round's fields, plus an optional `reason`."""


class RoundCopyInput(RejectUnknownFieldsMixin, serializers.Serializer):
    fiscal_year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False,
        help_text="Fiscal year of the copy; defaults to the next one.",
    )


class ThemeInput(ReasonInput):
    number = serializers.IntegerField(min_value=1, max_value=99)
    title_ja = serializers.CharField(max_length=300)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    example_activities = serializers.CharField(required=False, allow_blank=True)
    min_awards = serializers.IntegerField(
        min_value=0, max_value=999, required=False, allow_null=True
    )
    max_awards = serializers.IntegerField(
        min_value=0, max_value=999, required=False, allow_null=True
    )


class TierInput(ReasonInput):
    code = serializers.SlugField(max_length=30)
    name_ja = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    area_description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ceiling_yen = YenField(help_text="Ceiling per award (経費負担の上限), positive whole yen.")
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


# --- Views ----------------------------------------------------------------------

FORBIDDEN = {
    401: OpenApiResponse(DetailOutput, description="Not signed in."),
    403: OpenApiResponse(DetailOutput, description="Signed in without the right."),
}
NOT_FOUND = {404: OpenApiResponse(DetailOutput, description="No such round you can see.")}
CONFLICT = {409: OpenApiResponse(DomainErrorOutput, description="Refused; nothing changed.")}
REFUSED = {**FORBIDDEN, **NOT_FOUND, **CONFLICT}
INVALID = {400: OpenApiResponse(description="Invalid input; messages per field.")}


def rounds_for(user):
    """Rounds the user may see, with everything RoundOutput reads."""
    return (
        FundingRound.objects.visible_to(user)
        .select_related("programme")
        .prefetch_related("themes", "tiers", "expense_categories")
    )


def round_response(request, pk, *, status_code=status.HTTP_200_OK) -> Response:
    funding_round = rounds_for(request.user).get(pk=pk)
    return Response(RoundOutput(funding_round, context={"request": request}).data,
                    status=status_code)


class RoundFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(
        field_name="programme__code", help_text="Programme code."
    )
    fiscal_year = django_filters.NumberFilter()
    status = django_filters.ChoiceFilter(choices=FundingRound.Status.choices)

    class Meta:
        model = FundingRound
        fields = ["programme", "fiscal_year", "status"]


class RoundListApi(ScopedObjectMixin, generics.ListAPIView):
    """Published rounds for everyone; drafts too for staff and oversight."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = RoundOutput
    pagination_class = StandardPagination
    filterset_class = RoundFilter

    def get_queryset(self):
        return rounds_for(self.request.user)

    @extend_schema(tags=[TAG], summary="List funding rounds")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], summary="Create a draft round in a programme you staff",
        request=RoundCreateInput, responses={201: RoundOutput, **INVALID, **FORBIDDEN, **CONFLICT},
    )
    def post(self, request):
        if not Programme.objects.filter(programmes_managed_by(request.user)).exists():
            raise PermissionDenied
        values = dict(self.validated_input(RoundCreateInput))
        programme = values.pop("programme")
        if not request.user.has_perm("grants.create_round", programme):
            raise PermissionDenied
        funding_round = services.create_round(programme=programme, by=request.user, **values)
        return round_response(request, funding_round.pk, status_code=status.HTTP_201_CREATED)


class RoundDetailApi(ScopedObjectMixin, generics.RetrieveAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly, PolicyPermission]
    policy = "grants.manage_round"
    read_policy = None  # published rounds are public; the scope hides drafts
    serializer_class = RoundOutput

    def get_queryset(self):
        return rounds_for(self.request.user)

    @extend_schema(tags=[TAG], summary="A funding round")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], summary="Change a round",
        request=RoundUpdateInput, responses={200: RoundOutput, **INVALID, **REFUSED},
    )
    def patch(self, request, pk):
        funding_round = self.get_object()
        values = dict(
            self.validated_input(RoundUpdateInput, partial=True, funding_round=funding_round)
        )
        reason = values.pop("reason", "")
        services.update_round(
            funding_round=funding_round, by=request.user, reason=reason, **values
        )
        return round_response(request, pk)


class _RoundWriteApi(ScopedObjectMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "grants.manage_round"

    def get_round(self, pk):
        return self.get_scoped_object(FundingRound.objects, pk=pk)


class _RoundTransitionApi(_RoundWriteApi):
    """POST with an optional `reason`; answers the round."""

    service = None

    def transition(self, request, pk):
        funding_round = self.get_round(pk)
        reason = self.validated_input(ReasonInput).get("reason", "")
        self.service(funding_round=funding_round, by=request.user, reason=reason)
        return round_response(request, pk)


def _transition_schema(summary):
    return extend_schema(
        tags=[TAG], summary=summary, request=ReasonInput,
        responses={200: RoundOutput, **INVALID, **REFUSED},
    )


class RoundOpenApi(_RoundTransitionApi):
    service = staticmethod(services.open_round)

    @_transition_schema("Open a complete draft (at least one theme, tier and expense category)")
    def post(self, request, pk):
        return self.transition(request, pk)


class RoundCloseApi(_RoundTransitionApi):
    service = staticmethod(services.close_round)

    @_transition_schema("Close an open round")
    def post(self, request, pk):
        return self.transition(request, pk)


class RoundStartReviewApi(_RoundTransitionApi):
    service = staticmethod(services.start_review)

    @_transition_schema("Hand a closed round to the reviewers")
    def post(self, request, pk):
        return self.transition(request, pk)


class RoundDecideApi(_RoundTransitionApi):
    service = staticmethod(services.mark_round_decided)

    @_transition_schema("Mark a reviewed round decided")
    def post(self, request, pk):
        return self.transition(request, pk)


class RoundArchiveApi(_RoundTransitionApi):
    service = staticmethod(services.archive_round)

    @_transition_schema("Archive a decided round")
    def post(self, request, pk):
        return self.transition(request, pk)


class RoundCopyApi(_RoundWriteApi):
    @extend_schema(
        tags=[TAG], summary="Start a new draft from this round",
        request=RoundCopyInput, responses={201: RoundOutput, **INVALID, **REFUSED},
    )
    def post(self, request, pk):
        source = self.get_round(pk)
        fiscal_year = self.validated_input(RoundCopyInput).get("fiscal_year")
        copy = services.copy_round(source=source, by=request.user, fiscal_year=fiscal_year)
        return round_response(request, copy.pk, status_code=status.HTTP_201_CREATED)


class RoundThemesApi(_RoundWriteApi):
    @extend_schema(
        tags=[TAG], summary="Add a theme", request=ThemeInput,
        responses={201: ThemeOutput, **INVALID, **REFUSED},
    )
    def post(self, request, pk):
        funding_round = self.get_round(pk)
        values = dict(self.validated_input(ThemeInput))
        reason = values.pop("reason", "")
        theme = services.save_theme(
            funding_round=funding_round, by=request.user, reason=reason, **values
        )
        return Response(ThemeOutput(theme).data, status=status.HTTP_201_CREATED)


class RoundThemeDetailApi(_RoundWriteApi):
    def get_theme(self, pk, theme_id):
        funding_round = self.get_round(pk)
        return get_object_or_404(funding_round.themes.all(), pk=theme_id)

    @extend_schema(
        tags=[TAG], summary="Change a theme", request=ThemeInput,
        responses={200: ThemeOutput, **INVALID, **REFUSED},
    )
    def patch(self, request, pk, theme_id):
        theme = self.get_theme(pk, theme_id)
        values = dict(self.validated_input(ThemeInput, partial=True, theme=theme))
        reason = values.pop("reason", "")
        services.save_theme(
            funding_round=theme.funding_round, theme=theme, by=request.user, reason=reason,
            **values,
        )
        theme.refresh_from_db()
        return Response(ThemeOutput(theme).data)

    @extend_schema(
        tags=[TAG], summary="Remove a theme", request=ReasonInput,
        responses={204: None, **INVALID, **REFUSED},
    )
    def delete(self, request, pk, theme_id):
        theme = self.get_theme(pk, theme_id)
        reason = self.validated_input(ReasonInput).get("reason", "")
        services.delete_theme(theme=theme, by=request.user, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoundTiersApi(_RoundWriteApi):
    @extend_schema(
        tags=[TAG], summary="Add a scale tier with its ceiling", request=TierInput,
        responses={201: TierOutput, **INVALID, **REFUSED},
    )
    def post(self, request, pk):
        funding_round = self.get_round(pk)
        values = dict(self.validated_input(TierInput))
        reason = values.pop("reason", "")
        tier = services.save_tier(
            funding_round=funding_round, by=request.user, reason=reason, **values
        )
        return Response(TierOutput(tier).data, status=status.HTTP_201_CREATED)


class RoundTierDetailApi(_RoundWriteApi):
    def get_tier(self, pk, tier_id):
        funding_round = self.get_round(pk)
        return get_object_or_404(funding_round.tiers.all(), pk=tier_id)

    @extend_schema(
        tags=[TAG], summary="Change a scale tier", request=TierInput,
        responses={200: TierOutput, **INVALID, **REFUSED},
    )
    def patch(self, request, pk, tier_id):
        tier = self.get_tier(pk, tier_id)
        values = dict(self.validated_input(TierInput, partial=True))
        reason = values.pop("reason", "")
        services.save_tier(
            funding_round=tier.funding_round, tier=tier, by=request.user, reason=reason,
            **values,
        )
        tier.refresh_from_db()
        return Response(TierOutput(tier).data)

    @extend_schema(
        tags=[TAG], summary="Remove a scale tier", request=ReasonInput,
        responses={204: None, **INVALID, **REFUSED},
    )
    def delete(self, request, pk, tier_id):
        tier = self.get_tier(pk, tier_id)
        reason = self.validated_input(ReasonInput).get("reason", "")
        services.delete_tier(tier=tier, by=request.user, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoundHistoryApi(ScopedObjectMixin, generics.ListAPIView):
    """Who changed what and why: staff and oversight."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "grants.view_round_history"
    serializer_class = RoundEventOutput
    pagination_class = StandardPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return FundingRoundEvent.objects.none()
        funding_round = self.get_scoped_object(FundingRound.objects, pk=self.kwargs["pk"])
        return funding_round.events.select_related("actor")

    @extend_schema(tags=[TAG], summary="History of a round", responses={
        200: RoundEventOutput(many=True), **FORBIDDEN, **NOT_FOUND,
    })
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("rounds/", RoundListApi.as_view(), name="round-list"),
    path("rounds/<int:pk>/", RoundDetailApi.as_view(), name="round-detail"),
    path("rounds/<int:pk>/open/", RoundOpenApi.as_view(), name="round-open"),
    path("rounds/<int:pk>/close/", RoundCloseApi.as_view(), name="round-close"),
    path("rounds/<int:pk>/start-review/", RoundStartReviewApi.as_view(), name="round-start-review"),
    path("rounds/<int:pk>/decide/", RoundDecideApi.as_view(), name="round-decide"),
    path("rounds/<int:pk>/archive/", RoundArchiveApi.as_view(), name="round-archive"),
    path("rounds/<int:pk>/copy/", RoundCopyApi.as_view(), name="round-copy"),
    path("rounds/<int:pk>/themes/", RoundThemesApi.as_view(), name="round-themes"),
    path(
        "rounds/<int:pk>/themes/<int:theme_id>/", RoundThemeDetailApi.as_view(),
        name="round-theme-detail",
    ),
    path("rounds/<int:pk>/tiers/", RoundTiersApi.as_view(), name="round-tiers"),
    path(
        "rounds/<int:pk>/tiers/<int:tier_id>/", RoundTierDetailApi.as_view(),
        name="round-tier-detail",
    ),
    path("rounds/<int:pk>/history/", RoundHistoryApi.as_view(), name="round-history"),
]
