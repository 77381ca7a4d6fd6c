"""API for awards: years, budgets, payments, continuation, settlement, status
and report due dates (budget change requests: api.budget_changes).

Reads follow core.policies.reporting scopes (organisations: their own;
staff and oversight: all; reviewers: none). Every write goes through
awards.services, the same calls the award pages make.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from awards import services as award_services
from awards.models import (
    Award,
    AwardYear,
    ContinuationDecision,
    Payment,
    ReportDeadline,
    ScheduledPayment,
)
from core.prefectures import Prefecture
from grants.models import ExpenseCategory
from reporting import queries

from .errors import DetailOutput, DomainErrorOutput
from .fields import CodeOrIdRelatedField, YenField
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission

TAG = "awards"
FORBIDDEN = {
    401: OpenApiResponse(DetailOutput, description="Not signed in."),
    403: OpenApiResponse(DetailOutput, description="Signed in without the right."),
}
NOT_FOUND = {404: OpenApiResponse(DetailOutput, description="Nothing you can see here.")}
CONFLICT = {409: OpenApiResponse(DomainErrorOutput, description="Refused; nothing changed.")}
REFUSED = {**FORBIDDEN, **NOT_FOUND, **CONFLICT}
INVALID = {400: OpenApiResponse(description="Invalid input; messages per field.")}


def _choice(choices, **kwargs):
    """A text field limited to `choices`, documented in its help text.
    NOTE: plain CharField, not ChoiceField, so the schema's enum names do not
    collide with other modules' `status`/`kind`/`decision` enums."""
    values = [value for value, _label in choices]
    help_text = kwargs.pop("help_text", "")
    return serializers.CharField(
        help_text=(help_text + " One of: " + ", ".join(values) + ".").strip(),
        validators=[_OneOf(values)], **kwargs,
    )


class _OneOf:
    def __init__(self, values):
        self.values = values

    def __call__(self, value):
        if value not in self.values:
            raise serializers.ValidationError(_("Choose one of: %(values)s.")
                                              % {"values": ", ".join(self.values)})


# --- Output ------------------------------------------------------------------------


class AwardBudgetLineOutput(serializers.Serializer):
    expense_category = serializers.CharField(source="expense_category.code")
    name = serializers.CharField(source="expense_category.name")
    approved_yen = serializers.IntegerField()


class AwardPaymentOutput(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="advance (概算払), settlement (精算払) or refund (返還).")
    fiscal_year = serializers.IntegerField(source="award_year.fiscal_year", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "fiscal_year", "kind", "amount_yen", "paid_on", "scheduled", "note"]
        extra_kwargs = {"scheduled": {"help_text": "Id of the scheduled payment it settles."}}


class AwardScheduledPaymentOutput(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="advance (概算払) or settlement (精算払).")

    class Meta:
        model = ScheduledPayment
        fields = ["id", "kind", "due_on", "amount_yen", "note"]


class AwardYearOutput(serializers.ModelSerializer):
    state = serializers.CharField(help_text="planned, active, reported, settled or stopped.")
    budget_lines = AwardBudgetLineOutput(many=True, read_only=True)
    scheduled_payments = AwardScheduledPaymentOutput(many=True, read_only=True)
    paid_yen = serializers.IntegerField(read_only=True, help_text="Net paid (refunds deducted).")
    balance_yen = serializers.IntegerField(
        read_only=True, help_text="Approved (or confirmed, once settled) minus paid."
    )
    to_return_yen = serializers.IntegerField(read_only=True,
                                             help_text="Over-paid advance to give back.")
    settlement_due_yen = serializers.IntegerField(read_only=True)

    class Meta:
        model = AwardYear
        fields = [
            "id", "fiscal_year", "state", "approved_yen", "confirmed_yen", "paid_yen",
            "balance_yen", "to_return_yen", "settlement_due_yen", "budget_lines",
            "scheduled_payments", "started_at", "reported_at", "settled_at", "continues_from",
        ]


