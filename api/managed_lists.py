"""API for the managed lists: expense categories (対象経費), target groups
and feature tags, each named by a stable code that applications, reports,
findings and filters read and write. Reading is public (they are the
published vocabulary of the calls); `?include_inactive=true` adds items
switched off by staff. Programme staff add items (POST) and rename,
reorder or switch them off (PATCH `<code>/`) through the same service as
the staff pages; the code never changes. Others get 403."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.policies import can_manage_managed_lists
from grants.models import ExpenseCategory, TargetGroup
from reporting import managed_list_services as services
from reporting.managed_list_models import ManagedList
from reporting.models import FeatureTag

from .errors import DetailOutput, DomainErrorOutput
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
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


class ManagedListItemInput(RejectUnknownFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="New items only; never changes.")
    name_ja = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    is_active = serializers.BooleanField(required=False)


class ManagedListItemUpdateInput(ManagedListItemInput):
    code = serializers.CharField(max_length=40, required=False)
    name_ja = serializers.CharField(max_length=100, required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


WRITE_ERRORS = {
    400: OpenApiResponse(description="Invalid input; messages per field."),
    403: OpenApiResponse(DetailOutput, description="Not programme staff."),
    409: OpenApiResponse(DomainErrorOutput, description="Code taken, malformed or changed."),
}


def _require_manager(user) -> None:
    if not can_manage_managed_lists(user):
        raise PermissionDenied


class _ManagedListApi(ScopedObjectMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ManagedListItemOutput
    pagination_class = StandardPagination
    model = None
    list_name = None

    def post(self, request):
        _require_manager(request.user)
        data = self.validated_input(ManagedListItemInput)
        item = services.create_list_item(list_name=self.list_name, data=dict(data),
                                         by=request.user)
        return Response(ManagedListItemOutput(item).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        items = self.model.objects.order_by("sort_order", "code")
        if self.request.query_params.get("include_inactive", "").lower() not in ("1", "true"):
            items = items.filter(is_active=True)
        return items


class _ManagedItemApi(ScopedObjectMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ManagedListItemOutput
    model = None
    list_name = None

    def get(self, request, code):
        return Response(ManagedListItemOutput(get_object_or_404(self.model, code=code)).data)

    def patch(self, request, code):
        _require_manager(request.user)
        item = get_object_or_404(self.model, code=code)
        data = dict(self.validated_input(ManagedListItemUpdateInput, partial=True))
        reason = data.pop("reason", "")
        item = services.update_list_item(list_name=self.list_name, item=item, data=data,
                                         reason=reason, by=request.user)
        return Response(ManagedListItemOutput(item).data)


def _views(model, list_name, label):
    """The list and item views of one managed list, documented."""
    list_view = extend_schema(tags=[TAG], summary=label, parameters=[INCLUDE_INACTIVE])(
        type(f"{model.__name__}ListApi", (_ManagedListApi,),
             {"model": model, "list_name": list_name}))
    list_view.post = extend_schema(
        tags=[TAG], summary=f"Add to: {label}", request=ManagedListItemInput,
        responses={201: ManagedListItemOutput, **WRITE_ERRORS})(list_view.post)
    item_view = type(f"{model.__name__}ItemApi", (_ManagedItemApi,),
                     {"model": model, "list_name": list_name})
    item_view.get = extend_schema(tags=[TAG], summary=f"One of: {label}", responses={
        200: ManagedListItemOutput, 404: OpenApiResponse(DetailOutput)})(item_view.get)
    item_view.patch = extend_schema(
        tags=[TAG], summary=f"Rename, reorder or switch off: {label}",
        request=ManagedListItemUpdateInput,
        responses={200: ManagedListItemOutput, **WRITE_ERRORS})(item_view.patch)
    return list_view, item_view


urlpatterns = []
for _model, _list, _label, _name in [
    (ExpenseCategory, ManagedList.EXPENSE_CATEGORIES, "Expense categories (対象経費)",
     "expense-category"),
    (TargetGroup, ManagedList.TARGET_GROUPS, "Target groups", "target-group"),
    (FeatureTag, ManagedList.FEATURE_TAGS, "Feature tags of activities", "feature-tag"),
]:
    _list_view, _item_view = _views(_model, _list, _label)
    urlpatterns += [
        path(f"{_list.value}/", _list_view.as_view(), name=f"{_name}-list"),
        path(f"{_list.value}/<slug:code>/", _item_view.as_view(), name=f"{_name}-detail"),
    ]
