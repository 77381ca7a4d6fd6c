from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.new, name="new"),
    path("manage/", views.staff_list, name="staff_list"),
    path("manage/export.csv", views.staff_export, {"fmt": "csv"}, name="staff_export_csv"),
    path("manage/export.xlsx", views.staff_export, {"fmt": "xlsx"}, name="staff_export_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/return/", views.return_for_correction, name="return"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/receipt.pdf", views.receipt, name="receipt"),
    path("<int:pk>/versions/<int:number>/attachments/<int:position>/",
         views.version_attachment_download, name="version_attachment"),
    path("<int:pk>/versions/diff/", views.version_diff_view, name="diff"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download,
         name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/delete/", views.attachment_delete,
         name="attachment_delete"),
]
