"""URLs of the tasks pages (names in the "rectification" namespace)."""

urlpatterns: list = []
