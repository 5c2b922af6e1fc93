"""API paths of the analytics stats area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {}
