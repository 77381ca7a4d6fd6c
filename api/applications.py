"""API for applications: drafts, updates with optimistic locking, submission
and withdrawal. Writes go through applications.services, like the pages.

Optimistic locking: the detail answer carries `ETag: "<lock_version>"`.
PATCH and PUT must send it back in `If-Match`; a different version is
refused with 412 (nothing saved), and a missing `If-Match` with 428
(Precondition Required), so no client can overwrite a draft it has not read.

Status codes: 400 with per-field messages for input of the wrong shape;
409 `{code, detail, field}` for refused actions (submission refused by the
round's rules adds `problems: [{field, code, message}]`); 404 for
applications outside the caller's scope (other organisations'); 403 inside
it without the right (oversight and staff never edit drafts).
"""

from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from applications import services
from applications.content import empty_content
from applications.filters import ApplicationFilter
from applications.models import Application, ApplicationVersion
from applications.queries import applications_listed_for
from applications.rules import application_problems
from core.errors import StaleVersion
from core.policies import member_organisation_ids, scope_key
from core.prefectures import Prefecture
from core.vocab import LegalForm
from grants.models import ExpenseCategory, FundingRound, ScaleTier, TargetGroup, Theme

from . import application_rows
from .errors import DomainErrorOutput
from .fields import CodeOrIdRelatedField, YenField
from .mixins import (
    OptimisticLockMixin,
    RejectUnknownFieldsMixin,
    ScopedObjectMixin,
    etag_for,
)
from .pagination import StandardPagination
from .permissions import PolicyPermission

# --- Input ----------------------------------------------------------------------


class _RowInput(serializers.Serializer):
    """A nested row: unknown keys are refused like at the top level."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class ApplicationBudgetLineInput(_RowInput):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    expense_category = CodeOrIdRelatedField(queryset=ExpenseCategory.objects.all())
    amount_yen = YenField()
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ApplicationIndicatorInput(_RowInput):
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=30)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    target = serializers.IntegerField(min_value=0, max_value=2_000_000_000)


class ApplicationConsortiumMemberInput(_RowInput):
    name = serializers.CharField(max_length=200)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    corporate_number = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                             default="")
    role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ApplicationInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """The editable content; every field may be blank in a draft."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    background = serializers.CharField(required=False, allow_blank=True)
    theme = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), required=False,
                                               allow_null=True)
    tier = serializers.PrimaryKeyRelatedField(queryset=ScaleTier.objects.all(), required=False,
                                              allow_null=True)
    target_groups = CodeOrIdRelatedField(
        queryset=TargetGroup.objects.filter(is_active=True), many=True, required=False
    )
    target_groups_other = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_nationwide = serializers.BooleanField(required=False)
    prefectures = serializers.ListField(
        child=serializers.ChoiceField(choices=Prefecture.choices), required=False, max_length=47
    )
    municipalities = serializers.CharField(max_length=500, required=False, allow_blank=True)
    planned_activities = serializers.CharField(required=False, allow_blank=True)
    sustainability = serializers.CharField(required=False, allow_blank=True)
    is_consortium = serializers.BooleanField(required=False)
    budget_lines = ApplicationBudgetLineInput(many=True, required=False, max_length=200)
    indicators = ApplicationIndicatorInput(many=True, required=False, max_length=200)
    consortium_members = ApplicationConsortiumMemberInput(many=True, required=False, max_length=100)


class ApplicationCreateInput(ApplicationInput):
    funding_round = serializers.PrimaryKeyRelatedField(queryset=FundingRound.objects.none())
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("One of the organisations you are a member of."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # schema generation
            return
        user = request.user
        self.fields["funding_round"].queryset = FundingRound.objects.visible_to(user)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=member_organisation_ids(user)
        )


def to_content(data: dict) -> dict:
    """Validated input → applications.content keys (only those given)."""
    content = {}
    for field in ("title", "summary", "background", "target_groups_other", "is_nationwide",
                  "municipalities", "planned_activities", "sustainability", "is_consortium",
                  "prefectures", "indicators", "consortium_members"):
        if field in data:
            content[field] = data[field]
    for field in ("theme", "tier"):
        if field in data:
            content[f"{field}_id"] = data[field].pk if data[field] else None
    if "target_groups" in data:
        content["target_group_ids"] = [group.pk for group in data["target_groups"]]
    if "budget_lines" in data:
        content["budget_lines"] = [
            {"fiscal_year": line["fiscal_year"], "expense_category_id": line["expense_category"].pk,
             "amount_yen": line["amount_yen"], "description": line.get("description", "")}
            for line in data["budget_lines"]
        ]
    return content


