"""/api/v1/reviews: sessions, the reviewer's reviews, results; 401, 403, 404 and 422."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.findings.review_helpers import full_marks, open_session, signed_papers
from xuncha.access import services as access_services
from xuncha.findings.models import Review, ReviewSession

API = "/api/v1/reviews"


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


@pytest.fixture
def api_client(db):
    """api_client(user) → a client sending a bearer token of `user` with every request."""
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


@pytest.fixture
def session(world, findings, make_paper):
    signed_papers(make_paper, findings)
    return open_session(world)


def test_it_needs_a_token():
    assert Client().get(f"{API}/sessions").status_code == 401


@pytest.mark.django_db
def test_it_needs_a_token_to_submit():
    assert Client().post(f"{API}/mine/1", {}, content_type="application/json").status_code == 401


def test_sessions_list_and_detail(api_client, world, session):
    office = api_client(world.office_admin)
    body = office.get(f"{API}/sessions").json()
    assert body["count"] == 1
    assert body["items"][0]["reviews"] == 5 and body["items"][0]["submitted"] == 0
    detail = office.get(f"{API}/sessions/{session.pk}").json()
    assert len(detail["items"]) == 5 and detail["seed"] == session.seed
    assert all(item["reviewer"] for item in detail["items"])


def test_a_group_sees_its_own_papers_without_reviewers(api_client, world, session):
    detail = api_client(world.group_member).get(f"{API}/sessions/{session.pk}").json()
    assert {item["group"] for item in detail["items"]} == {world.group2.pk}
    assert all(item["reviewer"] is None for item in detail["items"]) and detail["seed"] is None


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider", "supervisor"])
def test_out_of_scope_sessions_are_404(api_client, world, session, role):
    client = api_client(world.users[role])
    assert client.get(f"{API}/sessions/{session.pk}").status_code == 404
    assert client.get(f"{API}/sessions/{session.pk}/results").status_code == 404
    assert client.get(f"{API}/sessions").json()["count"] == 0


def test_the_office_opens_a_session(api_client, world, findings, make_paper):
    signed_papers(make_paper, findings, n1=4, n2=3)
    response = _post(api_client(world.office_admin), "/sessions", {
        "round": world.round.pk, "title": "抽查", "sample": "random", "per_group": 2, "seed": 99,
        "reviewers": [world.office_staff.pk, world.group_member.pk, world.group_leader.pk]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["seed"] == 99 and len(body["items"]) == 4
    assert [c["name"] for c in body["criteria"]] == ["事实准确", "定性准确", "依据准确", "表述准确"]


def test_opening_is_403_for_a_group(api_client, world, findings, make_paper):
    signed_papers(make_paper, findings)
    response = _post(api_client(world.group_leader), "/sessions", {
        "round": world.round.pk, "title": "抽查", "reviewers": [world.office_staff.pk]})
    assert response.status_code == 403
    assert not ReviewSession.objects.exists()


def test_opening_refuses_bad_input_with_422(api_client, world, findings, make_paper):
    signed_papers(make_paper, findings)
    client = api_client(world.office_admin)
    insiders = _post(client, "/sessions", {"round": world.round.pk, "title": "抽查",
                                           "reviewers": [world.group_leader.pk, world.group_deputy.pk]})
    assert insiders.status_code == 422 and set(_fields(insiders)) == {"reviewers"}
    assert "第一巡察组" in insiders.json()["detail"][0]["message"]
    stranger = _post(client, "/sessions", {"round": world.round.pk, "title": "抽查", "reviewers": [world.leader.pk]})
    assert stranger.status_code == 422 and _fields(stranger) == ["reviewers"]
    missing = _post(client, "/sessions", {"round": 999999, "title": "抽查", "reviewers": []})
    assert missing.status_code == 422 and _fields(missing) == ["round"]
    extra = _post(client, "/sessions", {"round": world.round.pk, "title": "抽查", "reviewers": [], "x": 1})
    assert extra.status_code == 422
    assert not ReviewSession.objects.exists()


def test_the_reviewer_submits_through_the_api(api_client, world, session):
    review = Review.objects.filter(session=session, reviewer=world.group_member).first()
    client = api_client(world.group_member)
    mine = client.get(f"{API}/mine").json()
    assert {item["id"] for item in mine["items"]} == set(
        Review.objects.filter(reviewer=world.group_member).values_list("pk", flat=True))
    one = client.get(f"{API}/mine/{review.pk}").json()
    assert one["paper_text"]["facts"] == review.paper.facts
    bad = _post(client, f"/mine/{review.pk}", {"scores": {**full_marks(session), "事实准确": 30}})
    assert bad.status_code == 422 and _fields(bad) == ["scores.事实准确"]
    ok = _post(client, f"/mine/{review.pk}", {"scores": full_marks(session), "defects": ["wording"]})
    assert ok.status_code == 200 and ok.json()["total"] == "100.0"


def test_only_the_reviewer_submits_through_the_api(api_client, world, session):
    review = Review.objects.filter(session=session, reviewer=world.group_member).first()
    for role in ("office_admin", "group_leader"):
        response = _post(api_client(world.users[role]), f"/mine/{review.pk}", {"scores": full_marks(session)})
        assert response.status_code == 404
    review.refresh_from_db()
    assert not review.done


def test_close_and_results(api_client, world, session):
    for review in session.reviews.select_related("reviewer"):
        api = api_client(review.reviewer)
        assert _post(api, f"/mine/{review.pk}", {"scores": full_marks(session)}).status_code == 200
    assert _post(api_client(world.leader), f"/sessions/{session.pk}/close", {}).status_code == 403
    office = api_client(world.office_admin)
    assert _post(office, f"/sessions/{session.pk}/close", {}).json()["state"] == "closed"
    results = office.get(f"{API}/sessions/{session.pk}/results").json()
    assert results["overall"]["n"] == 5 and results["overall"]["average"] == 100.0
    assert [g["group_number"] for g in results["by_group"]] == [1, 2]
    group = api_client(world.group_member).get(f"{API}/sessions/{session.pk}/results").json()
    assert [g["group_number"] for g in group["by_group"]] == [2]
    review = session.reviews.first()
    late = _post(api_client(review.reviewer), f"/mine/{review.pk}", {"scores": full_marks(session)})
    assert late.status_code == 422


def test_closing_with_pending_reviews_needs_force(api_client, world, session):
    office = api_client(world.office_admin)
    refused = _post(office, f"/sessions/{session.pk}/close", {})
    assert refused.status_code == 422 and _fields(refused) == ["force"]
    assert _post(office, f"/sessions/{session.pk}/close", {"force": True}).status_code == 200


def test_reassign_through_the_api(api_client, world, session):
    review = session.reviews.filter(paper__group=world.group1).first()
    office = api_client(world.office_admin)
    refused = _post(office, f"/assignments/{review.pk}/reassign", {"reviewer": world.group_deputy.pk})
    assert refused.status_code == 422 and _fields(refused) == ["reviewer"]
    assert _post(api_client(world.group_member), f"/assignments/{review.pk}/reassign",
                 {"reviewer": world.office_admin.pk}).status_code in (403, 404)
    ok = _post(office, f"/assignments/{review.pk}/reassign", {"reviewer": world.office_admin.pk})
    assert ok.status_code == 200 and ok.json()["reviewer"] == world.office_admin.pk
