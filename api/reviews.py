"""API for reviews."""

urlpatterns: list = []
