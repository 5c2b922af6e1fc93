"""URLs of the reports pages (names in the "rectification" namespace)."""

urlpatterns: list = []
