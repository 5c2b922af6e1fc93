"""API paths of the rectification reports area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {}
