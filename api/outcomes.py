"""API for the portfolio figures and exports: the same aggregates, filters
and files as the oversight dashboard. Programme staff and the oversight
viewer only; everyone else gets 404 (outside their scope)."""

from django.http import Http404
from django.urls import path, re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.policies import can_view_oversight
from reporting import aggregates, exports
from reporting.findings.forms import OutcomeFilterForm

from .errors import DetailOutput

TAG = "outcomes"

FILTERS = [
    OpenApiParameter("programme", int, description="Programme id."),
    OpenApiParameter("funding_round", int, description="Funding round id."),
    OpenApiParameter("fiscal_year", int, description="Fiscal year (年度), e.g. 2026."),
]
ERRORS = {
    400: OpenApiResponse(description="Invalid filter; messages per field."),
    401: OpenApiResponse(DetailOutput, description="Not signed in."),
    404: OpenApiResponse(DetailOutput, description="Not staff or oversight."),
}


class _ReachRow(serializers.Serializer):
    label = serializers.CharField()
    participants = serializers.IntegerField()
    awards = serializers.IntegerField()


class _MoneyRow(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    approved_yen = serializers.IntegerField()
    paid_yen = serializers.IntegerField(allow_null=True)
    actual_yen = serializers.IntegerField()


class _Totals(serializers.Serializer):
    awards = serializers.IntegerField()
    organisations = serializers.IntegerField()
    participants = serializers.IntegerField(help_text="Cumulative participants (延べ人数) "
                                            "from annual reports handed in.")
    sessions = serializers.IntegerField()
    approved_yen = serializers.IntegerField()
    paid_yen = serializers.IntegerField()
    actual_yen = serializers.IntegerField()


class _Budget(serializers.Serializer):
    by_round = _MoneyRow(many=True)
    by_theme = _MoneyRow(many=True)
    by_category = _MoneyRow(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())


class OutcomesOutput(serializers.Serializer):
    """Figures of the oversight dashboard. Reach, indicators and actual
    expenses come from annual reports (実績報告) handed in."""

    filters = serializers.DictField()
    totals = _Totals()
    by_theme = serializers.ListField(child=serializers.DictField())
    by_target_group = _ReachRow(many=True)
    by_feature_tag = _ReachRow(many=True)
    by_prefecture = _ReachRow(many=True)
    by_fiscal_year = serializers.ListField(child=serializers.DictField())
    indicators = serializers.ListField(child=serializers.DictField())
    budget = _Budget()
    timeliness = serializers.DictField()
    report_statuses = serializers.ListField(child=serializers.DictField())


def _scope(request) -> aggregates.OutcomeScope:
    if not can_view_oversight(request.user):
        raise Http404
    form = OutcomeFilterForm(request.query_params or None)
    if form.is_bound and not form.is_valid():
        raise serializers.ValidationError({
            field: [error["message"] for error in errors]
            for field, errors in form.errors.get_json_data().items()
        })
    return form.scope()


class OutcomesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Portfolio figures (the dashboard's aggregates)",
                   parameters=FILTERS, responses={200: OutcomesOutput, **ERRORS})
    def get(self, request):
        return Response(aggregates.outcomes(_scope(request)))


class ExportApi(APIView):
    """Files, not JSON: the response body is the CSV, XLSX or 360Giving file."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Export awards, reports or findings (CSV or XLSX)",
                   parameters=FILTERS, responses={(200, "text/csv"): OpenApiTypes.BINARY,
                                                  **ERRORS})
    def get(self, request, kind, fmt):
        _scope(request)
        return exports.export_response(request.user, request.query_params, kind, fmt)


class OpenDataApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Awards as 360Giving open data (JSON package or CSV)",
                   parameters=FILTERS, responses={(200, "application/json"): OpenApiTypes.OBJECT,
                                                  **ERRORS})
    def get(self, request, fmt):
        _scope(request)
        return exports.export_response(request.user, request.query_params, "open-data", fmt)


class PublicOpenDataApi(APIView):
    """SECURITY: anonymous. Awards of decided (or archived) rounds only, each
    described by its title and theme; nothing from applications, reviews
    or reports."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(tags=["open data"], summary="Public 360Giving open data of decided rounds",
                   parameters=FILTERS, auth=[],
                   responses={(200, "application/json"): OpenApiTypes.OBJECT,
                              400: ERRORS[400]})
    def get(self, request, fmt):
        form = OutcomeFilterForm(request.query_params or None)
        if request.query_params and not form.is_valid():
            return Response(form.errors, status=400)
        return exports.public_open_data_response(request.query_params, fmt)


urlpatterns = [
    path("outcomes/", OutcomesApi.as_view(), name="outcomes"),
    re_path(r"^open-data/360giving\.(?P<fmt>json|csv)$", PublicOpenDataApi.as_view(),
            name="open-data-public"),
    re_path(r"^exports/(?P<kind>awards|reports|findings)\.(?P<fmt>csv|xlsx)$",
            ExportApi.as_view(), name="export"),
    re_path(r"^exports/360giving\.(?P<fmt>json|csv)$", OpenDataApi.as_view(), name="open-data"),
]
