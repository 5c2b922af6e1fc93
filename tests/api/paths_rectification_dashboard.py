"""API paths of the rectification dashboard area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/rectification/dashboard": {"get"},
    "/api/v1/rectification/overdue": {"get"},
    "/api/v1/rectification/policies": {"get", "post"},
    "/api/v1/rectification/policies/{policy_id}": {"patch"},
}
