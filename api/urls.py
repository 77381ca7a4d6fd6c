"""/api/v1/ routes, the OpenAPI schema and its docs (served from local files)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import (
    applications,
    auth,
    awards,
    budget_changes,
    findings,
    grants,
    managed_lists,
    organisations,
    outcomes,
    programmes,
    reports,
    review_rounds,
    reviews,
)

v1 = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    *grants.urlpatterns,
    *programmes.urlpatterns,
    *organisations.urlpatterns,
    *applications.urlpatterns,
    *reviews.urlpatterns,
    *review_rounds.urlpatterns,
    *awards.urlpatterns,
    *budget_changes.urlpatterns,
    *reports.urlpatterns,
    *findings.urlpatterns,
    *outcomes.urlpatterns,
    *managed_lists.urlpatterns,
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
