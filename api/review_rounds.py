"""API for a round's rubric (read, create with PUT, edit with PATCH) and
its quota-aware proposed selection: budget, funding line, near-line flags
and each theme's minimum and maximum number of awards (採択件数).

Scope: staff and oversight (everyone else 404); writes by staff of the
round's programme (403 otherwise); refusals 409. The same services and
queries as the rubric and decisions pages."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.policies import review_rounds_visible_to
from grants.models import FundingRound
from reviews import services
from reviews.models import Rubric
from reviews.queries import round_proposal, rubric_for
from reviews.services.rubrics import SETTING_FIELDS

from .mixins import RejectUnknownFieldsMixin
from .permissions import PolicyPermission
from .reviews import REFUSED

TAG = "reviews"


class CriterionInput(serializers.Serializer):
    """A nested row: unknown keys are refused like at the top level."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.IntegerField(required=False, default=1)
    scale_min = serializers.IntegerField(required=False, default=1)
    scale_max = serializers.IntegerField(required=False, default=5)
    descriptors = serializers.ListField(child=serializers.CharField(allow_blank=True),
                                        required=False, default=list,
                                        help_text="One per point, lowest score first.")

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class RubricInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """PUT: `criteria` required (replaces them all); PATCH: any subset."""

    hide_scores_until_submitted = serializers.BooleanField(required=False)
    reviews_per_application = serializers.IntegerField(min_value=0, required=False)
    max_load = serializers.IntegerField(min_value=0, required=False)
    min_load = serializers.IntegerField(min_value=0, required=False)
    review_due_on = serializers.DateField(required=False, allow_null=True)
    disagreement_threshold_percent = serializers.IntegerField(min_value=0, required=False)
    funding_line_margin_percent = serializers.IntegerField(min_value=0, required=False)
    criteria = CriterionInput(many=True, required=True)


class CriterionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.IntegerField()
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    descriptors = serializers.ListField(child=serializers.CharField())


class RubricOutput(serializers.Serializer):
    hide_scores_until_submitted = serializers.BooleanField()
    reviews_per_application = serializers.IntegerField()
    max_load = serializers.IntegerField()
    min_load = serializers.IntegerField()
    review_due_on = serializers.DateField(allow_null=True)
    disagreement_threshold_percent = serializers.IntegerField()
    funding_line_margin_percent = serializers.IntegerField()
    criteria = CriterionOutput(many=True)
    max_total = serializers.IntegerField(help_text="Highest weighted total of one review.")


class ProposalRowOutput(serializers.Serializer):
    application = serializers.IntegerField()
    receipt_number = serializers.CharField()
    title = serializers.CharField()
    theme = serializers.IntegerField(allow_null=True)
    overall_rank = serializers.IntegerField(allow_null=True)
    calibrated = serializers.FloatField(allow_null=True)
    amount_yen = serializers.IntegerField()
    selected = serializers.BooleanField()
    reason = serializers.CharField(help_text="minimum, rank, budget, theme_full or unscored.")
    near_line = serializers.BooleanField(help_text="Within the margin of the funding line.")


class ProposalThemeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    min_awards = serializers.IntegerField(allow_null=True)
    max_awards = serializers.IntegerField(allow_null=True)
    awarded = serializers.IntegerField(help_text="Already decided: awarded.")
    proposed = serializers.IntegerField(help_text="Selected by this proposal.")
    minimum_met = serializers.BooleanField()


class UnmetMinimumOutput(serializers.Serializer):
    theme = serializers.IntegerField()
    number = serializers.IntegerField()
    minimum = serializers.IntegerField()
    reached = serializers.IntegerField()


class ProposalOutput(serializers.Serializer):
    budget_yen = serializers.IntegerField()
    committed_yen = serializers.IntegerField(help_text="Already awarded in the round.")
    selected_yen = serializers.IntegerField()
    remaining_yen = serializers.IntegerField()
    funding_line = serializers.FloatField(allow_null=True)
    margin = serializers.FloatField()
    rows = ProposalRowOutput(many=True)
    themes = ProposalThemeOutput(many=True)
    unmet_minimums = UnmetMinimumOutput(many=True)


