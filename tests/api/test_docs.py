"""The OpenAPI schema and the reference page, with nothing loaded from outside."""

from __future__ import annotations

import re

from django.test import Client

from tests.api import paths_analytics_intake, paths_rectification
from tests.conftest import PASSWORD

PATHS = {
    "/api/v1/committees": {"get"},
    "/api/v1/committees/{committee_id}": {"get"},
    "/api/v1/organizations": {"get", "post"},
    "/api/v1/organizations/{organization_id}": {"get", "patch"},
    "/api/v1/people": {"get", "post"},
    "/api/v1/people/{person_id}": {"get", "patch"},
    "/api/v1/terms": {"get", "post"},
    "/api/v1/terms/{term_id}": {"get"},
    "/api/v1/rounds": {"get", "post"},
    "/api/v1/rounds/{round_id}": {"get", "patch"},
    "/api/v1/rounds/{round_id}/transitions": {"post"},
    "/api/v1/rounds/{round_id}/groups": {"post"},
    "/api/v1/groups/{group_id}": {"get"},
    "/api/v1/assignments": {"get", "post"},
    "/api/v1/coverage": {"get"},
    "/api/v1/coverage/uncovered": {"get"},
    "/api/v1/checklists": {"get"},
    "/api/v1/checklists/{library_id}": {"get"},
    "/api/v1/checklists/versions/{version_id}": {"get"},
    "/api/v1/checklists/guide/{assignment_id}": {"get"},
    "/api/v1/checklists/{library_id}/drafts": {"post"},
    "/api/v1/checklists/versions/{version_id}/items": {"post"},
    "/api/v1/checklists/versions/{version_id}/publish": {"post"},
    "/api/v1/papers": {"get", "post"},
    "/api/v1/papers/{paper_id}": {"get", "patch"},
    "/api/v1/papers/{paper_id}/steps": {"post"},
    "/api/v1/papers/{paper_id}/amendments": {"post"},
    "/api/v1/problems": {"get", "post"},
    "/api/v1/problems/search": {"get"},
    "/api/v1/problems/{problem_id}": {"delete", "get", "patch"},
    "/api/v1/problems/merge": {"post"},
    "/api/v1/problems/{problem_id}/split": {"post"},
    "/api/v1/reviews/sessions": {"get", "post"},
    "/api/v1/reviews/sessions/{session_id}": {"get"},
    "/api/v1/reviews/sessions/{session_id}/close": {"post"},
    "/api/v1/reviews/sessions/{session_id}/results": {"get"},
    "/api/v1/reviews/assignments/{review_id}/reassign": {"post"},
    "/api/v1/reviews/mine": {"get"},
    "/api/v1/reviews/mine/{review_id}": {"get", "post"},
    "/api/v1/reports": {"get", "post"},
    "/api/v1/reports/{report_id}": {"get"},
    "/api/v1/reports/{report_id}/versions": {"post"},
    "/api/v1/reports/{report_id}/versions/{number}": {"get"},
    "/api/v1/reports/{report_id}/regenerate": {"post"},
    "/api/v1/reports/{report_id}/submit": {"post"},
    "/api/v1/reports/{report_id}/decisions": {"post"},
    "/api/v1/reports/{report_id}/diff": {"get"},
    "/api/v1/feedback": {"get", "post"},
    "/api/v1/feedback/{feedback_id}": {"get", "patch"},
    "/api/v1/feedback/{feedback_id}/issue": {"post"},
    "/api/v1/feedback/{feedback_id}/meeting": {"put"},
    "/api/v1/feedback/{feedback_id}/copies": {"post"},
    "/api/v1/feedback/{feedback_id}/copies/{copy_id}": {"delete"},
    "/api/v1/feedback/{feedback_id}/acknowledge": {"post"},
    "/api/v1/documents": {"get", "post"},
    "/api/v1/documents/{document_id}": {"get"},
    "/api/v1/documents/{document_id}/download": {"get"},
    "/api/v1/regulations": {"get"},
    "/api/v1/regulations/search": {"get"},
    "/api/v1/regulations/resolve": {"get"},
    "/api/v1/regulations/{regulation_id}": {"get"},
    "/api/v1/regulations/{regulation_id}/versions": {"post"},
    "/api/v1/regulations/versions/{version_id}": {"get"},
    "/api/v1/regulations/versions/{version_id}/articles/{ref}": {"get"},
    "/api/v1/study/activities": {"get", "post"},
    "/api/v1/study/activities/{activity_id}": {"get", "patch"},
    "/api/v1/study/campaigns": {"get", "post"},
    "/api/v1/study/campaigns/{campaign_id}": {"get"},
}

# Each area of rectification lists its own paths (one module, one dict per area).
for _area in (*paths_rectification.AREAS, *paths_analytics_intake.AREAS):
    PATHS.update(_area)


def test_it_serves_the_openapi_schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {path: set(ops) for path, ops in schema["paths"].items()} == PATHS
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    limit = next(p for p in schema["paths"]["/api/v1/organizations"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500


def test_ninja_swagger_page_is_not_served(db):
    assert Client().get("/api/v1/docs/").status_code == 404


def _assert_no_external_urls(html: str) -> None:
    # The CSRF token is random text: it may well spell "cdn".
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'<meta name="csrf-token" content="[^"]*"', "", html)
    lowered = html.lower()
    for word in ("cdn", "unpkg", "jsdelivr", "swagger-ui", "cdnjs", "googleapis"):
        assert word not in lowered, word
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", lowered), \
        re.findall(r"(?:https?:)?//[^\s\"'<>]+", lowered)


def test_the_docs_page_lists_paths_and_schemas(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for path in PATHS:
        assert path in html
    for name in ("OrganizationIn", "PersonDetail", "ValidationErrorOut"):
        assert f'id="schema-{name}"' in html
    assert "PATCH" in html and "Bearer" in html
    assert 'href="/api/v1/openapi.json"' in html
    _assert_no_external_urls(html)


def test_the_docs_page_renders_in_the_workbench_for_a_signed_in_user(world):
    client = Client()
    assert client.login(username="office_admin", password=PASSWORD)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="api-reference"' in html and 'data-testid="user-name"' in html
    _assert_no_external_urls(html)
