"""API for organisations."""

urlpatterns: list = []
