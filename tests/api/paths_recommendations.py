"""API paths of the recommendations area, pinned by tests/api/test_docs.py."""

PATHS: dict[str, set[str]] = {
    "/api/v1/recommendations": {"get", "post"},
    "/api/v1/recommendations/received": {"get"},
    "/api/v1/recommendations/{recommendation_id}": {"get", "patch"},
    "/api/v1/recommendations/{recommendation_id}/items": {"put"},
    "/api/v1/recommendations/{recommendation_id}/submit": {"post"},
    "/api/v1/recommendations/{recommendation_id}/approve": {"post"},
    "/api/v1/recommendations/{recommendation_id}/return": {"post"},
    "/api/v1/recommendations/{recommendation_id}/issue": {"post"},
    "/api/v1/recommendations/{recommendation_id}/close": {"post"},
    "/api/v1/recommendations/{recommendation_id}/addressees/{addressee_id}/receipt": {"post"},
    "/api/v1/recommendations/{recommendation_id}/addressees/{addressee_id}/response": {"post"},
    "/api/v1/recommendations/{recommendation_id}/addressees/{addressee_id}/outcomes": {"post"},
    "/api/v1/campaigns": {"get", "post"},
    "/api/v1/campaigns/{campaign_id}": {"get"},
    "/api/v1/campaigns/{campaign_id}/items": {"post"},
    "/api/v1/campaigns/{campaign_id}/close": {"post"},
    "/api/v1/campaigns/items/{item_id}": {"patch"},
}
