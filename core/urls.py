from django.urls import path

from . import outbox_views

app_name = "core"

urlpatterns = [
    path("", outbox_views.outbox_list, name="outbox_list"),
    path("<int:pk>/retry/", outbox_views.outbox_retry, name="outbox_retry"),
]
