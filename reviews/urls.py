from django.urls import path

from . import decision_views, export_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/declare/", views.declare, name="declare"),
    path("assignments/<int:pk>/unassign/", views.unassign, name="unassign"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/rubric/", views.rubric, name="rubric"),
    path("rounds/<int:pk>/assignments/", views.assignments, name="assignments"),
    path("rounds/<int:pk>/ranking/", decision_views.ranking, name="ranking"),
    path("rounds/<int:pk>/decisions/", decision_views.decisions, name="decisions"),
    path("rounds/<int:pk>/<str:kind>/export.<str:fmt>", export_views.round_export,
         name="round_export"),
    path("reviewers/", views.reviewers, name="reviewers"),
    path("reviewers/invite/", views.reviewer_form, name="reviewer_invite"),
    path("reviewers/<int:pk>/edit/", views.reviewer_form, name="reviewer_edit"),
    path("decisions/<int:pk>/", decision_views.decision_detail, name="decision"),
    path("decisions/<int:pk>/notice.pdf", decision_views.notice, name="notice"),
]
