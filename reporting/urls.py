from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("awards/", views.award_list, name="award_list"),
    path("awards/mine/", views.award_mine, name="award_mine"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("deadlines/<int:pk>/report/", views.report_start, name="report_start"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/autosave/", views.report_autosave, name="report_autosave"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/personal-data/", views.report_personal_data,
         name="report_personal_data"),
    path("reports/<int:pk>/versions/<int:number>/", views.report_version, name="report_version"),
    path("reports/<int:pk>/versions/<int:number>/pdf/", views.report_pdf, name="report_pdf"),
]

from .findings.urls import urlpatterns as findings_urlpatterns  # noqa: E402
from .managed_list_urls import urlpatterns as managed_list_urlpatterns  # noqa: E402

urlpatterns += findings_urlpatterns
urlpatterns += managed_list_urlpatterns
