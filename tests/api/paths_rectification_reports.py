"""API paths of the rectification reports area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/rectification/reports": {"get", "post"},
    "/api/v1/rectification/reports/{report_id}": {"get", "patch"},
    "/api/v1/rectification/reports/{report_id}/submit": {"post"},
    "/api/v1/rectification/reports/{report_id}/review": {"post"},
    "/api/v1/rectification/reports/{report_id}/disclosures": {"post"},
}