class ReportDeadlineOutput(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="interim (中間報告), annual (実績報告) or final.")
    due_at = serializers.DateTimeField(read_only=True, help_text="17:00 JST of the due date.")
    report = serializers.SerializerMethodField()
    report_status = serializers.SerializerMethodField()

    class Meta:
        model = ReportDeadline
        fields = ["id", "kind", "fiscal_year", "due_on", "due_at", "report", "report_status"]

    def get_report(self, deadline) -> int | None:
        report = getattr(deadline, "report", None)
        return report.pk if report else None

    def get_report_status(self, deadline) -> str | None:
        report = getattr(deadline, "report", None)
        return report.status if report else None


class AwardContinuationOutput(serializers.ModelSerializer):
    decision = serializers.CharField(help_text="continue, continue_with_changes or stop.")

    class Meta:
        model = ContinuationDecision
        fields = ["fiscal_year", "decision", "reason", "decided_at"]


class AwardCategoryTotalOutput(serializers.Serializer):
    expense_category = serializers.CharField()
    name = serializers.CharField()
    approved_yen = serializers.IntegerField()
    by_year = serializers.DictField(child=serializers.IntegerField(),
                                    help_text="{fiscal year: approved yen}")


class AwardOrganisationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AwardConsortiumMemberOutput(serializers.Serializer):
    name = serializers.CharField()
    legal_form = serializers.CharField()
    corporate_number = serializers.CharField()
    role = serializers.CharField()


class AwardOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text="active, suspended, completed or terminated.")
    organisation = serializers.SerializerMethodField()
    programme = serializers.CharField(source="funding_round.programme.code", read_only=True)
    years = AwardYearOutput(many=True, read_only=True)
    payments = serializers.SerializerMethodField()
    budget_by_category = serializers.SerializerMethodField()
    deadlines = ReportDeadlineOutput(many=True, read_only=True)
    continuations = AwardContinuationOutput(many=True, read_only=True)
    target_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True,
        help_text="Target group codes, from the application.")
    consortium_members = AwardConsortiumMemberOutput(
        many=True, read_only=True,
        help_text="Members of the consortium (the organisation is the lead); empty otherwise.")

    class Meta:
        model = Award
        fields = [
            "id", "award_number", "title", "organisation", "programme", "funding_round",
            "theme", "tier", "application", "status", "status_reason", "start_on", "end_on",
            "conditions", "approved_yen", "prefectures", "is_nationwide", "years", "payments",
            "budget_by_category", "deadlines", "continuations", "target_groups", "consortium_members",
            "created_at",
        ]

    @extend_schema_field(AwardOrganisationOutput)
    def get_organisation(self, award) -> dict:
        return {"id": award.organisation_id, "name": award.organisation.name}

    @extend_schema_field(AwardPaymentOutput(many=True))
    def get_payments(self, award) -> list:
        return AwardPaymentOutput(
            [p for year in award.years.all() for p in year.payments.all()], many=True
        ).data

    @extend_schema_field(AwardCategoryTotalOutput(many=True))
    def get_budget_by_category(self, award) -> list:
        return AwardCategoryTotalOutput(queries.budget_by_category(award), many=True).data


# --- Input ---------------------------------------------------------------------------


class AwardReasonInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AwardCommentInput(RejectUnknownFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AwardStatusInput(AwardReasonInput):
    to = _choice(Award.Status.choices, help_text="The new status.")


class AwardContinuationInput(AwardReasonInput):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    decision = _choice(ContinuationDecision.Decision.choices)


class AwardYearBudgetInput(AwardReasonInput):
    amounts = serializers.DictField(
        child=YenField(min_value=0),
        help_text="{expense category code: approved yen}",
    )


class AwardSchedulePaymentInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kind = _choice(ScheduledPayment.Kind.choices)
    due_on = serializers.DateField()
    amount_yen = YenField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AwardRecordPaymentInput(RejectUnknownFieldsMixin, serializers.Serializer):
    kind = _choice(Payment.Kind.choices)
    paid_on = serializers.DateField()
    amount_yen = YenField()
    scheduled = serializers.PrimaryKeyRelatedField(
        queryset=ScheduledPayment.objects.all(), required=False, allow_null=True,
        help_text="Id of the scheduled payment it settles (of the same year and kind); "
                  "left out, the earliest open one of the same kind and amount.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AwardYearSettleInput(AwardReasonInput):
    confirmed_yen = YenField(min_value=0, help_text="額の確定; at most the approved amount.")


class ReportDueDateInput(AwardReasonInput):
    due_on = serializers.DateField()


# --- Awards --------------------------------------------------------------------------


class AwardFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="funding_round__programme__code")
    funding_round = django_filters.NumberFilter(field_name="funding_round")
    status = django_filters.ChoiceFilter(choices=Award.Status.choices)
    fiscal_year = django_filters.NumberFilter(method="filter_fiscal_year")
    overdue = django_filters.BooleanFilter(method="filter_overdue",
                                           label="Has overdue reports")
    prefecture = django_filters.ChoiceFilter(choices=Prefecture.choices,
                                             method="filter_prefecture")

    class Meta:
        model = Award
        fields = ["programme", "funding_round", "status", "fiscal_year", "overdue", "prefecture"]

    def filter_fiscal_year(self, queryset, name, value):
        return queryset.in_fiscal_year(value)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_count__gt=0) if value else queryset.filter(overdue_count=0)

    def filter_prefecture(self, queryset, name, value):
        return queryset.filter(pk__in=queries.awards_for_list(
            self.request.user, prefecture=value).values("pk"))


