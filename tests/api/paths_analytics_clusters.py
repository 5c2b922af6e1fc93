"""API paths of the analytics clusters area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {}
