"""API for progress reports: create a draft, update it with If-Match (its
`lock_version`, also sent as the ETag), submit, and the staff review.

Organisations write their own reports; programme staff review; oversight
reads. Every write goes through reporting.services.
"""

import django_filters
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from awards.models import Award, ReportDeadline
from reporting import queries, services
from reporting.models import ProgressReport, ReportVersion

from .awards import FORBIDDEN, INVALID, NOT_FOUND, REFUSED, AwardCommentInput, AwardReasonInput
from .errors import DetailOutput, DomainErrorOutput
from .fields import YenField
from .mixins import OptimisticLockMixin, RejectUnknownFieldsMixin, ScopedObjectMixin, etag_for
from .pagination import StandardPagination
from .permissions import PolicyPermission

TAG = "reports"
STALE = {412: OpenApiResponse(DomainErrorOutput, description="If-Match is not the current "
                              "version: someone saved in between. Nothing changed.")}
IF_MATCH_MISSING = {428: OpenApiResponse(DetailOutput, description="Send If-Match.")}
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='The ETag (lock_version) you last read, e.g. "3".',
)


# --- Output ---------------------------------------------------------------------------


class ReportOutput(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="interim (中間報告), annual (実績報告) or final.")
    status = serializers.CharField(help_text="draft, submitted, revision_requested or accepted.")
    award_number = serializers.CharField(source="award.award_number", read_only=True)
    due_on = serializers.DateField(source="deadline.due_on", read_only=True)
    version_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id", "award", "award_number", "deadline", "kind", "fiscal_year", "status",
            "lock_version", "due_on", "review_comment", "submitted_at", "last_submitted_at",
            "accepted_at", "version_count", "updated_at",
        ]


class ReportPersonalDataOutput(serializers.Serializer):
    field = serializers.CharField()
    kind = serializers.CharField(help_text="email, phone or address.")
    text = serializers.CharField()


class ReportDetailOutput(ReportOutput):
    content = serializers.SerializerMethodField(
        help_text="Texts, feature tags, activities, indicator and expense actuals."
    )
    personal_data = serializers.SerializerMethodField(
        help_text="Personal data found and not accepted by staff: submission is refused."
    )

    class Meta(ReportOutput.Meta):
        fields = [*ReportOutput.Meta.fields, "content", "personal_data"]

    def get_content(self, report) -> dict:
        return services.report_content(report)

    @extend_schema_field(ReportPersonalDataOutput(many=True))
    def get_personal_data(self, report) -> list:
        return ReportPersonalDataOutput(services.unaccepted_personal_data(report), many=True).data


class ReportVersionOutput(serializers.ModelSerializer):
    class Meta:
        model = ReportVersion
        fields = ["number", "submitted_at", "content"]


# --- Input ------------------------------------------------------------------------------


class ReportActivityInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    sessions_held = serializers.IntegerField(min_value=0, required=False, default=0)
    participants_total = serializers.IntegerField(
        min_value=0, required=False, default=0, help_text="Cumulative participants (延べ人数)."
    )
    participants_by_group = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False,
        help_text="{target group code: cumulative participants}",
    )


class IndicatorActualInput(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="Id of a planned indicator row.")
    name = serializers.CharField(max_length=200, required=False)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    target = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    actual = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ExpenseActualInput(serializers.Serializer):
    expense_category = serializers.CharField(help_text="Expense category code.")
    actual_yen = YenField(min_value=0)
    explanation = serializers.CharField(required=False, allow_blank=True)


class ReportContentInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """Any subset: keys left out stay as they are."""

    summary = serializers.CharField(required=False, allow_blank=True)
    outcomes = serializers.CharField(required=False, allow_blank=True)
    know_how = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    episodes = serializers.CharField(required=False, allow_blank=True)
    voices = serializers.CharField(required=False, allow_blank=True,
                                   help_text="Anonymous quotes, one per line.")
    sustainability_plan = serializers.CharField(required=False, allow_blank=True)
    feature_tags = serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="Feature tag codes.")
    target_groups = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Target group codes the report reaches (no per-activity counts needed).")
    activities = ReportActivityInput(many=True, required=False,
                               help_text="Replaces every activity of the report.")
    indicator_actuals = IndicatorActualInput(many=True, required=False)
    expense_actuals = ExpenseActualInput(many=True, required=False)


class ReportCreateInput(RejectUnknownFieldsMixin, serializers.Serializer):
    deadline = serializers.IntegerField(help_text="Id of the report deadline to answer.")


# --- Views ---------------------------------------------------------------------------------


def reports_for(user):
    return queries.reports_for_list(user).annotate(version_count=Count("versions"))


def report_response(request, pk, status_code=status.HTTP_200_OK):
    report = queries.report_detail(reports_for(request.user), pk=pk)
    response = Response(ReportDetailOutput(report).data, status=status_code)
    response["ETag"] = etag_for(report)
    return response


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProgressReport.Status.choices)
    kind = django_filters.ChoiceFilter(choices=ReportDeadline.Kind.choices)

    class Meta:
        model = ProgressReport
        fields = ["award", "status", "kind", "fiscal_year"]


