from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("<int:pk>/status/", views.award_status, name="award_status"),
    path("<int:pk>/continuation/", views.continuation, name="continuation"),
    path("years/<int:pk>/start/", views.year_start, name="year_start"),
    path("years/<int:pk>/budget/", views.year_budget, name="year_budget"),
    path("years/<int:pk>/payments/schedule/", views.payment_schedule, name="payment_schedule"),
    path("years/<int:pk>/payments/record/", views.payment_record, name="payment_record"),
    path("years/<int:pk>/settle/", views.year_settle, name="year_settle"),
    path("years/<int:pk>/change-requests/new/", views.change_request_new,
         name="change_request_new"),
    path("change-requests/<int:pk>/decide/", views.change_request_decide,
         name="change_request_decide"),
    path("change-requests/<int:pk>/withdraw/", views.change_request_withdraw,
         name="change_request_withdraw"),
    path("deadlines/<int:pk>/due/", views.deadline_due, name="deadline_due"),
]
