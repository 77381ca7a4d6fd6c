"""Funding-round pages: public under /rounds/<pk>/, staff under /rounds/manage/."""

from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("manage/", views.staff_round_list, name="staff_round_list"),
    path("manage/new/", views.round_create, name="round_create"),
    path("manage/<int:pk>/", views.round_edit, name="round_edit"),
    path("manage/<int:pk>/history/", views.round_history, name="round_history"),
    path("manage/<int:pk>/transition/", views.round_transition, name="round_transition"),
    path("manage/<int:pk>/copy/", views.round_copy, name="round_copy"),
    path(
        "manage/<int:pk>/reporting-defaults/", views.round_reporting_defaults,
        name="round_reporting_defaults",
    ),
    path("manage/<int:pk>/themes/new/", views.theme_add, name="theme_add"),
    path("manage/<int:pk>/themes/<int:theme_pk>/", views.theme_edit, name="theme_edit"),
    path(
        "manage/<int:pk>/themes/<int:theme_pk>/delete/", views.theme_delete, name="theme_delete"
    ),
    path("manage/<int:pk>/tiers/new/", views.tier_add, name="tier_add"),
    path("manage/<int:pk>/tiers/<int:tier_pk>/", views.tier_edit, name="tier_edit"),
    path("manage/<int:pk>/tiers/<int:tier_pk>/delete/", views.tier_delete, name="tier_delete"),
]
