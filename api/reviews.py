"""API for reviews: the reviewer's assignments and reviews, and the staff's
assignment, ranking and decisions of a round.

SECURITY: scope first. Reviewers reach only their own active, unconflicted
assignments (404 otherwise, as for pages and PDFs); round endpoints are for
staff and oversight only (404 for everyone else). No response meant for an
applicant carries a reviewer's identity; other reviewers' scores appear
anonymously, and only under the round's visibility setting.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application
from core.policies import review_rounds_visible_to
from grants.models import FundingRound
from reviews import services
from reviews.models import Assignment, Criterion, Decision, Recommendation, Review
from reviews.queries import (
    batch_progress,
    criteria_of,
    other_reviews,
    others_scores_visible,
    review_total,
    reviewer_queue,
    round_decisions,
)
from reviews.ranking import round_ranking

from .errors import DetailOutput, DomainErrorOutput
from .fields import YenField
from .mixins import RejectUnknownFieldsMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission

TAG = "reviews"
REFUSED = {
    403: OpenApiResponse(DetailOutput, description="Inside your scope without the right."),
    404: OpenApiResponse(DetailOutput, description="Outside your scope."),
    409: OpenApiResponse(DomainErrorOutput, description="Refused; nothing changed."),
}

# --- Output ---------------------------------------------------------------------


class AssignedApplicationOutput(serializers.ModelSerializer):
    funding_round_title = serializers.CharField(
        source="funding_round.title", read_only=True,
        help_text="The round's name, in the request's language.",
    )

    class Meta:
        model = Application
        fields = ["id", "receipt_number", "title", "funding_round", "funding_round_title",
                  "theme", "tier"]


class ReviewRefOutput(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "status", "submitted_at"]


class AssignmentOutput(serializers.ModelSerializer):
    application = AssignedApplicationOutput(read_only=True)
    review = serializers.SerializerMethodField()
    has_declared_no_conflict = serializers.BooleanField(source="is_declared", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "application", "due_on", "status", "has_declared_no_conflict", "review"]

    @extend_schema(responses=ReviewRefOutput(allow_null=True))
    def get_review(self, assignment) -> dict | None:
        review = getattr(assignment, "review", None)
        return ReviewRefOutput(review).data if review else None


class ReviewScoreItem(serializers.Serializer):
    criterion = serializers.IntegerField()
    value = serializers.IntegerField(allow_null=True)


class OtherReviewOutput(serializers.Serializer):
    label = serializers.CharField(help_text="Anonymous label: A, B, C …")
    scores = serializers.ListField(child=serializers.IntegerField(allow_null=True),
                                   help_text="In the rubric's criterion order.")
    total = serializers.IntegerField(allow_null=True)
    recommendation = serializers.CharField()


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    application = serializers.IntegerField(source="assignment.application_id")
    status = serializers.CharField()
    recommendation = serializers.CharField()
    comment_to_staff = serializers.CharField()
    comment_to_applicant = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    scores = ReviewScoreItem(many=True, source="score_items")
    total = serializers.IntegerField(allow_null=True, help_text="Σ weight × score when complete.")
    other_reviews = OtherReviewOutput(
        many=True, allow_null=True,
        help_text="Other reviewers' submitted reviews, anonymous; null while hidden "
                  "(until your own review is submitted, when the round hides them).",
    )


def _review_data(review, *, with_others: bool, criteria=None) -> dict:
    assignment = review.assignment
    if criteria is None:
        criteria = criteria_of(assignment.application.funding_round_id)
    values = {s.criterion_id: s.value for s in review.scores.all()}
    review.score_items = [{"criterion": c.pk, "value": values.get(c.pk)} for c in criteria]
    review.total = review_total(review, criteria)
    review.other_reviews = (
        other_reviews(assignment, criteria)
        if with_others and others_scores_visible(assignment, review) else None
    )
    return ReviewOutput(review).data


class RankedApplicationOutput(serializers.Serializer):
    application = serializers.IntegerField(source="application.id")
    receipt_number = serializers.CharField(source="application.receipt_number")
    title = serializers.CharField(source="application.title")
    organisation = serializers.CharField(source="application.organisation")
    requested_yen = serializers.IntegerField(source="application.requested_yen")
    status = serializers.CharField(source="application.status")
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    stdev = serializers.FloatField(allow_null=True)
    calibrated = serializers.FloatField(allow_null=True)
    recommendations = serializers.DictField(child=serializers.IntegerField())
    disagreement = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True, help_text="Within its theme and tier.")
    overall_rank = serializers.IntegerField(allow_null=True)


class RankingGroupOutput(serializers.Serializer):
    theme = serializers.DictField(allow_null=True)
    tier = serializers.DictField(allow_null=True)
    rows = RankedApplicationOutput(many=True)


class RankingOutput(serializers.Serializer):
    max_total = serializers.IntegerField()
    disagreement_stdev = serializers.FloatField(allow_null=True)
    tie_break = serializers.CharField()
    groups = RankingGroupOutput(many=True)


class ReviewDecisionOutput(serializers.ModelSerializer):
    receipt_number = serializers.CharField(source="application.receipt_number")
    has_notice = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id", "application", "receipt_number", "outcome", "amount_yen", "reason",
            "decided_at", "batch", "has_notice", "notice_emailed_at",
        ]

    def get_has_notice(self, decision) -> bool:
        return bool(decision.notice_file)


class DecisionBatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    total = serializers.IntegerField()
    done = serializers.IntegerField(help_text="Notices generated.")
    emailed = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class RoundDecisionsOutput(serializers.Serializer):
    decisions = ReviewDecisionOutput(many=True)
    batches = DecisionBatchOutput(many=True)


class AssignOutput(serializers.Serializer):
    created = serializers.IntegerField()
    objective = serializers.IntegerField()
    expertise_matches = serializers.IntegerField()
    loads = serializers.DictField(child=serializers.IntegerField(),
                                  help_text="Reviewer id: load in the round.")


# --- Input ----------------------------------------------------------------------


class DeclarationInput(RejectUnknownFieldsMixin, serializers.Serializer):
    has_conflict = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReviewInput(RejectUnknownFieldsMixin, serializers.Serializer):
    assignment = serializers.IntegerField(required=False)
    scores = ReviewScoreItem(many=True, required=False)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False,
                                             allow_blank=True)
    comment_to_staff = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    comment_to_applicant = serializers.CharField(required=False, allow_blank=True,
                                                 max_length=10000)


class AssignInput(RejectUnknownFieldsMixin, serializers.Serializer):
    k = serializers.IntegerField(required=False, min_value=1, max_value=20)
    max_load = serializers.IntegerField(required=False, min_value=0, max_value=1000)
    min_load = serializers.IntegerField(required=False, min_value=0, max_value=1000)
    due_on = serializers.DateField(required=False, allow_null=True)
    reviewer_ids = serializers.ListField(child=serializers.IntegerField(), required=False)


class DecisionItemInput(serializers.Serializer):
    application = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    amount_yen = YenField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DecisionsInput(RejectUnknownFieldsMixin, serializers.Serializer):
    decisions = DecisionItemInput(many=True, allow_empty=False)


def _validated(request, serializer_class):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Reviewer: assignments and reviews -----------------------------------------------


@extend_schema(tags=[TAG])
class AssignmentListApi(generics.ListAPIView):
    """Your own active, unconflicted assignments, soonest due first."""

    serializer_class = AssignmentOutput
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return reviewer_queue(self.request.user)


class _AssignmentMixin:
    def get_assignment(self, request, pk) -> Assignment:
        assignment = get_object_or_404(
            Assignment.objects.visible_to(request.user).select_related(
                "application__funding_round"
            ),
            pk=pk,
        )
        self.check_object_permissions(request, assignment)
        return assignment


@extend_schema(tags=[TAG])
class AssignmentDeclarationApi(_AssignmentMixin, APIView):
    """Declare before reading: no conflict (then read and score) or a
    conflict with its reason (the assignment is withdrawn)."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.declare_conflict"

    @extend_schema(request=DeclarationInput, responses={200: AssignmentOutput, **REFUSED})
    def post(self, request, pk):
        assignment = self.get_assignment(request, pk)
        data = _validated(request, DeclarationInput)
        if data["has_conflict"]:
            services.declare_conflict(assignment=assignment, by=request.user,
                                      reason=data.get("reason", ""))
        else:
            services.declare_no_conflict(assignment=assignment, by=request.user)
        assignment = Assignment.objects.select_related("application").get(pk=assignment.pk)
        return Response(AssignmentOutput(assignment).data)


