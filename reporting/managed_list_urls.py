"""Routes of the managed-list pages, in the "reporting" namespace."""

from django.urls import path

from . import managed_list_views as views

urlpatterns = [
    path("lists/", views.managed_lists, name="managed_lists"),
    path("lists/<slug:list_name>/", views.managed_lists, name="managed_lists"),
    path("lists/<slug:list_name>/new/", views.managed_list_item, name="managed_list_new"),
    path("lists/<slug:list_name>/<slug:code>/", views.managed_list_item,
         name="managed_list_item"),
]
