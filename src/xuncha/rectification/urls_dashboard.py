"""URLs of the dashboard pages (names in the "rectification" namespace)."""

urlpatterns: list = []