def _own_reviews(user):
    return (
        Review.objects.visible_to(user)
        .filter(assignment__reviewer=user)
        .select_related("assignment__application")
        .prefetch_related("scores")
        .order_by("id")
    )


def _save_draft(request, assignment, data):
    return services.save_review_draft(
        assignment=assignment, by=request.user,
        scores={item["criterion"]: item["value"] for item in data.get("scores", [])},
        recommendation=data.get("recommendation", ""),
        comment_to_staff=data.get("comment_to_staff", ""),
        comment_to_applicant=data.get("comment_to_applicant", ""),
    )


@extend_schema(tags=[TAG])
class ReviewListApi(_AssignmentMixin, APIView):
    """Your own reviews; POST saves a draft for one of your assignments (an
    existing draft is replaced: send every score you have so far)."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.score"

    @extend_schema(responses={200: ReviewOutput(many=True)})
    def get(self, request):
        reviews = list(_own_reviews(request.user))
        round_ids = {r.assignment.application.funding_round_id for r in reviews}
        criteria: dict[int, list] = {round_id: [] for round_id in round_ids}
        for criterion in Criterion.objects.filter(
            rubric__funding_round_id__in=round_ids
        ).select_related("rubric"):
            criteria[criterion.rubric.funding_round_id].append(criterion)
        return Response([
            _review_data(r, with_others=False,
                         criteria=criteria[r.assignment.application.funding_round_id])
            for r in reviews
        ])

    @extend_schema(request=ReviewInput, responses={201: ReviewOutput, **REFUSED})
    def post(self, request):
        data = _validated(request, ReviewInput)
        if "assignment" not in data:
            raise serializers.ValidationError({"assignment": [_("This field is required.")]})
        assignment = self.get_assignment(request, data["assignment"])
        review = _save_draft(request, assignment, data)
        review = _own_reviews(request.user).get(pk=review.pk)
        return Response(_review_data(review, with_others=True), status=status.HTTP_201_CREATED)


class _ReviewMixin:
    def get_review(self, request, pk) -> Review:
        review = get_object_or_404(_own_reviews(request.user), pk=pk)
        self.check_object_permissions(request, review.assignment)
        return review


@extend_schema(tags=[TAG])
class ReviewDetailApi(_ReviewMixin, APIView):
    """One of your reviews, with other reviewers' scores when visible; PUT
    replaces the draft."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.score"
    read_policy = None

    @extend_schema(responses={200: ReviewOutput, 404: REFUSED[404]})
    def get(self, request, pk):
        return Response(_review_data(self.get_review(request, pk), with_others=True))

    @extend_schema(request=ReviewInput, responses={200: ReviewOutput, **REFUSED})
    def put(self, request, pk):
        review = self.get_review(request, pk)
        data = _validated(request, ReviewInput)
        _save_draft(request, review.assignment, data)
        return Response(_review_data(_own_reviews(request.user).get(pk=pk), with_others=True))


