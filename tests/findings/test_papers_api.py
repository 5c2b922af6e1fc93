"""/api/v1/papers: scoping, writes through the services, refusals (401, 403, 404, 409, 422)."""

from __future__ import annotations

import pytest
from django.test import Client

from xuncha.access import services as access_services
from xuncha.findings.models import PaperAmendment, WorkingPaper

API = "/api/v1/papers"


@pytest.fixture
def api_client(db):
    """api_client(user) → a client sending a bearer token of `user`."""
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_it_needs_a_token(world, findings):
    assert Client().get(API).status_code == 401


@pytest.mark.parametrize("role, count", [
    ("group_leader", 2), ("office_admin", 3), ("supervisor", 2), ("group_member", 1),
    ("unit_liaison", 0), ("receiver", 0),
])
def test_it_lists_the_papers_in_scope(world, findings, make_paper, api_client, role, count):
    make_paper()
    make_paper(kind="lead")
    make_paper(target=findings.target2)
    response = api_client(world.users[role]).get(API)
    assert response.status_code == 200 and response.json()["count"] == count


def test_it_filters_the_list(world, findings, make_paper, api_client):
    make_paper()
    make_paper(state="signed", kind="lead")
    client = api_client(world.office_admin)
    assert client.get(API, {"state": "signed"}).json()["count"] == 1
    assert client.get(API, {"kind": "general", "group": world.group1.pk}).json()["count"] == 1


def test_a_paper_out_of_scope_is_not_found(world, findings, make_paper, api_client):
    paper = make_paper(kind="lead")
    for role in ("group_member", "unit_liaison", "receiver", "supervisor"):
        assert api_client(world.users[role]).get(f"{API}/{paper.pk}").status_code == 404
    body = api_client(world.group_deputy).get(f"{API}/{paper.pk}").json()
    assert body["number"] == "第一届第一轮第一组-001" and body["available_steps"] == ["submit"]


def test_a_member_writes_and_submits_a_paper(world, findings, api_client):
    client = api_client(world.group_deputy)
    response = _post(client, API, {"assignment": findings.target1.pk, "title": "租金未入账",
                                   "facts": "租金3万元未入账。", "amount": "30000.00"})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["authors"] == [findings.members["group_deputy"].pk]
    response = client.patch(f"{API}/{pk}", {"classification": findings.items["V2.1.1"].pk},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["classification_title"] == "村集体资金坐收坐支、公款私存"
    response = _post(client, f"{API}/{pk}/steps", {"action": "submit"})
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert [s["action"] for s in response.json()["steps"]] == ["submit"]


def test_refusals(world, findings, make_paper, api_client):
    paper = make_paper(state="submitted")
    deputy = api_client(world.group_deputy)
    # 422: a bad classification, a return without a comment, an unknown field
    bad = _post(deputy, API, {"assignment": findings.target1.pk, "title": "x",
                              "classification": findings.items["T1.1.1"].pk})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "classification"
    assert _post(deputy, f"{API}/{paper.pk}/steps", {"action": "return"}).status_code == 422
    assert _post(deputy, API, {"assignment": findings.target1.pk, "title": "x", "colour": 1}).status_code == 422
    # 422: a target of another group is not one the member may use
    other = _post(api_client(world.group_member), API, {"assignment": findings.target1.pk, "title": "x"})
    assert other.status_code == 422
    # 409: not from this state; 403: not for this role
    assert _post(deputy, f"{API}/{paper.pk}/steps", {"action": "register"}).status_code == 409
    assert _post(api_client(world.office_admin), f"{API}/{paper.pk}/steps", {"action": "approve"}).status_code == 403
    assert api_client(world.office_admin).patch(f"{API}/{paper.pk}", {"title": "x"},
                                                content_type="application/json").status_code == 403
    # 404: out of scope
    assert _post(api_client(world.group_member), f"{API}/{paper.pk}/steps", {"action": "approve"}).status_code == 404
    assert WorkingPaper.objects.get(pk=paper.pk).state == "submitted"


def test_amending_a_signed_paper(world, findings, make_paper, api_client):
    paper = make_paper(state="signed")
    leader = api_client(world.group_leader)
    assert leader.patch(f"{API}/{paper.pk}", {"title": "x"}, content_type="application/json").status_code == 422
    no_reason = _post(leader, f"{API}/{paper.pk}/amendments", {"changes": {"title": "新"}, "reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "reason"
    response = _post(leader, f"{API}/{paper.pk}/amendments", {"changes": {"title": "新标题"}, "reason": "更正"})
    assert response.status_code == 201
    assert response.json()["amendments"][0]["changes"] == {"title": ["村集体资金坐收坐支", "新标题"]}
    assert _post(api_client(world.group_deputy), f"{API}/{paper.pk}/amendments",
                 {"changes": {"title": "再改"}, "reason": "r"}).status_code == 403
    assert PaperAmendment.objects.count() == 1
