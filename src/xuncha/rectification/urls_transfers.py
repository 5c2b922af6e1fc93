"""URLs of the transfers pages (names in the "rectification" namespace)."""

urlpatterns: list = []
