"""API paths of the rectification transfers area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/transfers": {"get", "post"},
    "/api/v1/transfers/{transfer_id}": {"get", "patch"},
    "/api/v1/transfers/{transfer_id}/receipt": {"post"},
    "/api/v1/transfers/{transfer_id}/actions": {"post"},
    "/api/v1/transfers/{transfer_id}/results": {"post"},
}
