"""URLs of the plans pages (names in the "rectification" namespace)."""

urlpatterns: list = []