def awards_for(user):
    return queries.awards_for_list(user, with_history=True)


class AwardListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AwardOutput
    pagination_class = StandardPagination
    filterset_class = AwardFilter

    def get_queryset(self):
        return awards_for(self.request.user)

    @extend_schema(tags=[TAG], summary="Awards you can see, with years, payments and budget "
                   "by category", responses={200: AwardOutput(many=True), **FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AwardDetailApi(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AwardOutput

    def get_queryset(self):
        return awards_for(self.request.user)

    @extend_schema(tags=[TAG], summary="An award with its whole multi-year history",
                   responses={200: AwardOutput, **FORBIDDEN, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def award_response(request, pk, status_code=status.HTTP_200_OK):
    award = get_object_or_404(awards_for(request.user), pk=pk)
    return Response(AwardOutput(award, context={"request": request}).data, status=status_code)


class _AwardWriteApi(ScopedObjectMixin, APIView):
    """Staff of the award's programme; others in scope get 403."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "awards.manage_award"

    def get_award(self, pk) -> Award:
        return self.get_scoped_object(Award.objects.select_related("funding_round__programme"),
                                      pk=pk)

    def get_year(self, pk) -> AwardYear:
        year = get_object_or_404(
            AwardYear.objects.select_related("award", "award__funding_round__programme")
            .filter(award__in=Award.objects.visible_to(self.request.user)),
            pk=pk,
        )
        self.check_object_permissions(self.request, year.award)
        return year


def _write_schema(summary, request):
    return extend_schema(tags=[TAG], summary=summary, request=request,
                         responses={200: AwardOutput, **INVALID, **REFUSED})


class AwardStatusApi(_AwardWriteApi):
    @_write_schema("Suspend, resume, terminate or complete an award", AwardStatusInput)
    def post(self, request, pk):
        award = self.get_award(pk)
        data = self.validated_input(AwardStatusInput)
        award_services.change_award_status(award=award, to=data["to"],
                                           reason=data.get("reason", ""), by=request.user)
        return award_response(request, pk)


class AddYearLineInput(serializers.Serializer):
    expense_category = CodeOrIdRelatedField(queryset=ExpenseCategory.objects.all())
    approved_yen = YenField()


class AddYearInput(RejectUnknownFieldsMixin, serializers.Serializer):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100,
                                           help_text="The year after the award's last year.")
    budget = AddYearLineInput(many=True, allow_empty=False)
    reason = serializers.CharField(max_length=2000, allow_blank=True,
                                   help_text="Why the award continues (required).")


class AwardYearsApi(_AwardWriteApi):
    @extend_schema(tags=[TAG], summary="Continue an award into a year added after the award",
                   request=AddYearInput, responses={201: AwardOutput, **INVALID, **REFUSED})
    def post(self, request, pk):
        award = self.get_award(pk)
        data = self.validated_input(AddYearInput)
        budget: dict = {}
        for line in data["budget"]:
            key = line["expense_category"].pk
            budget[key] = budget.get(key, 0) + line["approved_yen"]
        award_services.add_award_year(award=award, fiscal_year=data["fiscal_year"],
                                      budget=budget, reason=data["reason"], by=request.user)
        return award_response(request, pk, status.HTTP_201_CREATED)


class ContinuationApi(_AwardWriteApi):
    @_write_schema("Record continue / continue with changes / stop for a later year",
                   AwardContinuationInput)
    def post(self, request, pk):
        award = self.get_award(pk)
        data = self.validated_input(AwardContinuationInput)
        award_services.record_continuation(
            award=award, fiscal_year=data["fiscal_year"], decision=data["decision"],
            reason=data.get("reason", ""), by=request.user,
        )
        return award_response(request, pk)


class YearStartApi(_AwardWriteApi):
    @_write_schema("Start a later fiscal year (needs a decision to continue)", None)
    def post(self, request, pk):
        year = self.get_year(pk)
        award_services.start_award_year(award_year=year, by=request.user)
        return award_response(request, year.award_id)


class YearBudgetApi(_AwardWriteApi):
    @_write_schema("Set a year's approved budget before it starts", AwardYearBudgetInput)
    def put(self, request, pk):
        year = self.get_year(pk)
        data = self.validated_input(AwardYearBudgetInput)
        award_services.set_year_budget(award_year=year, amounts=dict(data["amounts"]),
                                       reason=data.get("reason", ""), by=request.user)
        return award_response(request, year.award_id)


class ScheduledPaymentsApi(_AwardWriteApi):
    @_write_schema("Schedule an advance (概算払) or settlement (精算払)", AwardSchedulePaymentInput)
    def post(self, request, pk):
        year = self.get_year(pk)
        data = self.validated_input(AwardSchedulePaymentInput)
        award_services.schedule_payment(award_year=year, by=request.user, **data)
        return award_response(request, year.award_id, status.HTTP_201_CREATED)


class PaymentsApi(_AwardWriteApi):
    @_write_schema("Record a payment or a refund", AwardRecordPaymentInput)
    def post(self, request, pk):
        year = self.get_year(pk)
        data = self.validated_input(AwardRecordPaymentInput)
        award_services.record_payment(award_year=year, by=request.user, **data)
        return award_response(request, year.award_id, status.HTTP_201_CREATED)


class SettleApi(_AwardWriteApi):
    @_write_schema("Confirm the amount of a reported year (額の確定)", AwardYearSettleInput)
    def post(self, request, pk):
        year = self.get_year(pk)
        data = self.validated_input(AwardYearSettleInput)
        award_services.settle_award_year(award_year=year, confirmed_yen=data["confirmed_yen"],
                                         reason=data.get("reason", ""), by=request.user)
        return award_response(request, year.award_id)


class DeadlineApi(_AwardWriteApi):
    @_write_schema("Move a report's due date", ReportDueDateInput)
    def patch(self, request, pk):
        deadline = get_object_or_404(
            ReportDeadline.objects.select_related("award", "award__funding_round__programme")
            .filter(award__in=Award.objects.visible_to(request.user)),
            pk=pk,
        )
        self.check_object_permissions(request, deadline.award)
        data = self.validated_input(ReportDueDateInput)
        award_services.set_report_due_date(deadline=deadline, due_on=data["due_on"],
                                           reason=data.get("reason", ""), by=request.user)
        return award_response(request, deadline.award_id)


urlpatterns = [
    path("awards/", AwardListApi.as_view(), name="award-list"),
    path("awards/<int:pk>/", AwardDetailApi.as_view(), name="award-detail"),
    path("awards/<int:pk>/status/", AwardStatusApi.as_view(), name="award-status"),
    path("awards/<int:pk>/continuation/", ContinuationApi.as_view(), name="award-continuation"),
    path("awards/<int:pk>/years/", AwardYearsApi.as_view(), name="award-years"),
    path("award-years/<int:pk>/start/", YearStartApi.as_view(), name="award-year-start"),
    path("award-years/<int:pk>/budget/", YearBudgetApi.as_view(), name="award-year-budget"),
    path("award-years/<int:pk>/scheduled-payments/", ScheduledPaymentsApi.as_view(),
         name="award-year-scheduled-payments"),
    path("award-years/<int:pk>/payments/", PaymentsApi.as_view(), name="award-year-payments"),
    path("award-years/<int:pk>/settle/", SettleApi.as_view(), name="award-year-settle"),
    path("report-deadlines/<int:pk>/", DeadlineApi.as_view(), name="report-deadline"),
]
