"""API paths of the rectification plans area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {}
