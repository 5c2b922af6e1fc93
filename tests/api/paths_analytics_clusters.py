"""API paths of the analytics clusters area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/analytics/clusters": {"get"},
    "/api/v1/analytics/clusters/{cluster_id}": {"get"},
    "/api/v1/analytics/clusters/matches": {"get"},
    "/api/v1/analytics/clusters/run": {"post"},
    "/api/v1/analytics/clusters/mapping": {"get", "post"},
    "/api/v1/analytics/clusters/mapping/{mapping_id}": {"delete"},
}