class _RoundApi(APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.manage_round"
    read_policy = "reviews.view_ranking"

    def get_round(self, request, pk) -> FundingRound:
        funding_round = get_object_or_404(
            FundingRound.objects.filter(review_rounds_visible_to(request.user))
            .select_related("programme"), pk=pk)
        self.check_object_permissions(request, funding_round)
        return funding_round


def _rubric_body(funding_round) -> dict:
    rubric = Rubric.objects.filter(funding_round=funding_round).first() or \
        rubric_for(funding_round)
    criteria = list(rubric.criteria.order_by("position")) if rubric.pk else []
    return RubricOutput({
        **{field: getattr(rubric, field) for field in SETTING_FIELDS},
        "criteria": criteria,
        "max_total": sum(c.weight * c.scale_max for c in criteria),
    }).data


class RoundRubricApi(_RoundApi):
    """The round's rubric: settings and weighted criteria."""

    @extend_schema(tags=[TAG], summary="A round's rubric", responses={200: RubricOutput, **REFUSED})
    def get(self, request, pk):
        return Response(_rubric_body(self.get_round(request, pk)))

    def _save(self, request, pk, *, partial: bool):
        funding_round = self.get_round(request, pk)
        serializer = RubricInput(data=request.data, partial=partial,
                                 context={"request": request})
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        criteria = values.pop("criteria", None)
        if criteria is not None:
            criteria = [dict(c) for c in criteria]
        services.save_rubric(funding_round=funding_round, by=request.user, criteria=criteria,
                             **values)
        return Response(_rubric_body(funding_round))

    @extend_schema(tags=[TAG], summary="Create or replace a round's rubric (criteria required)",
                   request=RubricInput, responses={200: RubricOutput, **REFUSED})
    def put(self, request, pk):
        return self._save(request, pk, partial=False)

    @extend_schema(tags=[TAG], summary="Change a round's rubric settings or criteria",
                   request=RubricInput, responses={200: RubricOutput, **REFUSED})
    def patch(self, request, pk):
        return self._save(request, pk, partial=True)


def _proposal_body(funding_round) -> dict:
    _ranking, proposal = round_proposal(funding_round)
    themes = list(funding_round.themes.order_by("number"))
    proposed: dict = {}
    for row in proposal.rows:
        if row.selected:
            theme = row.ranked.application.theme_id
            proposed[theme] = proposed.get(theme, 0) + 1
    numbers = {t.pk: t.number for t in themes}
    return ProposalOutput({
        "budget_yen": proposal.budget_yen,
        "committed_yen": proposal.committed_yen,
        "selected_yen": proposal.selected_yen,
        "remaining_yen": proposal.remaining_yen,
        "funding_line": proposal.funding_line,
        "margin": proposal.margin,
        "rows": [
            {"application": row.ranked.id, "receipt_number": row.ranked.application.receipt_number,
             "title": row.ranked.application.title, "theme": row.ranked.application.theme_id,
             "overall_rank": row.ranked.overall_rank, "calibrated": row.ranked.calibrated,
             "amount_yen": row.amount_yen, "selected": row.selected, "reason": row.reason,
             "near_line": row.near_line}
            for row in proposal.rows
        ],
        "themes": [
            {"id": t.pk, "number": t.number, "title": t.title, "min_awards": t.min_awards,
             "max_awards": t.max_awards,
             "awarded": proposal.theme_counts.get(t.pk, 0) - proposed.get(t.pk, 0),
             "proposed": proposed.get(t.pk, 0),
             "minimum_met": t.pk not in proposal.unmet_minimums}
            for t in themes
        ],
        "unmet_minimums": [
            {"theme": theme, "number": numbers.get(theme, 0), "minimum": minimum,
             "reached": reached}
            for theme, (minimum, reached) in sorted(proposal.unmet_minimums.items(),
                                                     key=lambda i: numbers.get(i[0], 0))
        ],
    }).data


class RoundProposalApi(_RoundApi):
    """The proposed selection over the undecided applications."""

    @extend_schema(tags=[TAG], summary="Proposed selection within budget and theme quotas",
                   responses={200: ProposalOutput, **REFUSED})
    def get(self, request, pk):
        return Response(_proposal_body(self.get_round(request, pk)))


urlpatterns = [
    path("rounds/<int:pk>/rubric/", RoundRubricApi.as_view(), name="round-rubric"),
    path("rounds/<int:pk>/proposal/", RoundProposalApi.as_view(), name="round-proposal"),
]
