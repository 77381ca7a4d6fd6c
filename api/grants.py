"""API for programmes and funding rounds."""

urlpatterns: list = []
