"""API paths of the recommendations area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {}