class ReportListApi(ScopedObjectMixin, generics.ListAPIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reporting.start_report"
    serializer_class = ReportOutput
    pagination_class = StandardPagination
    filterset_class = ReportFilter

    def get_queryset(self):
        return reports_for(self.request.user)

    @extend_schema(tags=[TAG], summary="Reports you can see",
                   responses={200: ReportOutput(many=True), **FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=[TAG], summary="Start the draft report of a deadline (idempotent)",
                   request=ReportCreateInput,
                   responses={201: ReportDetailOutput, 200: ReportDetailOutput, **INVALID,
                              **REFUSED})
    def post(self, request):
        data = self.validated_input(ReportCreateInput)
        deadline = get_object_or_404(
            ReportDeadline.objects.select_related("award", "award__organisation")
            .filter(award__in=Award.objects.visible_to(request.user)),
            pk=data["deadline"],
        )
        self.check_object_permissions(request, deadline)
        existed = ProgressReport.objects.filter(deadline=deadline).exists()
        report = services.start_report(deadline=deadline, by=request.user)
        return report_response(request, report.pk,
                               status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class ReportDetailApi(ScopedObjectMixin, OptimisticLockMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reporting.edit_report"
    read_policy = None  # the scope decides who reads

    def get_report(self, pk):
        return self.get_scoped_object(
            ProgressReport.objects.select_related("award__organisation"), pk=pk)

    @extend_schema(tags=[TAG], summary="A report with its content (ETag = lock_version)",
                   responses={200: ReportDetailOutput, **FORBIDDEN, **NOT_FOUND})
    def get(self, request, pk):
        self.get_report(pk)
        return report_response(request, pk)

    @extend_schema(
        tags=[TAG], summary="Save the draft (If-Match required)", parameters=[IF_MATCH],
        request=ReportContentInput,
        responses={200: ReportDetailOutput, **INVALID, **REFUSED, **STALE, **IF_MATCH_MISSING},
    )
    def patch(self, request, pk):
        report = self.get_report(pk)
        version = self.require_if_match(request)
        data = self.validated_input(ReportContentInput, partial=True)
        services.save_report_draft(report=report, data=_plain(data), lock_version=version,
                                   by=request.user)
        return report_response(request, pk)


def _plain(data):
    """OrderedDicts and nested serializer data as plain dicts and lists."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return data


class _ReportActionApi(ScopedObjectMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]

    def get_report(self, pk):
        return self.get_scoped_object(
            ProgressReport.objects.select_related("award__organisation",
                                                  "award__funding_round__programme"), pk=pk)


def _action_schema(summary, request):
    return extend_schema(tags=[TAG], summary=summary, request=request,
                         responses={200: ReportDetailOutput, **INVALID, **REFUSED})


class ReportSubmitApi(_ReportActionApi):
    policy = "reporting.edit_report"

    @_action_schema("Submit: freezes a new version; refused with personal data", None)
    def post(self, request, pk):
        services.submit_report(report=self.get_report(pk), by=request.user)
        return report_response(request, pk)


class ReportAcceptApi(_ReportActionApi):
    policy = "reporting.review_report"

    @_action_schema("Accept a submitted report (staff)", AwardCommentInput)
    def post(self, request, pk):
        comment = self.validated_input(AwardCommentInput).get("comment", "")
        services.accept_report(report=self.get_report(pk), by=request.user, comment=comment)
        return report_response(request, pk)


class ReportRevisionApi(_ReportActionApi):
    policy = "reporting.review_report"

    @_action_schema("Send a submitted report back with comments (staff)", AwardCommentInput)
    def post(self, request, pk):
        comment = self.validated_input(AwardCommentInput).get("comment", "")
        services.request_report_revision(report=self.get_report(pk), by=request.user,
                                         comment=comment)
        return report_response(request, pk)


class ReportPersonalDataApi(_ReportActionApi):
    policy = "reporting.review_report"

    @_action_schema("Accept the personal data found now (staff, with a reason)", AwardReasonInput)
    def post(self, request, pk):
        reason = self.validated_input(AwardReasonInput).get("reason", "")
        services.accept_personal_data(report=self.get_report(pk), by=request.user, reason=reason)
        return report_response(request, pk)


class ReportVersionsApi(ScopedObjectMixin, generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ReportVersionOutput
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ReportVersion.objects.none()
        report = self.get_scoped_object(ProgressReport.objects, pk=self.kwargs["pk"])
        return report.versions.order_by("number")

    @extend_schema(tags=[TAG], summary="Every submitted version of a report",
                   responses={200: ReportVersionOutput(many=True), **FORBIDDEN, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("reports/", ReportListApi.as_view(), name="report-list"),
    path("reports/<int:pk>/", ReportDetailApi.as_view(), name="report-detail"),
    path("reports/<int:pk>/submit/", ReportSubmitApi.as_view(), name="report-submit"),
    path("reports/<int:pk>/accept/", ReportAcceptApi.as_view(), name="report-accept"),
    path("reports/<int:pk>/request-revision/", ReportRevisionApi.as_view(),
         name="report-request-revision"),
    path("reports/<int:pk>/accept-personal-data/", ReportPersonalDataApi.as_view(),
         name="report-accept-personal-data"),
    path("reports/<int:pk>/versions/", ReportVersionsApi.as_view(), name="report-versions"),
]
