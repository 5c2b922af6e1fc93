"""URLs of the evaluation pages (names in the "rectification" namespace)."""

urlpatterns: list = []
