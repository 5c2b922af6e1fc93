"""API paths of the complaints area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/complaints": {"get", "post"},
    "/api/v1/complaints/{complaint_id}": {"get", "patch"},
    "/api/v1/complaints/{complaint_id}/handling": {"post"},
    "/api/v1/complaints/{complaint_id}/messages": {"post"},
    "/api/v1/complaints/{complaint_id}/identity-requests": {"post"},
    "/api/v1/complaints/identity-requests/{access_id}/decision": {"post"},
    "/api/v1/complaints/{complaint_id}/identity": {"post"},
}
