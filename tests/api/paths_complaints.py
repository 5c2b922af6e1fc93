"""API paths of the complaints area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {}
