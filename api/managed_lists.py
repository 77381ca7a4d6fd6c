"""API for the managed lists: expense categories (対象経費), target groups
and feature tags, each named by a stable code that applications, reports,
findings and filters read and write. Reading is public (they are the
published vocabulary of the calls); `?include_inactive=true` adds items
switched off by staff."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from grants.models import ExpenseCategory, TargetGroup
from reporting.models import FeatureTag

from .pagination import StandardPagination

TAG = "managed lists"
INCLUDE_INACTIVE = OpenApiParameter(
    "include_inactive", OpenApiTypes.BOOL,
    description="Also list items switched off by staff (default: active items only).")


class ManagedListItemOutput(serializers.Serializer):
    code = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField()
    sort_order = serializers.IntegerField()
    is_active = serializers.BooleanField()


class _ManagedListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ManagedListItemOutput
    pagination_class = StandardPagination
    model = None

    def get_queryset(self):
        items = self.model.objects.order_by("sort_order", "code")
        if self.request.query_params.get("include_inactive", "").lower() not in ("1", "true"):
            items = items.filter(is_active=True)
        return items


@extend_schema(tags=[TAG], summary="Expense categories (対象経費)", parameters=[INCLUDE_INACTIVE])
class ExpenseCategoryListApi(_ManagedListApi):
    model = ExpenseCategory


@extend_schema(tags=[TAG], summary="Target groups", parameters=[INCLUDE_INACTIVE])
class TargetGroupListApi(_ManagedListApi):
    model = TargetGroup


@extend_schema(tags=[TAG], summary="Feature tags of activities", parameters=[INCLUDE_INACTIVE])
class FeatureTagListApi(_ManagedListApi):
    model = FeatureTag


urlpatterns = [
    path("expense-categories/", ExpenseCategoryListApi.as_view(), name="expense-category-list"),
    path("target-groups/", TargetGroupListApi.as_view(), name="target-group-list"),
    path("feature-tags/", FeatureTagListApi.as_view(), name="feature-tag-list"),
]
