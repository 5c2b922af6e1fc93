"""API paths of the analytics stats area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/analytics/statistics": {"get"},
    "/api/v1/analytics/statistics/summary": {"get"},
}
