"""API for applications."""

urlpatterns: list = []
