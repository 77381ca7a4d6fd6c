"""API for budget change requests (変更承認申請): organisations ask to move
money between expense categories of an award year; staff approve or reject
through awards.services, the same calls the award pages make. Reads
follow core.policies (organisations: their own; staff and oversight: all)."""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from awards import services as award_services
from awards.models import Award, AwardYear, BudgetChangeRequest
from core.policies import change_requests_visible_to
from grants.models import ExpenseCategory

from .awards import FORBIDDEN, INVALID, REFUSED, TAG, AwardCommentInput
from .fields import YenField
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission


class BudgetChangeRequestOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text="pending, approved, rejected or withdrawn.")
    award = serializers.IntegerField(source="award_year.award_id", read_only=True)
    fiscal_year = serializers.IntegerField(source="award_year.fiscal_year", read_only=True)
    from_category = serializers.CharField(source="from_category.code", read_only=True)
    to_category = serializers.CharField(source="to_category.code", read_only=True)

    class Meta:
        model = BudgetChangeRequest
        fields = [
            "id", "award", "award_year", "fiscal_year", "from_category", "to_category",
            "amount_yen", "reason", "status", "is_auto_approved", "threshold_yen",
            "decision_comment", "decided_at", "created_at",
        ]


class BudgetChangeRequestInput(RejectUnknownFieldsMixin, serializers.Serializer):
    award_year = serializers.IntegerField(help_text="Id of the award year.")
    from_category = serializers.SlugRelatedField(slug_field="code",
                                                 queryset=ExpenseCategory.objects.all())
    to_category = serializers.SlugRelatedField(slug_field="code",
                                               queryset=ExpenseCategory.objects.all())
    amount_yen = YenField()
    reason = serializers.CharField(max_length=2000)




def change_requests_for(user):
    return (
        BudgetChangeRequest.objects.filter(change_requests_visible_to(user))
        .select_related("award_year", "from_category", "to_category")
        .order_by("-created_at", "-id")
    )


class ChangeRequestFilter(django_filters.FilterSet):
    award = django_filters.NumberFilter(field_name="award_year__award")
    status = django_filters.ChoiceFilter(choices=BudgetChangeRequest.Status.choices)

    class Meta:
        model = BudgetChangeRequest
        fields = ["award", "status"]


class ChangeRequestListApi(ScopedObjectMixin, generics.ListAPIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "awards.request_budget_change"
    serializer_class = BudgetChangeRequestOutput
    pagination_class = StandardPagination
    filterset_class = ChangeRequestFilter

    def get_queryset(self):
        return change_requests_for(self.request.user)

    @extend_schema(tags=[TAG], summary="Budget change requests you can see",
                   responses={200: BudgetChangeRequestOutput(many=True), **FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], summary="Ask to move money between expense categories of a year "
        "(approved at once within the round's threshold)",
        request=BudgetChangeRequestInput, responses={201: BudgetChangeRequestOutput, **INVALID, **REFUSED},
    )
    def post(self, request):
        data = self.validated_input(BudgetChangeRequestInput)
        year = get_object_or_404(
            AwardYear.objects.select_related("award", "award__organisation")
            .filter(award__in=Award.objects.visible_to(request.user)),
            pk=data["award_year"],
        )
        self.check_object_permissions(request, year.award)
        change = award_services.request_budget_change(
            award_year=year, from_category=data["from_category"],
            to_category=data["to_category"], amount_yen=data["amount_yen"],
            reason=data["reason"], by=request.user,
        )
        change = change_requests_for(request.user).get(pk=change.pk)
        return Response(BudgetChangeRequestOutput(change).data, status=status.HTTP_201_CREATED)


class _ChangeDecisionApi(ScopedObjectMixin, APIView):
    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "awards.decide_budget_change"
    service = None

    def decide(self, request, pk, **kwargs):
        change = get_object_or_404(
            change_requests_for(request.user).select_related(
                "award_year__award__funding_round__programme", "award_year__award__organisation"),
            pk=pk,
        )
        self.check_object_permissions(request, change)
        self.service(change_request=change, by=request.user, **kwargs)
        return Response(BudgetChangeRequestOutput(change_requests_for(request.user).get(pk=pk)).data)


def _decision_schema(summary, request):
    return extend_schema(tags=[TAG], summary=summary, request=request,
                         responses={200: BudgetChangeRequestOutput, **INVALID, **REFUSED})


class ChangeRequestApproveApi(_ChangeDecisionApi):
    service = staticmethod(award_services.approve_budget_change)

    @_decision_schema("Approve a change above the threshold (staff)", AwardCommentInput)
    def post(self, request, pk):
        return self.decide(request, pk,
                           comment=self.validated_input(AwardCommentInput).get("comment", ""))


class ChangeRequestRejectApi(_ChangeDecisionApi):
    service = staticmethod(award_services.reject_budget_change)

    @_decision_schema("Reject a change (staff; comment required)", AwardCommentInput)
    def post(self, request, pk):
        return self.decide(request, pk,
                           comment=self.validated_input(AwardCommentInput).get("comment", ""))


class ChangeRequestWithdrawApi(_ChangeDecisionApi):
    policy = "awards.withdraw_budget_change"
    service = staticmethod(award_services.withdraw_budget_change)

    @_decision_schema("Withdraw a pending request (the organisation)", None)
    def post(self, request, pk):
        return self.decide(request, pk)


urlpatterns = [
    path("change-requests/", ChangeRequestListApi.as_view(), name="change-request-list"),
    path("change-requests/<int:pk>/approve/", ChangeRequestApproveApi.as_view(),
         name="change-request-approve"),
    path("change-requests/<int:pk>/reject/", ChangeRequestRejectApi.as_view(),
         name="change-request-reject"),
    path("change-requests/<int:pk>/withdraw/", ChangeRequestWithdrawApi.as_view(),
         name="change-request-withdraw"),
]
