"""API for model-building findings: read for programme staff and the
oversight viewer, write for staff of the finding's programme.

Scope first: applicants and reviewers get 404 (the findings library does not
exist for them); inside scope without the right, 403. Writes go through
reporting.findings.services, the same calls the pages make.
"""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from awards.models import Award
from core.policies import can_view_oversight, is_staff_user
from core.prefectures import Prefecture
from grants.models import Programme, TargetGroup, Theme
from reporting.findings import services
from reporting.findings.filters import FindingFilter
from reporting.findings.models import Finding, FindingEvidence
from reporting.models import FeatureTag

from .errors import DetailOutput, DomainErrorOutput
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission

TAG = "findings"

FORBIDDEN = {
    401: OpenApiResponse(DetailOutput, description="Not signed in."),
    403: OpenApiResponse(DetailOutput, description="Signed in without the right."),
}
NOT_FOUND = {404: OpenApiResponse(DetailOutput, description="No such finding you can see.")}
CONFLICT = {409: OpenApiResponse(DomainErrorOutput, description="Refused; nothing changed.")}
STALE = {412: OpenApiResponse(DomainErrorOutput, description="Changed since you read it.")}
INVALID = {400: OpenApiResponse(description="Invalid input; messages per field.")}


# --- Output ----------------------------------------------------------------------------


class EvidenceOutput(serializers.ModelSerializer):
    award_number = serializers.CharField(source="report.award.award_number", read_only=True)
    report_kind = serializers.CharField(source="report.kind", read_only=True)
    report_fiscal_year = serializers.IntegerField(source="report.fiscal_year", read_only=True)
    indicator = serializers.SerializerMethodField()

    class Meta:
        model = FindingEvidence
        fields = ["id", "report", "award_number", "report_kind", "report_fiscal_year", "field",
                  "quote", "indicator_actual", "indicator"]

    def get_indicator(self, row) -> dict | None:
        i = row.indicator_actual
        if i is None:
            return None
        return {"name": i.name, "unit": i.unit, "target": i.target, "actual": i.actual}


class FindingOutput(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    theme = serializers.PrimaryKeyRelatedField(read_only=True)
    award = serializers.PrimaryKeyRelatedField(read_only=True)
    award_number = serializers.CharField(source="award.award_number", read_only=True,
                                         allow_null=True, default=None)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    feature_tags = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    prefectures = serializers.ListField(child=serializers.CharField(), read_only=True)
    evidence = EvidenceOutput(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "kind", "statement", "programme", "theme", "award", "award_number",
            "fiscal_year", "target_groups", "feature_tags", "prefectures", "evidence",
            "lock_version", "created_at", "updated_at",
        ]


# --- Input -----------------------------------------------------------------------------


class EvidenceInput(serializers.Serializer):
    """A quoted passage (report, field, quote) or an indicator result."""

    report = serializers.IntegerField(required=False)
    field = serializers.ChoiceField(choices=FindingEvidence.Field.choices, required=False)
    quote = serializers.CharField(required=False, max_length=2000)
    indicator_actual = serializers.IntegerField(required=False)

    def validate(self, attrs):
        if attrs.get("indicator_actual") is not None:
            return {"indicator_actual": attrs["indicator_actual"]}
        missing = [name for name in ("report", "field", "quote") if not attrs.get(name)]
        if missing:
            raise serializers.ValidationError(
                {name: [_("Required for a quoted passage.")] for name in missing})
        return attrs


class FindingInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Finding.Kind.choices)
    statement = serializers.CharField(max_length=5000)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    theme = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.select_related(
        "funding_round"), allow_null=True, required=False)
    award = serializers.PrimaryKeyRelatedField(queryset=Award.objects.select_related(
        "funding_round"), allow_null=True, required=False)
    target_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=TargetGroup.objects.all(), required=False)
    feature_tags = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=FeatureTag.objects.all(), required=False)
    prefectures = serializers.ListField(
        child=serializers.ChoiceField(choices=Prefecture.choices), required=False)
    evidence = EvidenceInput(many=True, required=False)


class FindingCreateInput(FindingInput):
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all())


class FindingUpdateInput(FindingInput):
    lock_version = serializers.IntegerField(
        required=False, help_text="The lock_version you read; refused with 412 if stale.")


# --- Views -------------------------------------------------------------------------------


def findings_for(user):
    return Finding.objects.visible_to(user).select_related("programme", "award").prefetch_related(
        "target_groups", "feature_tags",
        "evidence__report__award", "evidence__indicator_actual",
    )


def _require_scope(user) -> None:
    if not can_view_oversight(user):
        raise Http404


class FindingListApi(ScopedObjectMixin, generics.ListAPIView):
    """Findings of every programme, filtered like the findings page."""

    permission_classes = [IsAuthenticated]
    serializer_class = FindingOutput
    pagination_class = StandardPagination
    filterset_class = FindingFilter

    def get_queryset(self):
        return findings_for(self.request.user).order_by("-fiscal_year", "kind", "-pk")

    @extend_schema(tags=[TAG], summary="List findings", responses={
        200: FindingOutput(many=True), **FORBIDDEN, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        _require_scope(request.user)
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=[TAG], summary="Record a finding in a programme you staff",
                   request=FindingCreateInput,
                   responses={201: FindingOutput, **INVALID, **FORBIDDEN, **NOT_FOUND, **CONFLICT})
    def post(self, request):
        _require_scope(request.user)
        if not is_staff_user(request.user):
            raise PermissionDenied
        values = dict(self.validated_input(FindingCreateInput))
        programme = values.pop("programme")
        if not request.user.has_perm("reporting.add_finding", programme):
            raise PermissionDenied
        evidence = values.pop("evidence", None)
        finding = services.create_finding(programme=programme, data=values, evidence=evidence,
                                          by=request.user)
        return Response(FindingOutput(findings_for(request.user).get(pk=finding.pk)).data,
                        status=status.HTTP_201_CREATED)


class FindingDetailApi(ScopedObjectMixin, generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "reporting.change_finding"
    read_policy = None
    serializer_class = FindingOutput

    def get_queryset(self):
        return findings_for(self.request.user)

    @extend_schema(tags=[TAG], summary="A finding", responses={
        200: FindingOutput, **FORBIDDEN, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=[TAG], summary="Change a finding (evidence, when sent, replaces all)",
                   request=FindingUpdateInput,
                   responses={200: FindingOutput, **INVALID, **FORBIDDEN, **NOT_FOUND,
                              **CONFLICT, **STALE})
    def patch(self, request, pk):
        finding = self.get_object()
        values = dict(self.validated_input(FindingUpdateInput, partial=True))
        lock_version = values.pop("lock_version", None)
        evidence = values.pop("evidence", None)
        services.update_finding(finding=finding, data=values, evidence=evidence,
                                lock_version=lock_version, by=request.user)
        return Response(FindingOutput(findings_for(request.user).get(pk=pk)).data)

    @extend_schema(tags=[TAG], summary="Delete a finding (its history stays)",
                   responses={204: None, **FORBIDDEN, **NOT_FOUND, **CONFLICT})
    def delete(self, request, pk):
        finding = self.get_object()
        services.delete_finding(finding=finding, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("findings/", FindingListApi.as_view(), name="finding-list"),
    path("findings/<int:pk>/", FindingDetailApi.as_view(), name="finding-detail"),
]