@extend_schema(tags=[TAG])
class ReviewSubmitApi(_ReviewMixin, APIView):
    """Submit a complete draft; it then counts and no longer changes."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.score"

    @extend_schema(request=None, responses={200: ReviewOutput, **REFUSED})
    def post(self, request, pk):
        review = self.get_review(request, pk)
        services.submit_review(review=review, by=request.user)
        return Response(_review_data(_own_reviews(request.user).get(pk=pk), with_others=True))


# --- Staff: rounds ---------------------------------------------------------------------


class _RoundMixin:
    def get_round(self, request, pk) -> FundingRound:
        funding_round = get_object_or_404(
            FundingRound.objects.filter(review_rounds_visible_to(request.user)).select_related(
                "programme"
            ),
            pk=pk,
        )
        self.check_object_permissions(request, funding_round)
        return funding_round


@extend_schema(tags=[TAG])
class RoundAssignApi(_RoundMixin, APIView):
    """Assign reviewers automatically and optimally (defaults from the rubric)."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.manage_round"

    @extend_schema(request=AssignInput, responses={200: AssignOutput, **REFUSED})
    def post(self, request, pk):
        funding_round = self.get_round(request, pk)
        data = _validated(request, AssignInput)
        result = services.assign_reviewers_automatically(
            funding_round=funding_round, by=request.user, **data
        )
        return Response(AssignOutput({
            "created": result.count, "objective": result.objective,
            "expertise_matches": result.expertise_matches,
            "loads": {str(k): v for k, v in result.loads.items()},
        }).data)