# --- Output ---------------------------------------------------------------------


class ApplicationBudgetLineOutput(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    expense_category = serializers.IntegerField(source="expense_category_id")
    expense_category_code = serializers.CharField(source="expense_category.code")
    amount_yen = serializers.IntegerField()
    description = serializers.CharField()


class ApplicationIndicatorOutput(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    target = serializers.IntegerField()


class ApplicationConsortiumMemberOutput(serializers.Serializer):
    name = serializers.CharField()
    legal_form = serializers.CharField()
    corporate_number = serializers.CharField()
    role = serializers.CharField()


class ApplicationVersionOutput(serializers.Serializer):
    number = serializers.IntegerField()
    receipt_number = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ApplicationAttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()


class ApplicationProblemOutput(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ApplicationSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    funding_round = serializers.IntegerField(source="funding_round_id")
    programme = serializers.CharField(source="funding_round.programme.code")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    theme = serializers.IntegerField(source="theme_id", allow_null=True)
    tier = serializers.IntegerField(source="tier_id", allow_null=True)
    title = serializers.CharField()
    requested_yen = serializers.IntegerField()
    receipt_number = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    lock_version = serializers.IntegerField()


class ApplicationOutput(ApplicationSummaryOutput):
    summary = serializers.CharField()
    background = serializers.CharField()
    target_groups = serializers.SerializerMethodField(
        help_text="Ids of the target groups (kept for compatibility; see target_group_codes).")
    target_group_codes = serializers.SerializerMethodField()
    target_groups_other = serializers.CharField()
    is_nationwide = serializers.BooleanField()
    prefectures = serializers.ListField(child=serializers.CharField())
    municipalities = serializers.CharField()
    planned_activities = serializers.CharField()
    sustainability = serializers.CharField()
    is_consortium = serializers.BooleanField()
    screening_note = serializers.CharField()
    budget_lines = ApplicationBudgetLineOutput(many=True)
    indicators = ApplicationIndicatorOutput(many=True)
    consortium_members = ApplicationConsortiumMemberOutput(many=True)
    versions = ApplicationVersionOutput(many=True)
    attachments = ApplicationAttachmentOutput(many=True)
    problems = serializers.SerializerMethodField(
        help_text="The round's rules not met yet (drafts only); submission is refused while any remain."
    )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_target_groups(self, application) -> list[int]:
        return [group.pk for group in application.target_groups.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_target_group_codes(self, application) -> list[str]:
        return [group.code for group in application.target_groups.all()]

    @extend_schema_field(ApplicationProblemOutput(many=True))
    def get_problems(self, application) -> list[dict]:
        if not application.is_editable:
            return []
        return [p.as_dict() for p in application_problems(application)]


class ApplicationSubmissionOutput(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    number = serializers.IntegerField()
    receipt_number = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ApplicationRulesFailedOutput(DomainErrorOutput):
    problems = ApplicationProblemOutput(many=True)


class ApplicationWithdrawInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- Views ----------------------------------------------------------------------


def _detail_queryset():
    return Application.objects.select_related(
        "funding_round__programme", "organisation"
    ).prefetch_related(
        "target_groups", "indicators", "consortium_members", "attachments",
        Prefetch("budget_lines", queryset=_lines()),
        Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number")),
    )


def _lines():
    from applications.models import BudgetLine

    return BudgetLine.objects.select_related("expense_category")


def _detail_response(application, status_code=status.HTTP_200_OK) -> Response:
    application = _detail_queryset().get(pk=application.pk)
    response = Response(ApplicationOutput(application).data, status=status_code)
    response["ETag"] = etag_for(application)
    return response


class ApplicationListApi(generics.ListAPIView):
    """Applications in the caller's scope: applicants see their
    organisations' drafts and submissions; staff and oversight see every
    submitted application (drafts stay private). Filters are the staff
    list's (applications.filters.ApplicationFilter)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationSummaryOutput
    filterset_class = ApplicationFilter
    pagination_class = StandardPagination

    def get_queryset(self):
        return applications_listed_for(self.request.user)

    def list(self, request, *args, **kwargs):
        # NOTE: rows straight from values(), the same JSON as the serializer
        # (api.application_rows; issue 12).
        if set(request.query_params) - {"page", "page_size"}:
            rows = application_rows.Rows(self.filter_queryset(self.get_queryset()))
        else:
            rows = application_rows.Rows(self.get_queryset, scope_key(request.user))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(application_rows.summary_rows(page))

    @extend_schema(
        request=ApplicationCreateInput,
        responses={201: ApplicationOutput, 400: OpenApiTypes.OBJECT, 409: DomainErrorOutput},
        description="Start a draft for one of your organisations in a round that accepts "
                    "applications; content may be sent at once.",
    )
    def post(self, request):
        serializer = ApplicationCreateInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = services.create_application(
            funding_round=data["funding_round"], organisation=data["organisation"], by=request.user
        )
        content = to_content(data)
        if content:
            application = services.save_draft(
                application=application, by=request.user,
                lock_version=application.lock_version, content=content,
            )
        return _detail_response(application, status.HTTP_201_CREATED)


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='The ETag of the draft you read, e.g. "3". Missing: 428; stale: 412.',
)


class ApplicationDetailApi(ScopedObjectMixin, OptimisticLockMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "applications.edit_application"
    read_policy = "applications.view_application"
    if_match_required_body = {
        "code": "if_match_required",
        "detail": gettext_lazy('Send the ETag you read in an If-Match header, e.g. If-Match: "3".'),
    }
    unreadable_if_match_is_missing = False  # an unreadable If-Match is stale: 412

    @extend_schema(responses={200: ApplicationOutput})
    def get(self, request, pk):
        application = self.get_scoped_object(Application.objects, pk=pk)
        return _detail_response(application)

    def _update(self, request, pk, *, partial: bool):
        application = self.get_scoped_object(Application.objects, pk=pk)
        expected = self.require_if_match(request)
        serializer = ApplicationInput(
            data=request.data, partial=partial,
            context={"request": request, "funding_round": application.funding_round},
        )
        serializer.is_valid(raise_exception=True)
        if expected != application.lock_version:
            raise StaleVersion(_("This draft was changed since you read it (version %(version)s "
                                 "now); read it again and reapply your change.")
                               % {"version": application.lock_version})
        content = to_content(serializer.validated_data)
        if not partial:
            content = {**empty_content(), **content}
        application = services.save_draft(
            application=application, by=request.user, lock_version=expected, content=content
        )
        return _detail_response(application)

    @extend_schema(request=ApplicationInput, parameters=[IF_MATCH],
                   responses={200: ApplicationOutput, 409: DomainErrorOutput,
                              412: DomainErrorOutput, 428: DomainErrorOutput})
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    @extend_schema(request=ApplicationInput, parameters=[IF_MATCH],
                   responses={200: ApplicationOutput, 409: DomainErrorOutput,
                              412: DomainErrorOutput, 428: DomainErrorOutput})
    def put(self, request, pk):
        """Replace the whole content; fields left out become blank."""
        return self._update(request, pk, partial=False)


class ApplicationSubmitApi(ScopedObjectMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "applications.submit_application"

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter(
            "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
            description="Retries with the same key return the same submission.",
        )],
        responses={200: ApplicationSubmissionOutput, 409: ApplicationRulesFailedOutput},
        description="Submit (or resubmit after a return for correction). Idempotent: "
                    "submitting an application that is already submitted returns its "
                    "current version and creates nothing.",
    )
    def post(self, request, pk):
        application = self.get_scoped_object(Application.objects, pk=pk)
        key = (request.headers.get("Idempotency-Key") or "")[:64] or None
        try:
            version = services.submit_application(
                application=application, by=request.user, idempotency_key=key
            )
        except services.RulesFailed as error:
            return Response(
                {"code": error.code, "detail": str(error.message),
                 "problems": [p.as_dict() for p in error.problems]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ApplicationSubmissionOutput(version).data)


class ApplicationWithdrawApi(ScopedObjectMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "applications.withdraw_application"

    @extend_schema(request=ApplicationWithdrawInput,
                   responses={200: ApplicationOutput, 409: DomainErrorOutput})
    def post(self, request, pk):
        application = self.get_scoped_object(Application.objects, pk=pk)
        data = self.validated_input(ApplicationWithdrawInput)
        application = services.withdraw_application(
            application=application, by=request.user, reason=data["reason"]
        )
        return _detail_response(application)


urlpatterns = [
    path("applications/", ApplicationListApi.as_view(), name="application_list"),
    path("applications/<int:pk>/", ApplicationDetailApi.as_view(), name="application_detail"),
    path("applications/<int:pk>/submit/", ApplicationSubmitApi.as_view(),
         name="application_submit"),
    path("applications/<int:pk>/withdraw/", ApplicationWithdrawApi.as_view(),
         name="application_withdraw"),
]
