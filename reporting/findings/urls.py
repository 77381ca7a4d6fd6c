"""Routes of the findings library, the oversight dashboard, the model report
and the exports. Included by reporting/urls.py, so the names live in the
"reporting" namespace (reporting:dashboard, reporting:findings, …)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("oversight/", views.dashboard, name="dashboard"),
    re_path(r"^oversight/exports/(?P<kind>awards|reports|findings)\.(?P<fmt>csv|xlsx)$",
            views.export, name="export"),
    re_path(r"^oversight/open-data/360giving\.(?P<fmt>json|csv)$", views.open_data,
            name="open_data"),
    path("oversight/model-reports/new/", views.model_report_request, name="model_report_new"),
    path("oversight/model-reports/<int:pk>/", views.model_report_job, name="model_report_job"),
    path("oversight/model-reports/<int:pk>/download/", views.model_report_download,
         name="model_report_download"),
    path("findings/", views.findings_list, name="findings"),
    path("findings/new/", views.finding_create, name="finding_new"),
    path("findings/award/<int:pk>/", views.findings_of_award, name="findings_award"),
    path("findings/theme/<int:pk>/", views.findings_of_theme, name="findings_theme"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
    path("findings/<int:pk>/evidence/", views.finding_evidence_add, name="finding_evidence_add"),
    path("findings/<int:pk>/evidence/<int:evidence_pk>/remove/", views.finding_evidence_remove,
         name="finding_evidence_remove"),
]
