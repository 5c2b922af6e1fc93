"""API paths of the rectification tasks area, pinned by tests/api/test_docs.py."""

BASE = "/api/v1/rectification/tasks"

PATHS: dict[str, set[str]] = {
    BASE: {"get"},
    f"{BASE}/{{task_id}}": {"get"},
    f"{BASE}/{{task_id}}/progress": {"post"},
    f"{BASE}/{{task_id}}/progress/{{progress_id}}/evidence": {"post"},
    f"{BASE}/evidence/{{evidence_id}}": {"get"},
    f"{BASE}/{{task_id}}/transitions": {"post"},
}
