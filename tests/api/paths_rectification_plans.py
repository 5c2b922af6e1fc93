"""API paths of the rectification plans area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/rectification/plans": {"get", "post"},
    "/api/v1/rectification/plans/{plan_id}": {"get"},
    "/api/v1/rectification/plans/{plan_id}/tasks": {"post"},
    "/api/v1/rectification/plans/{plan_id}/tasks/{task_id}": {"delete", "patch"},
    "/api/v1/rectification/plans/{plan_id}/submit": {"post"},
    "/api/v1/rectification/plans/{plan_id}/review": {"post"},
}
