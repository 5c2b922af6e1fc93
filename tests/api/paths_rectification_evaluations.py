"""API paths of the rectification evaluations area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/evaluations/templates": {"get"},
    "/api/v1/evaluations/batches": {"get", "post"},
    "/api/v1/evaluations/batches/{batch_id}": {"get"},
    "/api/v1/evaluations/batches/{batch_id}/refresh": {"post"},
    "/api/v1/evaluations/batches/{batch_id}/close": {"post"},
    "/api/v1/evaluations/{evaluation_id}": {"get"},
    "/api/v1/evaluations/{evaluation_id}/scores": {"put"},
}