@extend_schema(tags=[TAG])
class RoundRankingApi(_RoundMixin, APIView):
    """Ranking per theme and tier with calibrated scores."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.view_ranking"

    @extend_schema(responses={200: RankingOutput, 404: REFUSED[404]})
    def get(self, request, pk):
        ranking = round_ranking(self.get_round(request, pk))
        return Response(RankingOutput({
            "max_total": ranking.max_total,
            "disagreement_stdev": ranking.disagreement_stdev,
            "tie_break": "calibrated desc, mean desc, requested_yen asc, receipt_number asc",
            "groups": [
                {
                    "theme": {"id": theme.pk, "number": theme.number, "title": theme.title}
                    if theme else None,
                    "tier": {"id": tier.pk, "code": tier.code, "name": tier.name}
                    if tier else None,
                    "rows": rows,
                }
                for theme, tier, rows in ranking.groups
            ],
        }).data)


@extend_schema(tags=[TAG])
class RoundDecisionsApi(_RoundMixin, APIView):
    """Decisions of a round and the notice batches' progress; POST records
    several decisions at once (all or none)."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reviews.manage_round"
    read_policy = "reviews.view_ranking"

    def _body(self, funding_round):
        return RoundDecisionsOutput({
            "decisions": round_decisions(funding_round),
            "batches": batch_progress(funding_round),
        }).data

    @extend_schema(responses={200: RoundDecisionsOutput, 404: REFUSED[404]})
    def get(self, request, pk):
        return Response(self._body(self.get_round(request, pk)))

    @extend_schema(request=DecisionsInput, responses={201: RoundDecisionsOutput, **REFUSED})
    def post(self, request, pk):
        funding_round = self.get_round(request, pk)
        data = _validated(request, DecisionsInput)
        ids = [item["application"] for item in data["decisions"]]
        applications = Application.objects.filter(funding_round=funding_round).in_bulk(ids)
        missing = sorted(set(ids) - set(applications))
        if missing:
            raise serializers.ValidationError(
                {"decisions": [_("Unknown application in this round: %(ids)s")
                               % {"ids": ", ".join(map(str, missing))}]}
            )
        services.record_decisions(
            funding_round=funding_round, by=request.user,
            items=[dict(item, application=applications[item["application"]])
                   for item in data["decisions"]],
        )
        return Response(self._body(funding_round), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("assignments/", AssignmentListApi.as_view(), name="assignment-list"),
    path("assignments/<int:pk>/declaration/", AssignmentDeclarationApi.as_view(),
         name="assignment-declaration"),
    path("reviews/", ReviewListApi.as_view(), name="review-list"),
    path("reviews/<int:pk>/", ReviewDetailApi.as_view(), name="review-detail"),
    path("reviews/<int:pk>/submit/", ReviewSubmitApi.as_view(), name="review-submit"),
    path("rounds/<int:pk>/assign/", RoundAssignApi.as_view(), name="round-assign"),
    path("rounds/<int:pk>/ranking/", RoundRankingApi.as_view(), name="round-ranking"),
    path("rounds/<int:pk>/decisions/", RoundDecisionsApi.as_view(), name="round-decisions"),
]
